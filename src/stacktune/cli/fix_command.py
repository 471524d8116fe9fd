"""`stacktune fix`: the migration that indexes every uncovered FK, and env-driven worker concurrency."""

from __future__ import annotations

import sys

import click

from stacktune.audit import AuditRequest
from stacktune.cli.app import EXIT_CLEAN, EXIT_FINDINGS, fail
from stacktune.cli.options import repository_options
from stacktune.config import Config


@click.command()
@repository_options
@click.option("--write", is_flag=True, help="Write the changes; without it, only show them as a diff.")
@click.option("--select", multiple=True, metavar="TABLE[.COLUMN]", help="Fix only these FKs (repeatable).")
@click.option("--ignore", multiple=True, metavar="TABLE[.COLUMN]", help="Leave these FKs alone (repeatable).")
@click.option("--include-weak", is_flag=True, help="Also index FKs whose only candidate index is weak.")
@click.option(
    "--partial/--no-partial",
    default=None,
    help="Index a nullable single-column FK WHERE col IS NOT NULL (smaller; still serves the FK lookup)."
    "  [default: partial]",
)
@click.option(
    "--concurrently/--no-concurrently",
    default=None,
    help="CREATE INDEX CONCURRENTLY, marked to run outside a transaction.  [default: no]",
)
@click.option("--migrations-dir", metavar="DIR", help="Where to write the migration (default: the project's).")
@click.option("--alembic-head", metavar="REV", help="The revision the new Alembic revision follows.")
@click.option("--no-workers", is_flag=True, help="Do not rewrite worker start commands.")
def fix(
    request: AuditRequest,
    config: Config,
    write: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    include_weak: bool,
    partial: bool | None,
    concurrently: bool | None,
    migrations_dir: str | None,
    alembic_head: str | None,
    no_workers: bool,
) -> None:
    """Write the migration that indexes every uncovered foreign key, in the project's own
    migration style, and make hard-coded worker concurrency configurable.

    Shows a diff unless --write. Running it again after --write finds nothing to do.
    Exit status: 0 nothing to change (or written), 1 changes shown but not written, 2 error.
    """
    from stacktune.audit import AuditError, run_audit
    from stacktune.fixes.apply import apply_edits
    from stacktune.fixes.diff import render_diff
    from stacktune.fixes.errors import FixError
    from stacktune.fixes.fk_fix import propose_fk_index_fix
    from stacktune.fixes.fk_index_plan import PlanOptions
    from stacktune.workers.fix import worker_fixes

    try:
        result = run_audit(request)
        options = PlanOptions(
            select,
            ignore,
            include_weak,
            partial=_first(partial, config.partial, True),
            concurrently=_first(concurrently, config.concurrently, False),
            index_prefix=config.index_prefix,
        )
        fk_fix = propose_fk_index_fix(
            result, options, migrations_dir=migrations_dir, alembic_head=alembic_head
        )
    except (AuditError, FixError) as error:
        raise fail(str(error)) from None
    for message in fk_fix.messages:
        click.echo(message, err=True)
    fixes = [fk_fix.fix] if fk_fix.fix is not None and fk_fix.fix.applicability != "display-only" else []
    if not no_workers and result.workers is not None:
        fixes += worker_fixes(request.root, result.workers, default=request.worker_default)
    edits = [edit for f in fixes for edit in f.edits]
    if not edits:
        click.echo("Nothing to fix.", err=True)
        raise click.exceptions.Exit(EXIT_CLEAN)
    for f in fixes:
        if f.applicability == "unsafe":
            click.echo(f"note: {f.title} is marked unsafe: review it before running it.", err=True)
    if not write:
        sys.stdout.write(render_diff(request.root, edits))
        click.echo(f"{len(fixes)} fixes shown; run again with --write to apply them.", err=True)
        raise click.exceptions.Exit(EXIT_FINDINGS)
    try:
        written = apply_edits(request.root, edits)
    except FixError as error:
        raise fail(str(error)) from None
    for path in written:
        click.echo(f"wrote {path}", err=True)
    raise click.exceptions.Exit(EXIT_CLEAN)


def _first(*values: bool | None) -> bool:
    """The command line's value, else the configuration's, else the default (the last)."""
    return next(value for value in values if value is not None)
