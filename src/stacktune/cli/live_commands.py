"""`stacktune verify`, `drift` and `apply`: the commands that work on a real PostgreSQL."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from stacktune.cli.app import EXIT_CLEAN, EXIT_FINDINGS, fail

_database_url_option = click.option(
    "--database-url", metavar="URL", help="The PostgreSQL to work on; default: $DATABASE_URL."
)
_format_option = click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True
)


def _database_url(given: str | None) -> str:
    url = given or os.environ.get("DATABASE_URL")
    if not url:
        raise fail("no database: pass --database-url URL or set $DATABASE_URL")
    return url


@contextmanager
def _database_errors(url: str) -> Iterator[None]:
    """Any failure talking to the server becomes a clean exit 2 whose text never holds the password."""
    import psycopg

    from stacktune.pg.connect import ConnectionFailed, safe_message

    try:
        yield
    except ConnectionFailed as exc:
        raise fail(f"cannot connect: {exc}") from None
    except psycopg.Error as exc:
        raise fail(f"database error: {safe_message(str(exc), url)}") from None


def _read_schema(url: str):  # -> Schema
    from stacktune.live.catalog import read_catalog
    from stacktune.pg.connect import connect

    with connect(url, read_only=True, statement_timeout_ms=30_000) as conn:
        return read_catalog(conn)


def _static_audit(path: Path):  # -> AuditResult
    from stacktune.audit import AuditError, AuditRequest, run_audit

    try:
        return run_audit(AuditRequest(root=path))
    except AuditError as exc:
        raise fail(str(exc)) from None


@click.command()
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--server-url", metavar="URL", help="Build on this server (a fresh database, dropped after).")
@_format_option
def verify(path: Path, server_url: str | None, output_format: str) -> None:
    """Build the repository's schema on a throwaway PostgreSQL and report every FK whose verdict differs.

    Exit status: 0 the static audit equals the database, 1 it does not, 2 no server could be had.
    """
    from stacktune.audit import AuditError, AuditRequest
    from stacktune.pg.server import ServerUnavailable
    from stacktune.verify import verify as run_verify

    try:
        report = run_verify(AuditRequest(root=path), server_url)
    except ServerUnavailable as exc:
        raise fail(str(exc)) from None
    except AuditError as exc:
        raise fail(str(exc)) from None
    if output_format == "json":
        data = {
            "equal": report.equal,
            "compared": report.compared,
            "differences": [
                {"kind": d.kind, "table": d.table, "columns": list(d.columns), "constraint": d.constraint,
                 "static": d.static, "live": d.live, "location": d.location.to_json() if d.location else None}
                for d in report.differences
            ],
            "failures": [f.to_json() for f in report.build.failures],
            "notes": report.build.notes,
        }
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        console = _console()
        for failure in report.build.failures:
            console.print(f"[magenta]{_escape(str(failure))}[/] (the server refused it; the next file was run)")
        for note in report.build.notes:
            console.print(f"note: {_escape(note)}")
        for difference in report.differences:
            console.print(f"[bold red]differs[/] {_escape(difference.describe())}")
        verdict = "equal" if report.equal else f"{len(report.differences)} differences"
        console.print(
            f"[bold]stacktune verify[/] {_escape(str(path))}: {report.compared} foreign keys compared"
            f" ({report.build.files_applied} migration files applied): {verdict}"
        )
    raise click.exceptions.Exit(EXIT_CLEAN if report.equal else EXIT_FINDINGS)


@click.command()
@click.argument("path", type=click.Path(path_type=Path), default=".")
@_database_url_option
@_format_option
def drift(path: Path, database_url: str | None, output_format: str) -> None:
    """What the repository declares and the database lacks (and the reverse), each with its file:line.

    Exit status: 0 no drift, 1 drift, 2 the comparison could not run.
    """
    from stacktune.live.drift import compare

    url = _database_url(database_url)
    audit = _static_audit(path)
    with _database_errors(url):
        schema = _read_schema(url)
    found = compare(audit, schema)
    if output_format == "json":
        sys.stdout.write(json.dumps([d.to_json() for d in found], indent=2, ensure_ascii=False) + "\n")
    else:
        console = _console()
        for item in found:
            style = "bold red" if item.missing else "yellow"
            console.print(f"[{style}]{item.kind}[/] {_escape(item.describe())}")
        missing = sum(d.missing for d in found)
        others = len(found) - missing
        console.print(f"[bold]stacktune drift[/]: {missing} missing from the database, {others} other differences")
    raise click.exceptions.Exit(EXIT_FINDINGS if found else EXIT_CLEAN)


@click.command()
@_database_url_option
@click.option("--file", "file", type=click.Path(path_type=Path), help="Run this migration file instead.")
@click.option("--dry-run", is_flag=True, help="Print the plan and change nothing.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask before writing.")
@click.option("--lock-timeout-ms", type=click.IntRange(min=1), default=5000, show_default=True,
              help="lock_timeout for every statement.")
@click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True,
              help="Attempts after a lock timeout, with backoff.")
@click.option("--select", multiple=True, help="Only these table[.column] (repeatable).")
@click.option("--ignore", multiple=True, help="Leave these table[.column] (repeatable).")
@click.option("--include-weak", is_flag=True, help="Also index FKs whose index only almost fits.")
@click.option("--partial/--no-partial", default=True, show_default=True,
              help="WHERE col IS NOT NULL on nullable single-column FKs.")
def apply(
    database_url: str | None,
    file: Path | None,
    dry_run: bool,
    yes: bool,
    lock_timeout_ms: int,
    retries: int,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    include_weak: bool,
    partial: bool,
) -> None:
    """Create the missing FK indexes with CREATE INDEX CONCURRENTLY (or run --file), replacing INVALID ones.

    Safe to stop (Ctrl-C cancels the build on the server) and to run again.
    Exit status: 0 done (or nothing to do), 1 some step failed or was interrupted, 2 could not start.
    """
    from stacktune.fixes.fk_index_plan import PatternError, PlanOptions
    from stacktune.live.apply import (
        ApplyOptions,
        plan_for_schema,
        run_steps,
        steps_from_file,
    )
    from stacktune.live.progress import RichProgress

    url = _database_url(database_url)
    console = _console()
    if file is not None:
        if not file.is_file():
            raise fail(f"--file {file}: no such file")
        steps, problems = steps_from_file(file, file.name)
        for problem in problems:
            console.print(f"[magenta]{_escape(str(problem))}[/]")
        if not steps:
            raise fail(f"--file {file}: no statement to run")
    else:
        options = PlanOptions(select, ignore, include_weak, partial)
        with _database_errors(url):
            schema = _read_schema(url)
        try:
            _, steps, notes = plan_for_schema(schema, options)
        except PatternError as exc:
            raise fail(str(exc)) from None
        for note in notes:
            console.print(f"note: {_escape(note)}")
    _print_plan(console, steps)
    if not steps or dry_run:
        raise click.exceptions.Exit(EXIT_CLEAN)
    if not yes:
        if not sys.stdin.isatty():
            raise fail("not a terminal and no --yes: refusing to change the database without confirmation")
        if not click.confirm(f"Run {len(steps)} step(s) on the database?"):
            raise click.exceptions.Exit(EXIT_CLEAN)
    with _database_errors(url), RichProgress() as progress:
        report = run_steps(url, steps, progress, ApplyOptions(lock_timeout_ms=lock_timeout_ms, retries=retries))
    for result in report.results:
        style = "green" if result.outcome in ("built", "rebuilt", "present", "ran") else "bold red"
        extra = f": {result.message}" if result.message else ""
        console.print(f"[{style}]{result.outcome}[/] {_escape(result.label)} ({result.seconds:.1f} s){_escape(extra)}")
    if report.interrupted:
        console.print(
            "interrupted: the build was cancelled on the server;"
            " run apply again to finish (INVALID indexes are replaced)"
        )
    raise click.exceptions.Exit(EXIT_CLEAN if report.ok else EXIT_FINDINGS)


def _console():  # -> rich Console; rich is imported on use, as the audit command does
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)  # one finding per line, for grep and CI logs


def _print_plan(console, steps: list) -> None:  # Console, list[Step]
    from stacktune.live.apply import IndexBuild

    if not steps:
        console.print("nothing to do: every foreign key has a valid index")
        return
    console.print(f"[bold]plan[/]: {len(steps)} step(s), each CONCURRENTLY one outside a transaction")
    for step in steps:
        if isinstance(step, IndexBuild):
            for line in step.evidence:
                console.print(f"-- {_escape(line)}", style="dim")
            console.print(_escape(step.statement) + ";")
        else:
            frame = ("BEGIN;", "COMMIT;") if step.transactional else ("", "")
            body = "\n".join(s + ";" for s in step.statements)
            console.print(_escape("\n".join(p for p in (frame[0], body, frame[1]) if p)))


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
