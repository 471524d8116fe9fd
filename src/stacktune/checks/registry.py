"""The one explicit list of rules. Adding a rule means adding its module here, nothing else."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from stacktune.checks import fk_weak_index, fk_without_index, if_not_exists_skipped, migration_fails
from stacktune.checks.context import AuditContext
from stacktune.checks.rule import Rule
from stacktune.model.finding import Finding

SCHEMA_CHECKS: tuple[tuple[Rule, Callable[[AuditContext], Iterable[Finding]]], ...] = (
    (fk_without_index.RULE, fk_without_index.check),
    (fk_weak_index.RULE, fk_weak_index.check),
    (migration_fails.RULE, migration_fails.check),
    (if_not_exists_skipped.RULE, if_not_exists_skipped.check),
)


def all_rules() -> tuple[Rule, ...]:
    return tuple(rule for rule, _ in SCHEMA_CHECKS)


def run_schema_checks(ctx: AuditContext) -> Iterator[Finding]:
    for _, check in SCHEMA_CHECKS:
        yield from check(ctx)
