"""ST101 fk-without-index: no index serves the lookup PostgreSQL runs for a foreign key."""

from __future__ import annotations

from collections.abc import Iterator

from stacktune.checks.context import AuditContext, FkCoverage
from stacktune.checks.rule import Rule
from stacktune.model.finding import Finding
from stacktune.model.location import Location

RULE = Rule(
    code="ST101",
    name="fk-without-index",
    title="Foreign key without an index on its referencing columns",
    severity="warning",
    why=(
        "Every DELETE of a referenced row, and every UPDATE of its key, makes PostgreSQL look up the"
        " referencing rows (`SELECT 1 FROM ONLY child WHERE fk = $1`). Without an index that lookup is a"
        " sequential scan of the whole child table, run once per deleted parent row, under a lock; with"
        " ON DELETE CASCADE or SET NULL it also runs the cascaded change the same way. Joins from the parent"
        " to its children pay the same scan."
    ),
    fix="always",
    bad_example=(
        "CREATE TABLE users (id bigserial PRIMARY KEY);\n"
        "CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint REFERENCES users(id));\n"
    ),
    good_example=(
        "CREATE TABLE users (id bigserial PRIMARY KEY);\n"
        "CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint REFERENCES users(id));\n"
        "CREATE INDEX IF NOT EXISTS idx_orders_user_id ON orders (user_id) WHERE user_id IS NOT NULL;\n"
    ),
)


def fk_location(item: FkCoverage) -> Location:
    return item.fk.location or item.table.location or Location("<unknown>")


def fk_message(item: FkCoverage) -> str:
    fk, table = item.fk, item.table
    ref = fk.ref_table if fk.ref_schema == table.schema else f"{fk.ref_schema}.{fk.ref_table}"
    return (
        f"{table.qualified_name}({', '.join(fk.columns)}) references {ref}({', '.join(fk.ref_columns)})"
        f" [{fk.name}, ON DELETE {fk.on_delete}]: {item.coverage.reason}"
    )


def check(ctx: AuditContext) -> Iterator[Finding]:
    for item in ctx.coverage:
        if item.coverage.verdict == "uncovered":
            yield RULE.finding(
                fk_message(item),
                fk_location(item),
                table=item.table.qualified_name,
                columns=item.fk.columns,
                help=f"stacktune fix adds CREATE INDEX ON {item.table.qualified_name} ({', '.join(item.fk.columns)})",
                details={"constraint": item.fk.name, "conditional": item.fk.conditional},
            )
