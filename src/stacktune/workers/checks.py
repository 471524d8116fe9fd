"""The worker checks: pure functions from commands and settings to findings, one per rule.

Each finding names what it is about in `details` ("command" / "setting": the index in the
audit's lists), so fixes can find the command again without re-deciding what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from stacktune.model.finding import Finding
from stacktune.workers import rules
from stacktune.workers.budget import Budget
from stacktune.workers.celery_cli import Invocation, OptionUse, worker_invocation
from stacktune.workers.expansion import unexpanded
from stacktune.workers.model import Setting, ShellPlace, WorkerCommand
from stacktune.workers.values import autoscale_problem, classify, default_of

CONTAINER_STYLES = frozenset({"dockerfile", "compose", "kubernetes", "fly", "railway", "render", "procfile"})


@dataclass(frozen=True, slots=True)
class Facts:
    commands: Sequence[WorkerCommand]
    settings: Sequence[Setting]
    celery_version: tuple[int, int] | None = None
    budget: Budget | None = None

    def invocation(self, index: int) -> Invocation:
        found = worker_invocation(self.commands[index].words)
        assert found is not None  # readers only keep worker commands
        return found


def _cmd(rule, facts: Facts, i: int, message: str, **extra: object) -> Finding:  # noqa: ANN001
    command = facts.commands[i]
    return rule.finding(message, command.location, details={"command": i, "style": command.style, **extra})


def _written(option: OptionUse) -> str:
    joined = option.value_word is None
    if joined and option.option.startswith("--"):
        return f"{option.option}={option.value}"
    return f"{option.option}{'' if joined else ' '}{option.value}"


def _c_ignored(invocation: Invocation) -> str | None:
    """Why Celery ignores -c on this command line (ST206), or None when -c sizes the pool."""
    if (invocation.pool or "").lower() == "solo":
        return "-c is ignored: the solo pool runs one task at a time"
    if invocation.autoscale is not None:
        return f"-c is ignored: --autoscale={invocation.autoscale.value} sizes the pool"
    return None


def hardcoded(facts: Facts) -> list[Finding]:
    found = []
    for i, command in enumerate(facts.commands):
        invocation = facts.invocation(i)
        option = invocation.concurrency
        # A -c Celery ignores fixes nothing: ST206 says so, and rewriting it would change nothing.
        if option and classify(option.value)[0] == "number" and _c_ignored(invocation) is None:
            found.append(
                _cmd(
                    rules.HARDCODED, facts, i,
                    f"{command.style}: worker concurrency is fixed at {option.value} ({_written(option)})",
                    value=int(option.value),
                )
            )
    for j, setting in enumerate(facts.settings):
        if setting.kind == "config" and setting.value_span is not None:
            found.append(
                rules.HARDCODED.finding(
                    f"{setting.name} is fixed at {setting.value} in Python config",
                    setting.location,
                    details={"setting": j, "style": setting.style, "value": int(setting.value or 0)},
                )
            )
    return found


def not_expanded(facts: Facts) -> list[Finding]:
    found = []
    for i, command in enumerate(facts.commands):
        for word in command.words:
            refs = unexpanded(word.raw if isinstance(command.place, ShellPlace) else word.text, command.expansion)
            if refs:
                found.append(
                    _cmd(
                        rules.NOT_EXPANDED, facts, i,
                        f"{command.style}: {', '.join(refs)} in {word.text!r} is {command.expansion.what_happens}",
                        variables=refs,
                    )
                )
                break
    return found


def invalid(facts: Facts) -> list[Finding]:
    found = []
    for i in range(len(facts.commands)):
        invocation = facts.invocation(i)
        option = invocation.concurrency
        if option:
            kind, reason = classify(option.value)
            if kind == "invalid":
                found.append(_cmd(rules.INVALID, facts, i, f"{option.option} {option.value!r}: {reason}"))
            elif kind == "auto" and facts.celery_version is not None and facts.celery_version < (5, 7):
                found.append(
                    _cmd(
                        rules.INVALID, facts, i,
                        f"--concurrency=auto needs Celery 5.7+, the project pins "
                        f"{facts.celery_version[0]}.{facts.celery_version[1]}",
                    )
                )
        if invocation.autoscale:
            problem = autoscale_problem(invocation.autoscale.value)
            if problem:
                found.append(_cmd(rules.INVALID, facts, i, f"--autoscale {problem}"))
    for j, setting in enumerate(facts.settings):
        if setting.value is None:
            continue
        kind, reason = classify(setting.value)
        if kind == "invalid":
            found.append(
                rules.INVALID.finding(
                    f"{setting.name}={setting.value!r}: {reason}", setting.location, details={"setting": j}
                )
            )
    return found


def not_int(facts: Facts) -> list[Finding]:
    return [
        rules.NOT_INT.finding(
            f"{setting.name} = {setting.expression}: an environment string, not an int",
            setting.location,
            details={"setting": j},
            help="wrap it in int(...), or use stacktune.celery.concurrency(default=4)",
        )
        for j, setting in enumerate(facts.settings)
        if setting.env_without_int
    ]


def overridden(facts: Facts) -> list[Finding]:
    """CLI > CELERY_WORKER_CONCURRENCY env > config > CPU count: report every loser."""
    cli = [c for i, c in enumerate(facts.commands) if facts.invocation(i).concurrency]
    env = [s for s in facts.settings if s.kind == "env" and s.name == "CELERY_WORKER_CONCURRENCY"]
    config = [s for s in facts.settings if s.kind == "config"]
    found = []
    if cli:
        winner = f"--concurrency on the command line ({cli[0].location})"
        losers = env + config
    elif env:
        winner = f"CELERY_WORKER_CONCURRENCY ({env[0].location})"
        losers = config
    else:
        return []
    for j, setting in enumerate(facts.settings):
        if setting in losers:
            found.append(
                rules.OVERRIDDEN.finding(
                    f"{setting.name} here is overridden by {winner}", setting.location, details={"setting": j}
                )
            )
    return found


def ignored(facts: Facts) -> list[Finding]:
    found = []
    for i in range(len(facts.commands)):
        invocation = facts.invocation(i)
        reason = _c_ignored(invocation) if invocation.concurrency is not None else None
        if reason is not None:
            found.append(_cmd(rules.IGNORED, facts, i, reason))
    return found


def needs_exec(command: WorkerCommand) -> bool:
    """A start script's (or shell-form CMD's) last command that runs celery as a child."""
    place = command.place
    if not isinstance(place, ShellPlace) or place.exec_prefixed or not place.last_command:
        return False
    return place.script or (command.style == "dockerfile" and place.quoting == "none")


def without_exec(facts: Facts) -> list[Finding]:
    found = []
    for i, command in enumerate(facts.commands):
        if needs_exec(command):
            found.append(
                _cmd(
                    rules.WITHOUT_EXEC, facts, i,
                    f"{command.style}: celery runs as a child of the shell; SIGTERM stops the shell, not the worker",
                )
            )
    return found


def unset(facts: Facts) -> list[Finding]:
    if any(s.name == "CELERY_WORKER_CONCURRENCY" or s.kind == "config" for s in facts.settings):
        return []
    in_container = any(c.container or c.style in CONTAINER_STYLES for c in facts.commands)
    found = []
    for i, command in enumerate(facts.commands):
        invocation = facts.invocation(i)
        if invocation.concurrency or invocation.autoscale or (invocation.pool or "").lower() == "solo":
            continue
        if command.container or in_container:
            found.append(
                _cmd(
                    rules.UNSET, facts, i,
                    f"{command.style}: no concurrency anywhere; Celery will start one process per host CPU, "
                    "not per CPU of the container's quota",
                )
            )
    return found


def connection_budget(facts: Facts) -> list[Finding]:
    budget = facts.budget
    if budget is None or not budget.exceeded:
        return []
    engine = budget.engines[0]
    return [
        rules.CONNECTION_BUDGET.finding(
            f"{budget.processes} worker processes x {budget.per_process} connections each = {budget.demand} "
            f"> {budget.available} usable of max_connections={budget.max_connections}",
            engine.location,
            details={
                "processes": budget.processes,
                "per_process": budget.per_process,
                "demand": budget.demand,
                "max_connections": budget.max_connections,
            },
            help="lower pool_size/max_overflow for workers (or use NullPool), lower concurrency, or add PgBouncer",
        )
    ]


CHECKS: tuple[Callable[[Facts], list[Finding]], ...] = (
    hardcoded, not_expanded, invalid, not_int, overridden, ignored, without_exec, unset, connection_budget,
)


def worker_processes(facts: Facts, default: int) -> int:
    """Processes all worker commands would run once fixed: literal numbers become `default`."""
    total = 0
    for i in range(len(facts.commands)):
        invocation = facts.invocation(i)
        if invocation.autoscale and autoscale_problem(invocation.autoscale.value) is None:
            total += max(int(p) for p in invocation.autoscale.value.split(",") if p.strip().isdigit())
        elif (invocation.pool or "").lower() == "solo":
            total += 1
        elif invocation.concurrency and classify(invocation.concurrency.value)[0] == "number":
            total += default  # what the fix will make it
        elif invocation.concurrency:
            total += default_of(invocation.concurrency.value) or default
        else:
            total += default
    return total
