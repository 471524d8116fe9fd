"""What every style renderer shares: the target folder, file naming, chunking, new-file edits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from stacktune.fixes.fk_index_plan import FkIndexPlan, IndexToCreate
from stacktune.model.finding import Edit

DESCRIPTION = "add_missing_fk_indexes"

# For runners that send a whole file (or section) as one query: several statements then
# run in one implicit transaction, where CREATE INDEX CONCURRENTLY is refused.
ONE_STATEMENT_PER_FILE = [
    "One index per migration: this runner sends a file as one query, and several statements in",
    "one query share an implicit transaction, where CREATE INDEX CONCURRENTLY is refused.",
]


@dataclass(frozen=True, slots=True)
class MigrationTarget:
    style: str  # a SourceResult style: numbered, goose, flyway, diesel, alembic, ...
    folder: str  # POSIX, relative to the audited root ("" or "." for the root itself)
    files: tuple[str, ...] = ()  # the existing migrations, relative to the root, in apply order
    head: str | None = None  # Alembic: the revision the new one follows


def file_names(target: MigrationTarget) -> list[str]:
    return [PurePosixPath(f).name for f in target.files]


def matching(names: list[str], pattern: re.Pattern[str]) -> list[re.Match[str]]:
    return [m for m in map(pattern.match, names) if m is not None]


def new_file(folder: str, name: str, content: str) -> Edit:
    path = name if folder in ("", ".") else f"{folder.rstrip('/')}/{name}"
    return Edit(path, 0, 0, content, creates=True)


def chunks(plan: FkIndexPlan, *, one_query_per_file: bool) -> list[tuple[IndexToCreate, ...]]:
    """All indexes in one migration, or one each when a concurrent build needs a file to itself."""
    if plan.options.concurrently and one_query_per_file:
        return [(index,) for index in plan.indexes]
    return [plan.indexes]


def down_comment(up_name: str) -> str:
    return f"-- Reverts {up_name}: drops the indexes it created.\n"

