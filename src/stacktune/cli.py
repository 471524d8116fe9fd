"""The command line: thin glue from options to the pipeline and the reports."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
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


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


class SchemaFromChoice(str, Enum):
    auto = "auto"
    models = "models"
    migrations = "migrations"
    both = "both"


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


def _fail(message: str) -> typer.Exit:
    Console(stderr=True).print(f"[bold red]stacktune:[/] {message}", highlight=False)
    return typer.Exit(EXIT_ERROR)


@app.command()
def audit(
    path: Annotated[Path, typer.Argument(help="The backend repository to audit.")] = Path("."),
    migrations: Annotated[
        list[Path] | None,
        typer.Option("--migrations", help="A migrations folder (repeatable); default: discovered."),
    ] = None,
    models: Annotated[
        list[Path] | None,
        typer.Option("--models", help="A models file or folder (repeatable); default: discovered."),
    ] = None,
    schema_from: Annotated[
        SchemaFromChoice,
        typer.Option(
            "--schema-from",
            help="Build the schema from the models' create_all, the migrations, or both (models first).",
        ),
    ] = SchemaFromChoice.auto,
    import_models: Annotated[
        str | None,
        typer.Option("--import-models", help="Import MODULE:Base and read Base.metadata instead of parsing."),
    ] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = OutputFormat.text,
) -> None:
    """Report every foreign key PostgreSQL cannot look up by index, with the evidence for each verdict.

    Exit status: 0 nothing to report, 1 findings, 2 the audit could not run.
    """
    from stacktune.audit import AuditError, AuditRequest, run_audit

    request = AuditRequest(
        root=path,
        migrations=tuple(migrations or ()),
        models=tuple(models or ()),
        schema_from=schema_from.value,
        import_models=import_models,
    )
    try:
        result = run_audit(request)
    except AuditError as error:
        raise _fail(str(error)) from None
    if output_format is OutputFormat.json:
        from stacktune.report import json_report

        sys.stdout.write(json_report.render(result) + "\n")
    else:
        from stacktune.report import text

        text.render(result, Console(highlight=False))
    failing = [f for f in result.findings if f.severity in ("error", "warning")]
    raise typer.Exit(EXIT_FINDINGS if failing else EXIT_CLEAN)
