"""The SQLAlchemy models source: find model files, read them statically, emit create_all's events."""

from __future__ import annotations

import os
from pathlib import Path

from stacktune.model.diagnostics import Diagnostic
from stacktune.model.events import SourceResult
from stacktune.model.location import Location
from stacktune.sources.models.emit import Emitter
from stacktune.sources.models.project import Project
from stacktune.sources.models.pysource import PySource, parse_source
from stacktune.sources.models.tables import TableBuilder
from stacktune.sources.walk import iter_files, relpath

# Flask-SQLAlchemy (`db.Model`) and SQLModel (`table=True`) name tables without __tablename__.
_MARKERS = (b"__tablename__", b"__table__", b"Table(", b"db.Model", b"table=True")
# A declarative base or a mixin declares columns every model inherits, often in a file of
# its own that defines no table (`class Base(DeclarativeBase): id = mapped_column(...)`).
_SUPPORT_MARKERS = (
    b"DeclarativeBase", b"declarative_base", b"as_declarative", b"mapped_column(", b"Column(", b"SQLModel"
)
_IMPORTS = (b"sqlalchemy", b"sqlmodel")
_SKIPPED_PARTS = frozenset({"migrations", "alembic", "versions"})  # revisions are not models


def _looks_like_models(data: bytes) -> bool:
    """Cheap byte test before parsing: most Python files of a backend are not models."""
    return any(m in data for m in _MARKERS) and (any(i in data for i in _IMPORTS) or b"db.Model" in data)


def _looks_like_support(data: bytes) -> bool:
    return any(m in data for m in _SUPPORT_MARKERS) and any(i in data for i in _IMPORTS)


def find_model_files(root: Path) -> list[Path]:
    """Python files below root that define SQLAlchemy tables (tests and migrations excluded),
    with the files of bases and mixins they may inherit columns from; none without tables."""
    found: list[Path] = []
    has_tables = False
    for path in iter_files(root, (".py",)):
        parts = path.relative_to(root).parts[:-1]
        if _SKIPPED_PARTS.intersection(parts) or path.name.startswith("test_") or path.name == "conftest.py":
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if _looks_like_models(data):
            has_tables = True
            found.append(path)
        elif _looks_like_support(data):
            found.append(path)
    return found if has_tables else []


def _common_path(root: Path, files: list[Path]) -> str:
    rels = [relpath(f, root) for f in files]
    if len(rels) == 1:
        return rels[0]
    common = os.path.commonpath(rels) if rels else ""
    return Path(common).as_posix() if common else "."


def read_models(root: Path, files: list[Path]) -> SourceResult:
    """Events equal to `metadata.create_all()` on PostgreSQL for the models in `files`."""
    result = SourceResult(kind="models", path=_common_path(root, files), style="sqlalchemy")
    project = Project()
    for path in files:
        rel = relpath(path, root)
        result.files.append(rel)
        try:
            data = path.read_bytes()
        except OSError as exc:
            result.diagnostics.append(Diagnostic(Location(rel), f"cannot read file: {exc.strerror}"))
            continue
        parsed = parse_source(rel, data)
        if isinstance(parsed, PySource):
            project.add_module(parsed)
        else:
            result.diagnostics.append(parsed)
    builder = TableBuilder(project)
    tables = builder.build()
    emitter = Emitter(project, builder, tables)
    result.events.extend(emitter.events())
    result.diagnostics.extend(builder.all_diagnostics() + emitter.diagnostics)
    return result
