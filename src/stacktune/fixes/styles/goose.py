"""goose: one file with `-- +goose Up` / `-- +goose Down`, `-- +goose NO TRANSACTION` for concurrent builds."""

from __future__ import annotations

import re
from datetime import datetime

from stacktune.fixes.fk_index_plan import FkIndexPlan
from stacktune.fixes.sql_text import down_body, up_body
from stacktune.fixes.styles.common import DESCRIPTION, MigrationTarget, file_names, matching, new_file
from stacktune.fixes.versions import next_numbers
from stacktune.model.finding import Edit

_NAME = re.compile(r"^(\d+)_.*\.(?:sql|go)$")


def render(plan: FkIndexPlan, target: MigrationTarget, now: datetime) -> list[Edit]:
    existing = [m.group(1) for m in matching(file_names(target), _NAME)]
    # `goose create` writes timestamps unless told -s; goose runs each statement on its own.
    version = next_numbers(existing, now, default="timestamp")[0]
    content = (
        ("-- +goose NO TRANSACTION\n" if plan.options.concurrently else "")
        + "-- +goose Up\n"
        + up_body(plan, plan.indexes)
        + "\n-- +goose Down\n"
        + down_body(plan, plan.indexes)
    )
    return [new_file(target.folder, f"{version}_{DESCRIPTION}.sql", content)]
