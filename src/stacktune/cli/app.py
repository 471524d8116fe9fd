"""The `stacktune` command: the Typer app, shared options and exit codes."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from stacktune import __version__

app = typer.Typer(
    name="stacktune",
    help="Find and fix the performance faults hiding in a Python + PostgreSQL + Celery backend.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stacktune {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """stacktune reads a backend repository (or a live database) and reports what will hurt in production."""


def fail(message: str) -> typer.Exit:
    """Print an error to stderr and return the exit for `raise`: the command could not run."""
    Console(stderr=True).print(f"[bold red]stacktune:[/] {message}", highlight=False, markup=True)
    return typer.Exit(EXIT_ERROR)
