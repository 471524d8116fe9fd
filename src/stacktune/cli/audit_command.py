"""`stacktune audit`: report every foreign key PostgreSQL cannot look up by index."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from stacktune.cli.app import EXIT_CLEAN, EXIT_FINDINGS, app, fail


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


class SchemaFromChoice(str, Enum):
    auto = "auto"
    models = "models"
    migrations = "migrations"
    both = "both"


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
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="Audit this live PostgreSQL (read-only) instead of the repository's files.",
        ),
    ] = None,
    live: Annotated[
        bool,
        typer.Option("--live", help="Audit the database named by $DATABASE_URL (read-only)."),
    ] = False,
    output_format: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = OutputFormat.text,
) -> None:
    """Report every foreign key PostgreSQL cannot look up by index, with the evidence for each verdict.

    Exit status: 0 nothing to report, 1 findings, 2 the audit could not run.
    """
    from stacktune.audit import AuditError, AuditRequest, run_audit

    if live and not database_url:
        database_url = os.environ.get("DATABASE_URL")
        if not database_url:
            raise fail("--live reads the database URL from $DATABASE_URL, which is not set")
    request = AuditRequest(
        root=path,
        migrations=tuple(migrations or ()),
        models=tuple(models or ()),
        schema_from=schema_from.value,
        import_models=import_models,
        database_url=database_url,
    )
    try:
        result = run_audit(request)
    except AuditError as error:
        raise fail(str(error)) from None
    if output_format is OutputFormat.json:
        from stacktune.report import json_report

        sys.stdout.write(json_report.render(result) + "\n")
    else:
        from stacktune.report import text

        text.render(result, Console(highlight=False, width=None if sys.stdout.isatty() else 160))
    failing = [f for f in result.findings if f.severity in ("error", "warning")]
    raise typer.Exit(EXIT_FINDINGS if failing else EXIT_CLEAN)
