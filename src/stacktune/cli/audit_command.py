"""`stacktune audit`: report every foreign key PostgreSQL cannot look up by index, and more."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

import click

from stacktune.audit import AuditRequest, AuditResult
from stacktune.cli.app import EXIT_CLEAN, EXIT_FINDINGS, fail, is_terminal
from stacktune.cli.options import repository_options
from stacktune.config import Config


@click.command()
@repository_options
@click.option("--database-url", metavar="URL", help="Audit this live PostgreSQL (read-only) instead of files.")
@click.option("--live", is_flag=True, help="Audit the database named by $DATABASE_URL (read-only).")
@click.option(
    "--min-rows", type=click.IntRange(min=0), default=0, help="Live: hide FKs of tables with fewer rows."
)
@click.option("--explain", is_flag=True, help="Live: add the planner's estimate of each FK's own lookup.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for scripts, sarif for code scanning, github for PR annotations.",
)
@click.option("--select", multiple=True, metavar="RULE", help="Report only these rules (code, prefix or name).")
@click.option("--ignore", multiple=True, metavar="RULE", help="Do not report these rules.")
@click.option("--since", metavar="REF", help="Report only findings in files changed since this git ref.")
@click.option("--baseline", type=click.Path(path_type=Path), help="Report only findings this baseline lacks.")
@click.option("--write-baseline", type=click.Path(path_type=Path), help="Record today's findings in FILE.")
def audit(
    request: AuditRequest,
    config: Config,
    database_url: str | None,
    live: bool,
    min_rows: int,
    explain: bool,
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    since: str | None,
    baseline: Path | None,
    write_baseline: Path | None,
) -> None:
    """Report every foreign key PostgreSQL cannot look up by index, and worker commands
    with hard-coded concurrency, each with the evidence (file:line).

    PATH is the backend repository (default: the current folder). Migration folders,
    SQLAlchemy models and worker start commands are discovered; the schema is what a fresh
    database gets from the models' create_all followed by the migrations in order.

    Exit status: 0 nothing to report, 1 findings, 2 the audit could not run.
    """
    from stacktune.audit import AuditError, run_audit
    from stacktune.baseline import BaselineError
    from stacktune.baseline import write_baseline as record
    from stacktune.changed import ChangedError
    from stacktune.checks.registry import all_rules
    from stacktune.config import ConfigError, with_overrides
    from stacktune.triage import TriageRequest, triage

    if live and not database_url:
        database_url = os.environ.get("DATABASE_URL")
        if not database_url:
            raise fail("--live reads the database URL from $DATABASE_URL, which is not set")
    try:
        config = with_overrides(config, all_rules(), select=select or None, ignore=ignore or None)
        if (min_rows or explain) and not database_url:
            raise fail("--min-rows and --explain read a live database: add --database-url URL or --live")
        request = dataclasses.replace(request, database_url=database_url, min_rows=min_rows, explain=explain)
        result = run_audit(request)
        findings = triage(result, TriageRequest(config, since=since, baseline=baseline))
        if write_baseline:
            record(write_baseline, findings, result.root)
            click.echo(f"wrote {len(findings)} findings to the baseline {write_baseline}", err=True)
    except (AuditError, ConfigError, ChangedError, BaselineError) as error:
        raise fail(str(error)) from None
    result = dataclasses.replace(result, findings=findings)
    if output_format == "text":
        from rich.console import Console

        from stacktune.report import text

        text.render(result, Console(highlight=False, width=None if is_terminal() else 160))
    else:
        sys.stdout.write(_render(result, output_format))
    failing = [f for f in findings if f.severity in ("error", "warning")]
    raise click.exceptions.Exit(EXIT_FINDINGS if failing and not write_baseline else EXIT_CLEAN)


def _render(result: AuditResult, output_format: str) -> str:
    if output_format == "sarif":
        from stacktune.checks.registry import all_rules
        from stacktune.report import sarif

        return sarif.render(result, result.findings, all_rules())
    if output_format == "github":
        from stacktune.report import github

        return github.render(result, result.findings)
    from stacktune.report import json_report

    # Indented for a person at a terminal, one line (and faster) for a program.
    return json_report.render(result, indent=2 if is_terminal() else None) + "\n"
