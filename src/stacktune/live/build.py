"""Build a repository's schema on a real PostgreSQL the way a fresh deployment would.

The models' create_all first (when the audit used the models and they import),
then every migration's up SQL in its tool's order: one transaction per file
unless the file says otherwise or holds a statement PostgreSQL refuses inside
one (CONCURRENTLY). A failing statement is reported with its file:line and the
run goes on with the next file, as a runner that stops at the first failure
would have left the database.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from stacktune.audit import AuditResult
from stacktune.live.statements import Statement, split_statements
from stacktune.model.diagnostics import Diagnostic
from stacktune.model.events import SourceResult
from stacktune.model.location import Location
from stacktune.pg.connect import connect, safe_message
from stacktune.sources.sql.layouts import MigrationFile, ordered_migrations


@dataclass(slots=True)
class BuildReport:
    failures: list[Diagnostic] = field(default_factory=list)  # statements the server refused
    notes: list[str] = field(default_factory=list)  # what was not built and why
    files_applied: int = 0


def build_repository(db_uri: str, audit: AuditResult) -> BuildReport:
    """Replay `audit`'s own sources (same schema_from) on the empty database `db_uri`."""
    report = BuildReport()
    root = audit.root
    for source in audit.sources:
        if source.kind == "models" and audit.schema_from in ("models", "both"):
            _create_all(db_uri, root, source, report)
    for source in audit.sources:
        if source.kind == "sql" and audit.schema_from in ("migrations", "both"):
            _run_migrations(db_uri, root, source, report)
        elif source.kind == "alembic":
            report.notes.append(f"{source.path}: {source.kind} sources are not built on the server yet")
    return report


def _create_all(db_uri: str, root: Path, source: SourceResult, report: BuildReport) -> None:
    try:
        metadatas = import_metadatas(root, source.files)
    except Exception as exc:  # user code: any failure means "could not import", never a crash
        report.notes.append(f"models not imported ({type(exc).__name__}: {exc}); built from the migrations only")
        return
    if not metadatas:
        report.notes.append(f"{source.path}: no SQLAlchemy MetaData when imported; built from the migrations only")
        return
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    engine = create_engine("postgresql+psycopg://", creator=lambda: psycopg.connect(db_uri), poolclass=NullPool)
    try:
        for metadata in metadatas:
            metadata.create_all(engine)
    except Exception as exc:  # SQLAlchemy or the server refusing the models
        message = f"create_all failed: {safe_message(str(exc), db_uri)}"
        report.failures.append(Diagnostic(Location(source.path), message))
    finally:
        engine.dispose()


def import_metadatas(root: Path, files: list[str]) -> list[Any]:
    """Import each models file as its module (root on sys.path) and collect the MetaData they define.

    The repository's own modules are removed from sys.modules afterwards, so
    another repository's `app.models` is imported afresh; libraries stay loaded.
    """
    before = set(sys.modules)
    sys.path.insert(0, str(root))
    try:
        modules = [importlib.import_module(_module_name(path)) for path in files]
        return _metadatas(modules)
    finally:
        sys.path.remove(str(root))
        for name in set(sys.modules) - before:
            if _is_within(getattr(sys.modules[name], "__file__", None), root):
                del sys.modules[name]


def _is_within(file: str | None, root: Path) -> bool:
    return file is not None and Path(file).resolve().is_relative_to(root.resolve())


def _module_name(path: str) -> str:
    parts = list(Path(path).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    if not parts or not all(p.isidentifier() for p in parts):
        raise ImportError(f"{path} is not importable as a module")
    return ".".join(parts)


def _metadatas(modules: list[Any]) -> list[Any]:
    from sqlalchemy import MetaData

    found: dict[int, MetaData] = {}
    for module in modules:
        for obj in vars(module).values():
            metadata = obj if isinstance(obj, MetaData) else _declarative_metadata(obj)
            if metadata is not None:
                found.setdefault(id(metadata), metadata)
    return list(found.values())


def _declarative_metadata(obj: Any) -> Any:
    from sqlalchemy import MetaData

    if isinstance(obj, type) and hasattr(obj, "registry") and isinstance(getattr(obj, "metadata", None), MetaData):
        return obj.metadata
    return None


def _run_migrations(db_uri: str, root: Path, source: SourceResult, report: BuildReport) -> None:
    # Layout problems (a stray file) are already among the static audit's diagnostics.
    migrations, _ = ordered_migrations(root, root / source.path, source.style)
    with connect(db_uri, read_only=False, statement_timeout_ms=None) as conn:
        for migration in migrations:
            statements = _statements(root, migration, report)
            if statements is None:
                continue
            transactional = not migration.no_transaction and not any(s.refuses_transaction for s in statements)
            if _run_file(conn, statements, transactional, db_uri, report):
                report.files_applied += 1


def _statements(root: Path, migration: MigrationFile, report: BuildReport) -> list[Statement] | None:
    data = (root / migration.path).read_bytes()
    statements: list[Statement] = []
    for span in migration.sections:
        found, problems = split_statements(data, migration.path, span)
        if problems:
            report.failures += problems
            return None  # the server would refuse the whole file
        statements += found
    return statements


def _run_file(
    conn: psycopg.Connection, statements: list[Statement], transactional: bool, db_uri: str, report: BuildReport
) -> bool:
    current: Statement | None = None
    try:
        if transactional:
            with conn.transaction():
                for current in statements:
                    conn.execute(current.text)
        else:
            for current in statements:
                conn.execute(current.text)
    except psycopg.Error as exc:
        where = current.location if current is not None else Location("<unknown>")
        report.failures.append(Diagnostic(where, safe_message(str(exc).strip(), db_uri)))
        return False
    return True
