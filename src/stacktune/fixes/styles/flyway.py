"""Flyway: the next `V<version>__add_missing_fk_indexes.sql`, its `U` undo script, and
`.sql.conf` script configs with `executeInTransaction=false` for concurrent builds.

Versioning: a project of plain integers gets the next integer (V93 -> V94, V007 -> V008);
dotted versions get their last part raised (V1.2 -> V1.3, V1_9 -> V1_10), so the new
script sorts last without inventing a new major version.
"""

from __future__ import annotations

import re
from datetime import datetime

from stacktune.fixes.fk_index_plan import FkIndexPlan
from stacktune.fixes.sql_text import down_body, up_body
from stacktune.fixes.styles.common import DESCRIPTION, MigrationTarget, down_comment, file_names, matching, new_file
from stacktune.fixes.versions import next_dotted
from stacktune.model.finding import Edit

_VERSIONED = re.compile(r"^[VU](\d+(?:[._]\d+)*)__.*\.sql$")
_NO_TRANSACTION = "executeInTransaction=false\n"


def render(plan: FkIndexPlan, target: MigrationTarget, now: datetime) -> list[Edit]:
    version = next_dotted([m.group(1) for m in matching(file_names(target), _VERSIONED)], now)
    up_name = f"V{version}__{DESCRIPTION}.sql"
    undo_name = f"U{version}__{DESCRIPTION}.sql"
    header = [f"Runs outside a transaction: see {up_name}.conf."] if plan.options.concurrently else []
    edits = [
        new_file(target.folder, up_name, up_body(plan, plan.indexes, header=header)),
        new_file(target.folder, undo_name, down_comment(up_name) + down_body(plan, plan.indexes)),
    ]
    if plan.options.concurrently:
        edits += [new_file(target.folder, f"{name}.conf", _NO_TRANSACTION) for name in (up_name, undo_name)]
    return edits
