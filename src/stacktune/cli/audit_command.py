"""`stacktune audit`: report every foreign key PostgreSQL cannot look up by index."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from stacktune.cli.app import EXIT_CLEAN, EXIT_FINDINGS, app, fail, is_terminal


@app.command()
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option(
    "--migrations",
    type=click.Path(path_type=Path),
    multiple=True,
    help="A migrations folder (repeatable); default: discovered.",
)
@click.option(
    "--models", type=click.Path(path_type=Path), multiple=True, help="A models file or folder (repeatable)."
)
@click.option(
    "--schema-from",
    type=click.Choice(["auto", "models", "migrations", "both"]),
    default="auto",
    show_default=True,
    help="Build the schema from the models' create_all, the migrations, or both (models first).",
)
@click.option("--import-models", metavar="MODULE:Base", help="Import the models and read Base.metadata.")
@click.option("--database-url", metavar="URL", help="Audit this live PostgreSQL (read-only) instead of files.")
@click.option("--live", is_flag=True, help="Audit the database named by $DATABASE_URL (read-only).")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def audit(
    path: Path,
    migrations: tuple[Path, ...],
    models: tuple[Path, ...],
    schema_from: str,
    import_models: str | None,
    database_url: str | None,
    live: bool,
    output_format: str,
) -> None:
    """Report every foreign key PostgreSQL cannot look up by index, with the evidence.

    PATH is the backend repository (default: the current folder). Migration folders and
    SQLAlchemy models are discovered; the schema is what a fresh database gets from the
    models' create_all followed by the migrations in order.
    """
    from stacktune.audit import AuditError, AuditRequest, run_audit

    if live and not database_url:
        database_url = os.environ.get("DATABASE_URL")
        if not database_url:
            raise fail("--live reads the database URL from $DATABASE_URL, which is not set")
    request = AuditRequest(
        root=path,
        migrations=migrations,
        models=models,
        schema_from=schema_from,
        import_models=import_models,
        database_url=database_url,
    )
    try:
        result = run_audit(request)
    except AuditError as error:
        raise fail(str(error)) from None
    if output_format == "json":
        from stacktune.report import json_report

        sys.stdout.write(json_report.render(result) + "\n")
    else:
        from rich.console import Console

        from stacktune.report import text

        text.render(result, Console(highlight=False, width=None if is_terminal() else 160))
    failing = [f for f in result.findings if f.severity in ("error", "warning")]
    raise click.exceptions.Exit(EXIT_FINDINGS if failing else EXIT_CLEAN)
