"""ST107 model-fk-not-in-migrations: the model declares a foreign key no Alembic revision creates."""

from __future__ import annotations

from collections.abc import Iterator

from stacktune.checks.context import AuditContext
from stacktune.checks.model_revision_drift import describe_fk, missing_foreign_keys
from stacktune.checks.rule import Rule
from stacktune.model.finding import Finding

RULE = Rule(
    code="ST107",
    name="model-fk-not-in-migrations",
    title="Foreign key declared on the model that no Alembic revision creates",
    severity="warning",
    why=(
        "The model promises referential integrity the database does not enforce: rows pointing at deleted"
        " parents accumulate in production, and the ORM's assumptions about them fail later."
    ),
    bad_example=(
        "# models.py: customer_id = mapped_column(ForeignKey('users.id'))\n"
        "op.create_table('orders', sa.Column('id', sa.Integer(), primary_key=True),\n"
        "                sa.Column('customer_id', sa.Integer()))\n"
    ),
    good_example=(
        "op.create_table('orders', sa.Column('id', sa.Integer(), primary_key=True),\n"
        "                sa.Column('customer_id', sa.Integer(), sa.ForeignKey('users.id')))\n"
    ),
)


def check(ctx: AuditContext) -> Iterator[Finding]:
    if ctx.model_schema is None:
        return
    for gap in missing_foreign_keys(ctx.model_schema, ctx.schema):
        yield RULE.finding(
            f"foreign key {describe_fk(gap.item)} is declared by the model, but no Alembic revision creates it"  # type: ignore[arg-type]
            f" on {gap.other.qualified_name} (created at {gap.other_location}): production does not enforce it",
            gap.location, table=gap.table.qualified_name, columns=gap.item.columns,  # type: ignore[union-attr]
            help="add a revision with op.create_foreign_key(...), or drop it from the model",
            details=gap.related("the table in the revisions"),
        )
