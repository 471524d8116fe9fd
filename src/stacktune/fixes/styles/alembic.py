"""Alembic: a revision file after the current head, `op.create_index(...)` up, `op.drop_index(...)` down.

The revision id is 12 hex digits of a hash of the file's content, so the same
plan at the same time gives the same file. Concurrent builds go in
`autocommit_block()`. `if_not_exists` needs Alembic 1.12 or later.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import PurePosixPath

from stacktune.fixes.errors import FixError
from stacktune.fixes.fk_index_plan import FkIndexPlan, IndexToCreate
from stacktune.fixes.identifiers import DEFAULT_SCHEMA
from stacktune.fixes.sql_text import comment
from stacktune.fixes.styles.common import DESCRIPTION, MigrationTarget, new_file
from stacktune.model.finding import Edit

_REVISION_ID = re.compile(r"^[\w.\-]+$")


def render(plan: FkIndexPlan, target: MigrationTarget, now: datetime) -> list[Edit]:
    head = target.head
    if head is None and target.files:
        raise FixError("the Alembic head revision is needed to write the next revision (pass it with --alembic-head)")
    if head is not None and not _REVISION_ID.match(head):
        raise FixError(f"{head!r} is not an Alembic revision id")
    revision = hashlib.sha1(_module(plan, head, now, "").encode()).hexdigest()[:12]
    folder = str(PurePosixPath(target.files[-1]).parent) if target.files else target.folder
    return [new_file(folder, f"{revision}_{DESCRIPTION}.py", _module(plan, head, now, revision))]


def _module(plan: FkIndexPlan, head: str | None, now: datetime, revision: str) -> str:
    return (
        '"""Add indexes for foreign keys that had none (stacktune fix).\n\n'
        f"Revision ID: {revision}\n"
        f"Revises: {head or ''}\n"
        f"Create Date: {now.isoformat(sep=' ', timespec='seconds')}\n"
        '"""\n'
        "import sqlalchemy as sa\n"
        "from alembic import op\n\n"
        "# revision identifiers, used by Alembic.\n"
        f"revision = {_literal(revision)}\n"
        f"down_revision = {_literal(head) if head else None}\n"
        "branch_labels = None\n"
        "depends_on = None\n\n\n"
        "def upgrade() -> None:\n"
        + _indent(comment(plan.header(), "#"), 1)
        + _body(plan, [_create(plan, ix) for ix in plan.indexes], [ix.evidence for ix in plan.indexes])
        + "\n\ndef downgrade() -> None:\n"
        + _body(plan, [_drop(plan, ix) for ix in reversed(plan.indexes)], [() for _ in plan.indexes])
    )


def _body(plan: FkIndexPlan, calls: list[str], evidence: list[tuple[str, ...]]) -> str:
    """The calls, inside autocommit_block() when building concurrently (it refuses a transaction)."""
    depth = 1
    text = ""
    if plan.options.concurrently:
        text += "    with op.get_context().autocommit_block():\n"
        depth = 2
    for call, lines in zip(calls, evidence, strict=True):
        text += _indent(comment(lines, "#"), depth) + _indent(call, depth)
    return text


def _create(plan: FkIndexPlan, index: IndexToCreate) -> str:
    columns = f"[{', '.join(_literal(c) for c in index.columns)}]"
    args = [_literal(index.name), _literal(index.table), columns, "unique=False"]
    if index.predicate is not None:
        args.append(f"postgresql_where=sa.text({_literal(index.predicate)})")
    if plan.options.concurrently and not index.partitioned:
        args.append("postgresql_concurrently=True")
    args.append("if_not_exists=True")
    args += _schema(index)
    return _call("op.create_index", args)


def _drop(plan: FkIndexPlan, index: IndexToCreate) -> str:
    args = [_literal(index.name), f"table_name={_literal(index.table)}"]
    if plan.options.concurrently and not index.partitioned:
        args.append("postgresql_concurrently=True")
    args.append("if_exists=True")
    args += _schema(index)
    return _call("op.drop_index", args)


def _schema(index: IndexToCreate) -> list[str]:
    return [] if index.schema == DEFAULT_SCHEMA else [f"schema={_literal(index.schema)}"]


def _call(function: str, args: list[str]) -> str:
    return f"{function}(\n" + "".join(f"    {arg},\n" for arg in args) + ")\n"


def _indent(text: str, depth: int) -> str:
    pad = "    " * depth
    return "".join(pad + line if line.strip() else line for line in text.splitlines(keepends=True))


def _literal(value: str) -> str:
    """A Python string literal for any text (repr escapes what must be), in double quotes when it can."""
    text = repr(value)
    if text.startswith("'") and '"' not in value:
        text = '"' + text[1:-1] + '"'
    return text
