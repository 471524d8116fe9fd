"""`--import-models module:Base`: import the project's models and replay create_all itself.

create_all runs against a mock PostgreSQL engine that records each DDL element, so the
order and the names (naming conventions, truncation) are SQLAlchemy's own; each element
becomes the same event the static reader emits. Needs the project's dependencies.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path
from typing import Any

from stacktune.model.diagnostics import Diagnostic
from stacktune.model.events import (
    AddConstraint,
    ColumnDef,
    ConstraintDef,
    CreateIndex,
    CreateTable,
    IndexKey,
    RelName,
    SchemaEvent,
    SourceResult,
)
from stacktune.model.location import Location
from stacktune.sources.models.sa_types import pg_type_for
from stacktune.sources.sql.predicate import predicate_from_text
from stacktune.sources.walk import relpath


def _type_name(sa_type: Any) -> str:
    kind = type(sa_type).__name__
    if kind == "Enum":
        return sa_type.name if getattr(sa_type, "native_enum", True) and sa_type.name else "varchar"
    if kind == "ARRAY":
        return "_" + _type_name(sa_type.item_type)
    for cls in type(sa_type).__mro__:
        if (name := pg_type_for(cls.__name__, bool(getattr(sa_type, "timezone", False)))) is not None:
            return name
    impl = getattr(sa_type, "impl", None)  # TypeDecorator
    if impl is not None and impl is not sa_type:
        return _type_name(impl() if isinstance(impl, type) else impl)
    return kind.lower()


class _Converter:
    def __init__(self, root: Path, dialect: Any, locations: dict[Any, Location], fallback: Location) -> None:
        self.root, self.dialect, self.locations, self.fallback = root, dialect, locations, fallback
        self.preparer = dialect.identifier_preparer
        self.ddl = dialect.ddl_compiler(dialect, None)

    def sql(self, expr: Any) -> str:
        """An expression as CREATE INDEX renders it: no table prefix, literals inline."""
        return str(self.ddl.sql_compiler.process(expr, include_table=False, literal_binds=True))

    def name(self, constraint: Any) -> str | None:
        if constraint.name is None:
            return None
        return self.preparer.format_constraint(constraint, _alembic_quote=False)

    def rel(self, table: Any) -> RelName:
        return RelName(table.schema, table.name)

    def fk(self, fkc: Any) -> ConstraintDef:
        return ConstraintDef(
            "foreign", tuple(c.name for c in fkc.columns), self.name(fkc), self.rel(fkc.referred_table),
            tuple(e.column.name for e in fkc.elements),
            (fkc.ondelete or "NO ACTION").upper(), (fkc.onupdate or "NO ACTION").upper(),  # type: ignore[arg-type]
            location=self.locations.get(fkc.table, self.fallback),
        )

    def constraint(self, c: Any, table: Any) -> ConstraintDef:
        kind = {"PrimaryKeyConstraint": "primary", "UniqueConstraint": "unique", "CheckConstraint": "check"}
        if type(c).__name__ == "ForeignKeyConstraint":
            return self.fk(c)
        if type(c).__name__ == "CheckConstraint":
            parent = getattr(c, "parent", None)
            columns = (parent.name,) if parent is not None and parent is not table else ()
        else:
            columns = tuple(col.name for col in c.columns)
        return ConstraintDef(kind.get(type(c).__name__, "check"), columns, self.name(c),  # type: ignore[arg-type]
                             location=self.locations.get(table, self.fallback))

    def create_table(self, ddl: Any) -> CreateTable:
        table = ddl.element
        included = ddl.include_foreign_key_constraints
        omitted = set() if included is None else set(table.foreign_key_constraints) - set(included)
        ordered = [table.primary_key] if table.primary_key else []
        ordered += [c for col in table.columns for c in col.constraints]  # column CHECKs, inline
        ordered += [c for c in table._sorted_constraints if c is not table.primary_key and c not in omitted]
        ordered = [c for c in ordered if not getattr(c, "use_alter", False)]
        columns = tuple(ColumnDef(c.name, _type_name(c.type), not c.nullable, None, self.locations.get(table, self.fallback)) for c in table.columns)
        return CreateTable(location=self.locations.get(table, self.fallback), table=self.rel(table), columns=columns,
                           constraints=tuple(self.constraint(c, table) for c in ordered))

    def create_index(self, ddl: Any) -> CreateIndex:
        index = ddl.element
        options = index.dialect_options["postgresql"]
        keys = []
        for expr in index.expressions:
            if any(expr is c for c in index.table.columns):
                opclass = (options["ops"] or {}).get(expr.key) or (options["ops"] or {}).get(expr.name)
                keys.append(IndexKey(expr.name, opclass=opclass))
            else:
                keys.append(IndexKey(expression=self.sql(expr)))
        where = options["where"]
        predicate = predicate_from_text(self.sql(where)) if where is not None else None
        include = tuple(c if isinstance(c, str) else c.name for c in options["include"] or ())
        return CreateIndex(location=self.locations.get(index.table, self.fallback), table=self.rel(index.table),
                           keys=tuple(keys), name=self.preparer.format_constraint(index, _alembic_quote=False), unique=bool(index.unique),
                           method=(options["using"] or "btree").lower(), include=include, predicate=predicate)


def _metadata_and_locations(target: Any, root: Path) -> tuple[Any, dict[Any, Location]]:
    model = getattr(target, "Model", None)  # Flask-SQLAlchemy's db object
    target = model if model is not None and not hasattr(target, "registry") else target
    metadata = getattr(target, "metadata", target)
    locations: dict[Any, Location] = {}
    registry = getattr(target, "registry", None)
    for mapper in getattr(registry, "mappers", ()):
        try:
            path = Path(inspect.getsourcefile(mapper.class_) or "")
            line = inspect.getsourcelines(mapper.class_)[1]
        except (OSError, TypeError):
            continue
        locations.setdefault(mapper.local_table, Location(relpath(path, root), line))
    return metadata, locations


def read_imported_metadata(root: Path, target: str) -> SourceResult:
    """Import `module:attr` (a declarative Base or a MetaData) with root on sys.path and
    record what its create_all() sends to PostgreSQL."""
    result = SourceResult(kind="models", path=target, style="sqlalchemy-import")
    module_name, _, attr = target.partition(":")
    here = Location(module_name.replace(".", "/") + ".py")
    sys.path.insert(0, str(root))
    try:
        module = importlib.import_module(module_name)
        obj = getattr(module, attr or "Base")
    except Exception as exc:  # any import-time failure of user code is a diagnostic, not a crash
        result.diagnostics.append(Diagnostic(here, f"cannot import {target}: {type(exc).__name__}: {exc}"))
        return result
    finally:
        sys.path.remove(str(root))
    from sqlalchemy import create_mock_engine
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import AddConstraint as SaAddConstraint
    from sqlalchemy.schema import CreateIndex as SaCreateIndex
    from sqlalchemy.schema import CreateTable as SaCreateTable

    if getattr(module, "__file__", None):
        here = Location(relpath(Path(module.__file__), root))
        result.files.append(here.path)
    metadata, locations = _metadata_and_locations(obj, root)
    converter = _Converter(root, postgresql.dialect(), locations, here)
    events: list[SchemaEvent] = []

    def record(ddl: Any, *args: Any, **kw: Any) -> None:
        if isinstance(ddl, SaCreateTable):
            events.append(converter.create_table(ddl))
        elif isinstance(ddl, SaCreateIndex):
            events.append(converter.create_index(ddl))
        elif isinstance(ddl, SaAddConstraint):
            fk = converter.fk(ddl.element)
            events.append(AddConstraint(location=fk.location or here, table=converter.rel(ddl.element.table), constraint=fk))

    try:
        metadata.create_all(create_mock_engine("postgresql://", record), checkfirst=False)
    except Exception as exc:  # SQLAlchemy refusing the metadata is the user's problem to see
        result.diagnostics.append(Diagnostic(here, f"create_all failed: {type(exc).__name__}: {exc}"))
    result.events.extend(events)
    return result
