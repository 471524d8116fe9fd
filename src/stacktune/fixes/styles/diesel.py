"""Diesel: a `<YYYY-MM-DD-HHMMSS>_add_missing_fk_indexes/` folder with up.sql, down.sql, and
metadata.toml `run_in_transaction = false` for concurrent builds."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import PurePosixPath

from stacktune.fixes.fk_index_plan import FkIndexPlan
from stacktune.fixes.sql_text import down_body, up_body
from stacktune.fixes.styles.common import DESCRIPTION, ONE_STATEMENT_PER_FILE, MigrationTarget, chunks, new_file
from stacktune.fixes.versions import next_numbers, parse_timestamp
from stacktune.model.finding import Edit

_FOLDER = re.compile(r"^(\d[\d\-]*)_")
_NO_TRANSACTION = "run_in_transaction = false\n"


def render(plan: FkIndexPlan, target: MigrationTarget, now: datetime) -> list[Edit]:
    versions = [m.group(1) for f in target.files if (m := _FOLDER.match(PurePosixPath(f).parent.name))]
    digits = [v.replace("-", "") for v in versions]
    # 00000000000000_diesel_initial_setup comes first by design; it says nothing about the scheme.
    significant = [d for d in digits if int(d) != 0]
    dashed = not versions or any("-" in v for v in versions)
    parts = chunks(plan, one_query_per_file=True)
    header = ONE_STATEMENT_PER_FILE if plan.options.concurrently else []
    edits = []
    for version, indexes in zip(next_numbers(significant, now, len(parts), default="timestamp"), parts, strict=True):
        folder = f"{_written(version, dashed)}_{DESCRIPTION}"
        base = folder if target.folder in ("", ".") else f"{target.folder.rstrip('/')}/{folder}"
        edits.append(new_file(base, "up.sql", up_body(plan, indexes, header=header)))
        edits.append(new_file(base, "down.sql", f"-- Reverts {folder}/up.sql.\n" + down_body(plan, indexes)))
        if plan.options.concurrently:
            edits.append(new_file(base, "metadata.toml", _NO_TRANSACTION))
    return edits


def _written(version: str, dashed: bool) -> str:
    """`diesel migration generate` writes YYYY-MM-DD-HHMMSS."""
    stamp = parse_timestamp(version)
    return stamp.strftime("%Y-%m-%d-%H%M%S") if stamp is not None and dashed else version
