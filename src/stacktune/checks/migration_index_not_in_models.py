"""ST106 migration-index-not-in-models: an Alembic revision creates an index the models no longer declare."""

from __future__ import annotations

from collections.abc import Iterator

from stacktune.checks.context import AuditContext
from stacktune.checks.model_revision_drift import missing_indexes
from stacktune.checks.rule import Rule
from stacktune.model.finding import Finding

RULE = Rule(
    code="ST106",
    name="migration-index-not-in-models",
    title="Index created by an Alembic revision that the models do not declare",
    severity="info",
    why=(
        "The database has an index the models know nothing about. The next `alembic revision --autogenerate`"
        " proposes to drop it, and a reviewer who trusts the models approves: a foreign key or a hot query"
        " loses its index in production."
    ),
    bad_example=(
        "# versions/0002_orders.py\n"
        "op.create_index('ix_orders_customer_created', 'orders', ['customer_id', 'created_at'])\n"
        "# models.py declares no such index on Order\n"
    ),
    good_example=(
        "# models.py\n"
        "class Order(Base):\n"
        "    __tablename__ = 'orders'\n"
        "    __table_args__ = (Index('ix_orders_customer_created', 'customer_id', 'created_at'),)\n"
    ),
)


def check(ctx: AuditContext) -> Iterator[Finding]:
    if ctx.model_schema is None:
        return
    for gap in missing_indexes(ctx.schema, ctx.model_schema):
        yield RULE.finding(
            f"index {gap.item.describe()} is created by the revisions, but the model of"
            f" {gap.other.qualified_name} ({gap.other_location}) does not declare it",
            gap.location, table=gap.table.qualified_name, columns=tuple(c or "" for c in gap.item.key_columns),
            help="declare it on the model (so autogenerate keeps it), or drop it in a revision if it is unused",
            details=gap.related("the model"),
        )
