"""dbmate: `-- migrate:up` / `-- migrate:down` sections, `transaction:false` for concurrent builds."""

from __future__ import annotations

import re
from datetime import datetime

from stacktune.fixes.fk_index_plan import FkIndexPlan
from stacktune.fixes.sql_text import down_body, up_body
from stacktune.fixes.styles.common import (
    DESCRIPTION,
    ONE_STATEMENT_PER_FILE,
    MigrationTarget,
    chunks,
    file_names,
    matching,
    new_file,
)
from stacktune.fixes.versions import next_numbers
from stacktune.model.finding import Edit

_NAME = re.compile(r"^(\d+)_.*\.sql$")


def render(plan: FkIndexPlan, target: MigrationTarget, now: datetime) -> list[Edit]:
    concurrently = plan.options.concurrently
    parts = chunks(plan, one_query_per_file=True)
    existing = [m.group(1) for m in matching(file_names(target), _NAME)]
    versions = next_numbers(existing, now, len(parts), default="timestamp")
    option = " transaction:false" if concurrently else ""
    header = ONE_STATEMENT_PER_FILE if concurrently else []
    edits = []
    for version, indexes in zip(versions, parts, strict=True):
        content = (
            f"-- migrate:up{option}\n"
            + up_body(plan, indexes, header=header)
            + f"\n-- migrate:down{option}\n"
            + down_body(plan, indexes)
        )
        edits.append(new_file(target.folder, f"{version}_{DESCRIPTION}.sql", content))
    return edits
