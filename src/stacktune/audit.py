"""The audit pipeline: discover sources, read them, replay, run the checks.

This is the one place that knows the order of the stages; the CLI only turns
options into an AuditRequest and an AuditResult into output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from stacktune.checks.context import AuditContext
from stacktune.checks.registry import run_schema_checks
from stacktune.model.diagnostics import Diagnostic
from stacktune.model.events import SourceResult
from stacktune.model.finding import Finding
from stacktune.model.location import Location
from stacktune.replay.engine import replay
from stacktune.workers.audit import WorkerAudit, audit_workers

SchemaFrom = Literal["auto", "models", "migrations", "alembic", "both"]


@dataclass(frozen=True, slots=True)
class AuditRequest:
    root: Path
    migrations: tuple[Path, ...] = ()  # explicit folders; empty: discover
    models: tuple[Path, ...] = ()  # explicit files or folders; empty: discover
    schema_from: SchemaFrom = "auto"
    import_models: str | None = None  # "module:Base": read Base.metadata by importing it
    database_url: str | None = None  # audit this live database instead of the repository
    worker_default: int = 4  # the concurrency a worker fix writes (the connection budget uses it)
    min_rows: int = 0  # live mode: hide FKs of tables with fewer rows
    explain: bool = False  # live mode: add the planner's estimate of each FK lookup


@dataclass(slots=True)
class AuditResult:
    root: Path
    schema_from: str
    sources: list[SourceResult]
    context: AuditContext
    findings: list[Finding]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    workers: WorkerAudit | None = None  # None when a live database was audited


class AuditError(Exception):
    """The audit cannot run at all (the path does not exist, a flag names nothing)."""


def run_audit(request: AuditRequest) -> AuditResult:
    if request.database_url:
        return _audit_database(request)
    root = request.root
    if not root.is_dir():
        raise AuditError(f"{root}: not a directory")
    model_sources = _read_model_sources(request)
    migration_sources = _read_migration_sources(request)
    alembic_sources = _read_alembic_sources(request)
    schema_from = _choose_schema_from(request.schema_from, model_sources, migration_sources + alembic_sources)
    # With Alembic the revisions are what production has: the models are compared with them, not merged.
    compare_models = schema_from == "both" and bool(alembic_sources)
    used: list[SourceResult] = []
    if schema_from == "models" or (schema_from == "both" and not compare_models):
        used += model_sources
    if schema_from in ("migrations", "both"):
        used += migration_sources
    if schema_from in ("migrations", "alembic", "both"):
        used += alembic_sources
    # The models' create_all runs first, then the migrations in order, as a fresh
    # deployment of such a backend does.
    replayer = replay([source.events for source in used])
    model_schema = replay([s.events for s in model_sources]).schema if compare_models and model_sources else None
    context = AuditContext(
        replayer.schema, replayer.problems, sources=[*model_sources, *migration_sources, *alembic_sources],
        model_schema=model_schema,
    )
    workers = audit_workers(root, default=request.worker_default)
    findings = sorted([*run_schema_checks(context), *workers.findings], key=_finding_order)
    sources = model_sources + migration_sources + alembic_sources + workers.sources
    # A file two readers trip over (a broken link) is reported once.
    diagnostics = list(dict.fromkeys([d for source in sources for d in source.diagnostics] + workers.diagnostics))
    if not sources:
        diagnostics.append(
            Diagnostic(
                Location("."),
                "found no SQL migrations and no SQLAlchemy models here; point at them with"
                " --migrations DIR or --models PATH",
            )
        )
    return AuditResult(root, schema_from, sources, context, findings, diagnostics, workers)


def _audit_database(request: AuditRequest) -> AuditResult:
    """The same checks over a live catalog: read-only session, bounded statement time."""
    from stacktune.live import explain, workload
    from stacktune.live.catalog import read_catalog
    from stacktune.pg.connect import ConnectionFailed, connect

    try:
        with connect(request.database_url, read_only=True, statement_timeout_ms=30_000) as conn:
            context = AuditContext(read_catalog(conn))
            # Ordered by what each FK costs this database's workload, with the figures.
            findings = workload.enrich(run_schema_checks(context), context, conn, min_rows=request.min_rows)
            if request.explain:
                findings = explain.annotate(findings, context, conn)
    except ConnectionFailed as failure:
        raise AuditError(f"cannot read the database: {failure}") from None
    source = SourceResult(kind="database", path="<database>", style="postgresql")
    return AuditResult(request.root, "database", [source], context, findings)


def _finding_order(finding: Finding) -> tuple:
    loc = finding.location
    return (loc.path, loc.line, loc.column, finding.code)


def _choose_schema_from(
    requested: SchemaFrom, models: list[SourceResult], migrations: list[SourceResult]
) -> str:
    if requested != "auto":
        return requested
    if models and migrations:
        return "both"
    if models:
        return "models"
    return "alembic" if migrations and all(m.kind == "alembic" for m in migrations) else "migrations"


def _read_migration_sources(request: AuditRequest) -> list[SourceResult]:
    from stacktune.sources.alembic import project_at
    from stacktune.sources.sql.discover import find_migration_dirs
    from stacktune.sources.sql.layouts import read_migrations

    root = request.root
    folders = [_within(root, p) for p in request.migrations] or find_migration_dirs(root)
    results = []
    for folder in folders:
        if not folder.is_dir():
            raise AuditError(f"--migrations {folder}: not a directory")
        if request.migrations and project_at(root, folder) is not None:
            continue  # an Alembic folder given with --migrations: read by _read_alembic_sources
        results.append(read_migrations(root, folder))
    return results


def _read_alembic_sources(request: AuditRequest) -> list[SourceResult]:
    """Alembic script directories: those given with --migrations, else every one found."""
    from stacktune.sources.alembic import find_alembic_projects, project_at, read_alembic

    root = request.root
    if request.migrations:
        given = [project_at(root, _within(root, p)) for p in request.migrations]
        return [read_alembic(root, project) for project in given if project is not None]
    projects, problems = find_alembic_projects(root)
    results: list[SourceResult] = [read_alembic(root, project) for project in projects]
    if problems:
        # A broken alembic.ini is worth reporting even when no project could be read from it.
        holder = results[0] if results else SourceResult(kind="alembic", path=".", style="alembic")
        holder.diagnostics[:0] = problems
        if not results:
            results.append(holder)
    return results


def _read_model_sources(request: AuditRequest) -> list[SourceResult]:
    from stacktune.sources.models import find_model_files, read_models

    root = request.root
    if request.import_models:
        from stacktune.sources.models import read_imported_metadata

        return [read_imported_metadata(root, request.import_models)]
    if request.models:
        files: list[Path] = []
        for given in request.models:
            path = _within(root, given)
            if path.is_dir():
                files += find_model_files(path)
            elif path.is_file():
                files.append(path)
            else:
                raise AuditError(f"--models {given}: no such file or directory")
    else:
        files = find_model_files(root)
    if not files:
        return []
    return [read_models(root, files)]


def _within(root: Path, given: Path) -> Path:
    """A path from the command line: as given when it exists (from the working folder), else below root."""
    if given.is_absolute() or given.exists():
        return given
    return root / given
