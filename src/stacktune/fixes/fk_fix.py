"""`stacktune fix` for foreign keys: audit result -> plan -> the migration in the project's style.

The CLI calls `propose_fk_index_fix`, then shows `render_diff` of the edits or,
with --write, `apply_edits` them. A models-only project gets a display-only fix:
the index belongs on the model's Column, which stacktune does not rewrite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from stacktune.audit import AuditResult
from stacktune.fixes.errors import FixError
from stacktune.fixes.fk_index_plan import FkIndexPlan, IndexToCreate, PlanOptions, plan_fk_indexes
from stacktune.fixes.migration_styles import COMMENT_ONLY_NO_TRANSACTION, render_migration
from stacktune.fixes.styles.common import MigrationTarget
from stacktune.model.events import SourceResult
from stacktune.model.finding import Fix

Clock = Callable[[], datetime]
MIGRATION_KINDS = ("sql", "alembic")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class FkIndexFix:
    plan: FkIndexPlan
    fix: Fix | None  # None: nothing to do
    target: MigrationTarget | None  # None: no migrations to write into (models only)
    messages: tuple[str, ...]  # for the CLI, in order: summary, notes, hints


def propose_fk_index_fix(
    result: AuditResult,
    options: PlanOptions,
    *,
    clock: Clock = utc_now,
    migrations_dir: str | None = None,
    alembic_head: str | None = None,
) -> FkIndexFix:
    plan = plan_fk_indexes(result.context, options)
    messages = [plan.summary(), *plan.notes]
    if not plan.indexes:
        return FkIndexFix(plan, None, None, tuple(messages))
    target = choose_target(result.root, result.sources, plan, migrations_dir, alembic_head)
    if target is None:
        messages += _model_hints(plan)
        fix = Fix("add the missing foreign-key indexes to the models", (), "display-only")
        return FkIndexFix(plan, fix, None, tuple(messages))
    edits = render_migration(plan, target, clock())
    unsafe = options.concurrently and target.style in COMMENT_ONLY_NO_TRANSACTION
    if unsafe:
        messages.append("CONCURRENTLY: make sure your runner does not wrap this file in a transaction")
    title = f"add {len(plan.indexes)} foreign-key index(es) as a {target.style} migration in {target.folder or '.'}"
    return FkIndexFix(plan, Fix(title, edits, "unsafe" if unsafe else "safe"), target, tuple(messages))


def choose_target(
    root: Path,
    sources: list[SourceResult],
    plan: FkIndexPlan,
    migrations_dir: str | None,
    alembic_head: str | None,
) -> MigrationTarget | None:
    """Where the migration goes: the folder asked for, else the migrations holding most of the FKs fixed."""
    candidates = [s for s in sources if s.kind in MIGRATION_KINDS]
    if migrations_dir is not None:
        wanted = _normal(migrations_dir)
        chosen = next((s for s in candidates if _normal(s.path) == wanted), None)
        if chosen is None:
            return MigrationTarget("numbered", wanted, _sql_files(root, wanted))
        return _target(chosen, alembic_head)
    if not candidates:
        return None
    declared = [ix.location.path for ix in plan.indexes if ix.location is not None]
    # Ties go to the later source: it runs last, after the tables exist.
    best = max(enumerate(candidates), key=lambda p: (sum(path in p[1].files for path in declared), p[0]))[1]
    return _target(best, alembic_head)


def _normal(path: str) -> str:
    text = PurePosixPath(path.replace("\\", "/")).as_posix()
    if text.startswith("/") or ".." in PurePosixPath(text).parts:
        raise FixError(f"--migrations-dir {path}: give a folder inside the repository")
    return "" if text == "." else text


def _sql_files(root: Path, folder: str) -> tuple[str, ...]:
    where = root / folder
    if not where.is_dir():
        return ()
    return tuple(sorted(f"{folder}/{p.name}" if folder else p.name for p in where.glob("*.sql")))


def _target(source: SourceResult, alembic_head: str | None) -> MigrationTarget:
    """--alembic-head wins; else the revision graph's single head (several heads: the user must choose)."""
    head = (alembic_head or getattr(source, "head", None)) if source.kind == "alembic" else None
    return MigrationTarget(source.style, _normal(source.path), tuple(source.files), head)


def _model_hints(plan: FkIndexPlan) -> list[str]:
    lines = ["no migrations found: the schema comes from the models, so the index belongs there:"]
    lines += [f"  {_where(ix)}: {_model_change(ix)}" for ix in plan.indexes]
    lines.append("(or pass --migrations-dir DIR to write a SQL migration instead)")
    return lines


def _where(index: IndexToCreate) -> str:
    loc = index.location
    return f"{loc.path}:{loc.line}" if loc else index.table


def _model_change(index: IndexToCreate) -> str:
    if len(index.columns) == 1:
        return f"add index=True to the Column {index.table}.{index.columns[0]}"
    columns = ", ".join(repr(c) for c in index.columns)
    return f"add Index({index.name!r}, {columns}) to {index.table}.__table_args__"
