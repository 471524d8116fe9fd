"""`stacktune audit`: report every foreign key PostgreSQL cannot look up by index."""

from __future__ import annotations

import dataclasses
import os
import sys

import click

from stacktune.audit import AuditRequest
from stacktune.cli.app import EXIT_CLEAN, EXIT_FINDINGS, app, fail, is_terminal
from stacktune.cli.options import repository_options


@app.command()
@repository_options
@click.option("--database-url", metavar="URL", help="Audit this live PostgreSQL (read-only) instead of files.")
@click.option("--live", is_flag=True, help="Audit the database named by $DATABASE_URL (read-only).")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def audit(request: AuditRequest, database_url: str | None, live: bool, output_format: str) -> None:
    """Report every foreign key PostgreSQL cannot look up by index, and worker commands
    with hard-coded concurrency, each with the evidence (file:line).

    PATH is the backend repository (default: the current folder). Migration folders,
    SQLAlchemy models and worker start commands are discovered; the schema is what a fresh
    database gets from the models' create_all followed by the migrations in order.
    """
    from stacktune.audit import AuditError, run_audit

    if live and not database_url:
        database_url = os.environ.get("DATABASE_URL")
        if not database_url:
            raise fail("--live reads the database URL from $DATABASE_URL, which is not set")
    if database_url:
        request = dataclasses.replace(request, database_url=database_url)
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
