"""The SQL of a planned index: statements, comments, and the up/down bodies every SQL style shares."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from stacktune.fixes.fk_index_plan import FkIndexPlan, IndexToCreate
from stacktune.fixes.identifiers import qualified, quote_ident

# Why a plain SQL file must not be wrapped in a transaction when it builds concurrently.
OUTSIDE_TRANSACTION = [
    "Run this file OUTSIDE a transaction: CREATE INDEX CONCURRENTLY cannot run inside a",
    "transaction block. Send the statements one at a time (psql -f does), not as one BEGIN ... COMMIT.",
]


def comment_safe(text: str) -> str:
    """`text` on one line: control and line-separator characters shown as escapes.

    A name holding a newline must not end a `--` or `#` comment early and turn the
    rest of the name into code.
    """
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def comment(lines: Iterable[str], marker: str = "--") -> str:
    return "".join(f"{marker} {comment_safe(line)}".rstrip() + "\n" for line in lines)


def create_index(index: IndexToCreate, *, concurrently: bool) -> str:
    columns = ", ".join(quote_ident(c) for c in index.columns)
    concurrently = concurrently and not index.partitioned
    text = (
        f"CREATE INDEX {'CONCURRENTLY ' if concurrently else ''}IF NOT EXISTS {quote_ident(index.name)}"
        f" ON {qualified(index.schema, index.table)} ({columns})"
    )
    if index.predicate is not None:
        text += f"\n    WHERE {index.predicate}"
    return text + ";\n"


def drop_index(index: IndexToCreate, *, concurrently: bool) -> str:
    concurrently = concurrently and not index.partitioned
    return f"DROP INDEX {'CONCURRENTLY ' if concurrently else ''}IF EXISTS {qualified(index.schema, index.name)};\n"


def up_body(plan: FkIndexPlan, indexes: Sequence[IndexToCreate], *, header: Sequence[str] = ()) -> str:
    """Header comment, then each index with its evidence above it."""
    parts = [comment([*plan.header(), *header])]
    for index in indexes:
        parts.append("\n" + comment(index.evidence) + create_index(index, concurrently=plan.options.concurrently))
    return "".join(parts)


def down_body(plan: FkIndexPlan, indexes: Sequence[IndexToCreate]) -> str:
    """Drops in reverse order of creation."""
    concurrently = plan.options.concurrently
    return "".join(drop_index(index, concurrently=concurrently) for index in reversed(indexes))
