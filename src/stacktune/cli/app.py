"""The `stacktune` command group, shared helpers and exit codes.

Plain click: it starts in a fraction of the time the heavier CLI frameworks
need, and the audit of a whole repository has a 0.5 s budget.
"""

from __future__ import annotations

import importlib
import sys

import click

from stacktune import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

# Every command: its name and where it lives. A module is imported only when its
# command runs (or help lists it), so `stacktune audit` never loads the live or fix code.
COMMANDS = {
    "audit": "stacktune.cli.audit_command:audit",
    "fix": "stacktune.cli.fix_command:fix",
    "verify": "stacktune.cli.live_commands:verify",
    "drift": "stacktune.cli.live_commands:drift",
    "apply": "stacktune.cli.live_commands:apply",
    "worker": "stacktune.cli.worker_command:worker",
    "rule": "stacktune.cli.rule_command:rule",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        return getattr(importlib.import_module(module), attribute)


@click.group(
    name="stacktune",
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="stacktune")
def app() -> None:
    """Find and fix the performance faults hiding in a Python + PostgreSQL + Celery backend.

    stacktune reads a backend repository (or a live database) and reports what will hurt in
    production: foreign keys PostgreSQL cannot look up by index, hard-coded Celery worker
    concurrency. Exit status: 0 nothing to report, 1 findings, 2 the command could not run.
    """


def fail(message: str) -> click.exceptions.Exit:
    """Print an error to stderr and return the exit for `raise`: the command could not run."""
    click.echo(f"stacktune: {message}", err=True)
    return click.exceptions.Exit(EXIT_ERROR)


def is_terminal() -> bool:
    return sys.stdout.isatty()
