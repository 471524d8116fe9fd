"""Plain numbered SQL files (`093_x.sql` -> `094_add_missing_fk_indexes.sql`) and Supabase timestamps."""

from __future__ import annotations

import re
from datetime import datetime

from stacktune.fixes.fk_index_plan import FkIndexPlan
from stacktune.fixes.sql_text import OUTSIDE_TRANSACTION, up_body
from stacktune.fixes.styles.common import DESCRIPTION, MigrationTarget, file_names, matching, new_file
from stacktune.fixes.versions import Default, next_numbers
from stacktune.model.finding import Edit

_NAME = re.compile(r"^(\d+)([_\-. ]?).*\.sql$")


def render(plan: FkIndexPlan, target: MigrationTarget, now: datetime, *, default: Default = "sequence") -> list[Edit]:
    found = matching(file_names(target), _NAME)
    version = next_numbers([m.group(1) for m in found], now, default=default)[0]
    separator = _separator(found)
    description = DESCRIPTION.replace("_", "-") if separator == "-" else DESCRIPTION
    header = OUTSIDE_TRANSACTION if plan.options.concurrently else []
    content = up_body(plan, plan.indexes, header=header)
    return [new_file(target.folder, f"{version}{separator}{description}.sql", content)]


def _separator(found: list[re.Match[str]]) -> str:
    """The separator after the number in the newest file (`_` when there is none)."""
    if not found:
        return "_"
    newest = max(found, key=lambda m: (int(m.group(1)), m.group(0)))
    return newest.group(2) or "_"


def render_supabase(plan: FkIndexPlan, target: MigrationTarget, now: datetime) -> list[Edit]:
    return render(plan, target, now, default="timestamp")
