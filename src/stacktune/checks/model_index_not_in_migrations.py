"""ST105 model-index-not-in-migrations: the model declares an index no Alembic revision creates."""

from __future__ import annotations

from collections.abc import Iterator

from stacktune.checks.context import AuditContext
from stacktune.checks.model_revision_drift import missing_indexes
from stacktune.checks.rule import Rule
from stacktune.model.finding import Finding

RULE = Rule(
    code="ST105",
    name="model-index-not-in-migrations",
    title="Index declared on the model that no Alembic revision creates",
    severity="warning",
    why=(
        "Production gets its schema from the revisions, not from the models. An index added to a model"
        " (index=True, Index(...), unique=True) without a revision never reaches the database: the code reads"
        " as indexed while every lookup, and every foreign-key check on delete, scans the table."
    ),
    bad_example=(
        "# models.py: shop_id = mapped_column(ForeignKey('shops.id'), index=True)\n"
        "# versions/0002_orders.py creates orders without that index\n"
        "op.create_table('orders', sa.Column('id', sa.Integer(), primary_key=True),\n"
        "                sa.Column('shop_id', sa.Integer(), sa.ForeignKey('shops.id')))\n"
    ),
    good_example=(
        "op.create_table('orders', sa.Column('id', sa.Integer(), primary_key=True),\n"
        "                sa.Column('shop_id', sa.Integer(), sa.ForeignKey('shops.id')))\n"
        "op.create_index(op.f('ix_orders_shop_id'), 'orders', ['shop_id'])\n"
    ),
)


def check(ctx: AuditContext) -> Iterator[Finding]:
    if ctx.model_schema is None:
        return
    for gap in missing_indexes(ctx.model_schema, ctx.schema):
        yield RULE.finding(
            f"index {gap.item.describe()} is declared by the model, but no Alembic revision creates it on"
            f" {gap.other.qualified_name} (created at {gap.other_location}): production lacks it",
            gap.location, table=gap.table.qualified_name, columns=tuple(c or "" for c in gap.item.key_columns),
            help="add a revision that creates it (alembic revision --autogenerate), or drop it from the model",
            details=gap.related("the table in the revisions"),
        )
