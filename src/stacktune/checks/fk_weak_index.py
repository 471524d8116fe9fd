"""ST102 fk-weak-index: an index almost serves a foreign key's lookup, but not quite."""

from __future__ import annotations

from collections.abc import Iterator

from stacktune.checks.context import AuditContext
from stacktune.checks.fk_without_index import fk_location, fk_message
from stacktune.checks.rule import Rule
from stacktune.model.finding import Finding

RULE = Rule(
    code="ST102",
    name="fk-weak-index",
    title="Foreign key whose only candidate index cannot serve its lookup well",
    severity="warning",
    why=(
        "An index that has the FK column second, is partial with an unrelated predicate, is INVALID after a"
        " failed concurrent build, or is GIN/BRIN looks like coverage in a schema review but does not turn"
        " PostgreSQL's per-row FK lookup into an index lookup. The cost is that of a missing index, hidden."
    ),
    fix="sometimes",
    bad_example=(
        "CREATE TABLE orders (id bigserial PRIMARY KEY, shop_id bigint, user_id bigint REFERENCES users(id));\n"
        "CREATE INDEX idx_orders_shop_user ON orders (shop_id, user_id);\n"
    ),
    good_example=(
        "CREATE TABLE orders (id bigserial PRIMARY KEY, shop_id bigint, user_id bigint REFERENCES users(id));\n"
        "CREATE INDEX idx_orders_shop_user ON orders (shop_id, user_id);\n"
        "CREATE INDEX idx_orders_user_id ON orders (user_id);\n"
    ),
)


def check(ctx: AuditContext) -> Iterator[Finding]:
    for item in ctx.coverage:
        if item.coverage.verdict == "weak":
            yield RULE.finding(
                fk_message(item),
                fk_location(item),
                table=item.table.qualified_name,
                columns=item.fk.columns,
                help="add an index that leads with the FK columns (stacktune fix --include-weak)",
                details={"constraint": item.fk.name, "index": item.coverage.covered_by},
            )
