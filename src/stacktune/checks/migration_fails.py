"""ST103 migration-fails: a statement that PostgreSQL rejects when the schema is built from scratch."""

from __future__ import annotations

from collections.abc import Iterator

from stacktune.checks.context import AuditContext
from stacktune.checks.rule import Rule
from stacktune.model.finding import Finding

RULE = Rule(
    code="ST103",
    name="migration-fails",
    title="Statement that fails on a fresh database",
    severity="error",
    why=(
        "A new environment (a developer's machine, CI, a restored staging database) builds the schema by"
        " running every migration in order. A statement that fails there (two indexes with one name, a"
        " column that no longer exists) stops the build, or in a runner that carries on, silently leaves the"
        " rest of that migration unapplied, so environments drift apart."
    ),
    bad_example=(
        "CREATE INDEX idx_orders_user ON orders (user_id);\n"
        "CREATE INDEX idx_orders_user ON orders (user_id, created_at);\n"
    ),
    good_example=(
        "CREATE INDEX idx_orders_user ON orders (user_id);\n"
        "CREATE INDEX idx_orders_user_created ON orders (user_id, created_at);\n"
    ),
)


def check(ctx: AuditContext) -> Iterator[Finding]:
    for problem in ctx.replay_problems:
        if not problem.notice:
            yield RULE.finding(f"this statement fails on a fresh database: {problem.message}", problem.location)
