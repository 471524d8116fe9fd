"""The `stacktune` command group, shared helpers and exit codes.

Plain click: it starts in a fraction of the time the heavier CLI frameworks
need, and the audit of a whole repository has a 0.5 s budget.
"""

from __future__ import annotations

import sys

import click

from stacktune import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@click.group(
    name="stacktune",
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
