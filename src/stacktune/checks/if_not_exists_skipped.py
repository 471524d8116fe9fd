"""ST104 if-not-exists-skipped: IF NOT EXISTS met an existing name, so the statement did nothing."""

from __future__ import annotations

from collections.abc import Iterator

from stacktune.checks.context import AuditContext
from stacktune.checks.rule import Rule
from stacktune.model.finding import Finding

RULE = Rule(
    code="ST104",
    name="if-not-exists-skipped",
    title="CREATE ... IF NOT EXISTS skipped because the name already exists",
    severity="warning",
    why=(
        "IF NOT EXISTS compares names only. When an object of that name already exists with other columns"
        " (an index created by the models, a table created by create_all), the statement is skipped with a"
        " NOTICE nobody reads, and the index or constraint it spells out never exists."
    ),
    bad_example=(
        "CREATE INDEX idx_orders_user ON orders (shop_id);\n"
        "CREATE INDEX IF NOT EXISTS idx_orders_user ON orders (user_id);  -- skipped\n"
    ),
    good_example=(
        "CREATE INDEX idx_orders_shop ON orders (shop_id);\n"
        "CREATE INDEX IF NOT EXISTS idx_orders_user ON orders (user_id);\n"
    ),
)


def check(ctx: AuditContext) -> Iterator[Finding]:
    for problem in ctx.replay_problems:
        if problem.notice:
            yield RULE.finding(problem.message, problem.location)
