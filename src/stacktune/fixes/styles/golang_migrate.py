"""golang-migrate: `<version>_add_missing_fk_indexes.up.sql` and its `.down.sql`."""

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
    down_comment,
    file_names,
    matching,
    new_file,
)
from stacktune.fixes.versions import next_numbers
from stacktune.model.finding import Edit

_NAME = re.compile(r"^(\d+)_.*\.(?:up|down)\.sql$")


def render(plan: FkIndexPlan, target: MigrationTarget, now: datetime) -> list[Edit]:
    parts = chunks(plan, one_query_per_file=True)
    existing = [m.group(1) for m in matching(file_names(target), _NAME)]
    # `migrate create` writes timestamps unless told -seq.
    versions = next_numbers(existing, now, len(parts), default="timestamp")
    header = ONE_STATEMENT_PER_FILE if plan.options.concurrently else []
    edits = []
    for version, indexes in zip(versions, parts, strict=True):
        up_name = f"{version}_{DESCRIPTION}.up.sql"
        edits.append(new_file(target.folder, up_name, up_body(plan, indexes, header=header)))
        down = down_comment(up_name) + down_body(plan, indexes)
        edits.append(new_file(target.folder, f"{version}_{DESCRIPTION}.down.sql", down))
    return edits
