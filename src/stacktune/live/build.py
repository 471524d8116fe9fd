"""Build a repository's schema on a real PostgreSQL the way a fresh deployment would.

The models' create_all first (when the audit used the models and they import),
then every migration's up SQL in its tool's order: one transaction per file
unless the file says otherwise or holds a statement PostgreSQL refuses inside
one (CONCURRENTLY). A failing statement is reported with its file:line and the
run goes on with the next file, as a runner that stops at the first failure
would have left the database. Alembic projects are upgraded by Alembic itself
(`upgrade heads`, in-process, through the project's own env.py).
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict

from stacktune.audit import AuditResult
from stacktune.live.statements import Statement, split_statements
from stacktune.model.diagnostics import Diagnostic
from stacktune.model.events import SourceResult
from stacktune.model.location import Location
from stacktune.pg.connect import connect, safe_message
from stacktune.sources.alembic import AlembicProject, find_alembic_projects, project_at
from stacktune.sources.alembic.convention import target_convention
from stacktune.sources.sql.layouts import MigrationFile, ordered_migrations
from stacktune.sources.walk import relpath


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
        if source.kind == "models" and _replayed(audit, "models"):
            _create_all(db_uri, root, source, report)
    for source in audit.sources:
        if source.kind == "sql" and _replayed(audit, "sql"):
            _run_migrations(db_uri, root, source, report)
        elif source.kind == "alembic" and _replayed(audit, "alembic"):
            upgrade_alembic(db_uri, root, source, report)
    return report


def _replayed(audit: AuditResult, kind: str) -> bool:
    """Whether the static audit replayed this kind of source (run_audit's choice, read back from its result)."""
    if kind == "models":
        # Next to Alembic the models are compared with the revisions (model_schema), not built.
        return audit.schema_from in ("models", "both") and audit.context.model_schema is None
    if kind == "sql":
        return audit.schema_from in ("migrations", "both")
    return audit.schema_from in ("migrations", "alembic", "both")


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
    """Import each models file as its module (root on sys.path) and collect the MetaData they define."""
    with repository_imports(root):
        modules = [importlib.import_module(_module_name(path)) for path in files]
        return _metadatas(modules)


@contextmanager
def repository_imports(root: Path, *paths: Path) -> Iterator[None]:
    """The repository's code importable (`paths`, then root, first on sys.path) for the duration.

    The repository's own modules are removed from sys.modules afterwards, so
    another repository's `app.models` is imported afresh; libraries stay loaded.
    """
    before, saved_path = set(sys.modules), list(sys.path)
    sys.path[:0] = [str(p) for p in dict.fromkeys((*paths, root))]
    try:
        yield
    finally:
        sys.path[:] = saved_path
        for name in set(sys.modules) - before:
            if _is_repository_module(sys.modules[name], root):
                del sys.modules[name]


def _is_repository_module(module: Any, root: Path) -> bool:
    # A namespace package (a folder without __init__.py) has no __file__, only its folders.
    places = [getattr(module, "__file__", None), *(getattr(module, "__path__", None) or ())]
    return any(_is_within(place, root) for place in places)


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
        with conn.transaction():
            for sql in source.prelude:  # what the hosting platform created first
                conn.execute(sql)
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


def upgrade_alembic(db_uri: str, root: Path, source: SourceResult, report: BuildReport) -> None:
    """`alembic upgrade heads` on `db_uri`, in-process, without the project's env.py.

    env.py decides where to connect (its own settings, an app config, a secret
    store): running it could touch a real database. Instead this runs Alembic's
    own upgrade loop (what `command.upgrade` does around env.py) on a connection
    to `db_uri`, with a target MetaData carrying the naming convention env.py's
    target_metadata declares, which is all op.* calls read from it.
    """
    try:
        import alembic  # noqa: F401  (the build needs it importable here)
    except ImportError as exc:
        report.notes.append(
            f"{source.path}: not built: Alembic is not importable where stacktune runs ({exc});"
            " install alembic in this environment to build Alembic projects"
        )
        return
    project = _alembic_project(root, source)
    if project is None:
        report.notes.append(f"{source.path}: not built: no Alembic script directory (env.py) found there")
        return
    try:
        with repository_imports(root, *project.sys_paths):
            _upgrade_heads(_alembic_config(project, db_uri), db_uri, _target_metadata(root, project))
    except ImportError as exc:
        report.notes.append(f"{source.path}: not built: a revision could not import ({_exception(exc, db_uri)})")
        return
    except Exception as exc:  # user code, Alembic or the server refusing a revision: reported, never a crash
        location = _innermost_frame(exc, root) or Location(source.path)
        report.failures.append(Diagnostic(location, f"alembic upgrade heads failed: {_exception(exc, db_uri)}"))
        return
    report.files_applied += len(source.files)


def _upgrade_heads(config: Any, db_uri: str, target_metadata: Any) -> None:
    from alembic.runtime.environment import EnvironmentContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    script = ScriptDirectory.from_config(config)

    def upgrade(rev: Any, context: Any) -> Any:
        return script._upgrade_revs("heads", rev)  # as alembic.command.upgrade does

    engine = create_engine(sqlalchemy_url(db_uri), poolclass=NullPool)
    try:
        with engine.connect() as connection, EnvironmentContext(
            config, script, fn=upgrade, destination_rev="heads"
        ) as environment:
            environment.configure(connection=connection, target_metadata=target_metadata)
            with environment.begin_transaction():
                environment.run_migrations()
            connection.commit()
    finally:
        engine.dispose()


def _target_metadata(root: Path, project: AlembicProject) -> Any:
    """A MetaData with the naming convention the project's env.py gives op.* calls."""
    from sqlalchemy import MetaData

    convention, _ = target_convention(root, project.env_py, project.sys_paths)
    return MetaData(naming_convention=convention)


def _alembic_project(root: Path, source: SourceResult) -> AlembicProject | None:
    """The project the static reader read (with its configured version folders), found again by folder."""
    script_dir = (root / source.path).resolve()
    projects, _ = find_alembic_projects(root)
    candidates = [*projects, project_at(root, script_dir.parent), project_at(root, script_dir)]
    return next((p for p in candidates if p is not None and p.script_dir.resolve() == script_dir), None)


def _alembic_config(project: AlembicProject, db_uri: str) -> Any:
    from alembic.config import Config

    config = Config()

    def option(name: str, value: str) -> None:
        config.set_main_option(name, value.replace("%", "%%"))  # values are %-interpolated

    option("script_location", str(project.script_dir))
    option("path_separator", "os")
    option("version_locations", os.pathsep.join(str(folder) for folder in project.version_dirs))
    option("recursive_version_locations", str(project.recursive).lower())
    option("sqlalchemy.url", sqlalchemy_url(db_uri))
    return config


def sqlalchemy_url(db_uri: str) -> str:
    """The libpq URI or conninfo as a SQLAlchemy URL on the psycopg (3) driver."""
    from sqlalchemy.engine import URL

    params = conninfo_to_dict(db_uri)
    url = URL.create(
        "postgresql+psycopg",
        username=params.pop("user", None),
        password=params.pop("password", None),
        database=params.pop("dbname", None),
        query={key: str(value) for key, value in params.items()},
    )
    return url.render_as_string(hide_password=False)


def _innermost_frame(exc: BaseException, root: Path) -> Location | None:
    """The deepest line of the repository's own code in the traceback: the revision's failing op."""
    inside = [f for f in traceback.extract_tb(exc.__traceback__) if _is_within(f.filename, root)]
    if not inside:
        return None
    frame = inside[-1]
    return Location(relpath(Path(frame.filename), root), frame.lineno or 1)


def _exception(exc: BaseException, db_uri: str) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return safe_message(f"{type(exc).__name__}: {text}", db_uri)
