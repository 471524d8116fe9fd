"""The one explicit list of rules. Adding a rule means adding its module here, nothing else."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from stacktune.checks import (
    alembic_multiple_heads,
    fk_weak_index,
    fk_without_index,
    if_not_exists_skipped,
    migration_fails,
    migration_fk_not_in_models,
    migration_index_not_in_models,
    model_fk_not_in_migrations,
    model_index_not_in_migrations,
)
from stacktune.checks.context import AuditContext
from stacktune.checks.rule import Rule
from stacktune.model.finding import Finding

SCHEMA_CHECKS: tuple[tuple[Rule, Callable[[AuditContext], Iterable[Finding]]], ...] = (
    (fk_without_index.RULE, fk_without_index.check),
    (fk_weak_index.RULE, fk_weak_index.check),
    (migration_fails.RULE, migration_fails.check),
    (if_not_exists_skipped.RULE, if_not_exists_skipped.check),
    (model_index_not_in_migrations.RULE, model_index_not_in_migrations.check),
    (migration_index_not_in_models.RULE, migration_index_not_in_models.check),
    (model_fk_not_in_migrations.RULE, model_fk_not_in_migrations.check),
    (migration_fk_not_in_models.RULE, migration_fk_not_in_models.check),
    (alembic_multiple_heads.RULE, alembic_multiple_heads.check),
)


def all_rules() -> tuple[Rule, ...]:
    """Every rule stacktune can report, in code order: schema, worker and suppression rules."""
    from stacktune.suppressions import SUPPRESSION_RULES
    from stacktune.workers.rules import WORKER_RULES

    rules = (*(rule for rule, _ in SCHEMA_CHECKS), *WORKER_RULES, *SUPPRESSION_RULES)
    return tuple(sorted(rules, key=lambda rule: rule.code))


def run_schema_checks(ctx: AuditContext) -> Iterator[Finding]:
    for _, check in SCHEMA_CHECKS:
        yield from check(ctx)
