"""ST108 migration-fk-not-in-models: an Alembic revision creates a foreign key the models do not declare."""

from __future__ import annotations

from collections.abc import Iterator

from stacktune.checks.context import AuditContext
from stacktune.checks.model_revision_drift import describe_fk, missing_foreign_keys
from stacktune.checks.rule import Rule
from stacktune.model.finding import Finding

RULE = Rule(
    code="ST108",
    name="migration-fk-not-in-models",
    title="Foreign key created by an Alembic revision that the models do not declare",
    severity="info",
    why=(
        "The database enforces a foreign key the models do not know: autogenerate proposes to drop it, and"
        " its referencing columns still need an index that nobody looking at the models will think of."
    ),
    bad_example=(
        "op.create_foreign_key(None, 'orders', 'shops', ['shop_id'], ['id'])\n"
        "# models.py: shop_id = mapped_column(Integer)  (no ForeignKey)\n"
    ),
    good_example=(
        "op.create_foreign_key(None, 'orders', 'shops', ['shop_id'], ['id'])\n"
        "# models.py: shop_id = mapped_column(ForeignKey('shops.id'), index=True)\n"
    ),
)


def check(ctx: AuditContext) -> Iterator[Finding]:
    if ctx.model_schema is None:
        return
    for gap in missing_foreign_keys(ctx.schema, ctx.model_schema):
        yield RULE.finding(
            f"foreign key {describe_fk(gap.item)} is created by the revisions, but the model of"  # type: ignore[arg-type]
            f" {gap.other.qualified_name} ({gap.other_location}) does not declare it",
            gap.location, table=gap.table.qualified_name, columns=gap.item.columns,  # type: ignore[union-attr]
            help="declare it on the model with ForeignKey(...), or drop it in a revision",
            details=gap.related("the model"),
        )
