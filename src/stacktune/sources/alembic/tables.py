"""SQLAlchemy schema objects inside op.* calls -> event parts, named as Alembic names them.

`op.create_table(...)` and `op.add_column(...)` take the same sa.Column / constraint /
sa.Index calls the models do (read by the models source's `CallReader`); the
difference is what references mean (plain column names of the table at hand)
and which MetaData names the unnamed ones (see convention.py).
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from functools import lru_cache

from pglast.parser import ParseError, parse_sql_json

from stacktune.model.diagnostics import Diagnostic
from stacktune.model.events import ColumnDef, ConstraintDef, CreateIndex, FkAction, IndexKey, RelName
from stacktune.model.location import Location
from stacktune.sources.models.naming import NamingColumn, NamingError, NamingSubject, constraint_name
from stacktune.sources.models.sa_calls import (
    CallReader,
    ColumnSpec,
    ConstraintSpec,
    ElementSpec,
    FkSpec,
    IndexSpec,
    Ref,
    SqlRenderer,
    callee,
)


def _ref_name(ref: Ref) -> str:
    return ref.attr  # in a migration every reference is a column of the table at hand, by name


@lru_cache(maxsize=4096)
def key_from_sql(text: str) -> IndexKey:
    """An index element written as SQL (sa.text("lower(email)"), "user_id DESC") as PostgreSQL reads it.

    Alembic pastes the text into CREATE INDEX's element list, so it is parsed there;
    a parenthesised bare column is a plain column to PostgreSQL too.
    """
    try:
        tree = json.loads(parse_sql_json(f"CREATE INDEX ON t ({text})"))
        elems = tree["stmts"][0]["stmt"]["IndexStmt"]["indexParams"]
    except (ParseError, KeyError, IndexError):
        return IndexKey(expression=text)
    if len(elems) != 1:
        return IndexKey(expression=text)
    elem = elems[0]["IndexElem"]
    name = elem.get("name")
    fields = elem.get("expr", {}).get("ColumnRef", {}).get("fields", [])
    if name is None and len(fields) == 1 and "String" in fields[0]:
        name = fields[0]["String"]["sval"]
    opclass = elem.get("opclass", [{}])[-1].get("String", {}).get("sval")
    descending = elem.get("ordering") == "SORTBY_DESC"
    if name is not None:
        return IndexKey(column=name, opclass=opclass, descending=descending)
    return IndexKey(expression=text, opclass=opclass, descending=descending)


@dataclass(slots=True)
class Namer:
    """Names constraints and indexes the way the op's MetaData would."""

    convention: dict[str, str]
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def name(
        self, prefix: str, table: RelName, columns: tuple[str, ...], name: str | None, final: bool, at: Location,
        referred: tuple[str | None, tuple[str, ...]] = (None, ()),
    ) -> str | None:
        subject = NamingSubject(
            table.name, table.schema, tuple(NamingColumn(c, c) for c in columns), name, referred[0], referred[1]
        )
        try:
            made = constraint_name(prefix, self.convention, subject, final)
        except NamingError as exc:
            self.diagnostics.append(Diagnostic(at, f"SQLAlchemy would refuse this name: {exc}"))
            return name
        if made is None and prefix == "ix":
            self.diagnostics.append(Diagnostic(at, "index has no name and no 'ix' naming convention applies"))
        return made


@dataclass(slots=True)
class PartsBuilder:
    reader: CallReader
    namer: Namer
    table: RelName
    conditional: bool = False

    def at(self, node: ast.AST) -> Location:
        return self.reader.src.location(node)

    # --- columns ----------------------------------------------------------------------
    def column_def(self, spec: ColumnSpec, primary: bool = False) -> ColumnDef | None:
        if spec.name is None:
            self.reader.note(spec.node, "column without a readable name; skipped")
            return None
        type_name = spec.type_name
        if type_name is None:
            self.reader.note(spec.node, f"column {spec.name} has no type here; recorded as unknown")
        not_null = spec.primary_key or primary or spec.nullable is False
        return ColumnDef(spec.name, type_name or "unknown", not_null, None, self.at(spec.node))

    def column_index(self, spec: ColumnSpec) -> CreateIndex | None:
        """Column(index=True): an index named by the 'ix' template, unique with unique=True."""
        if not spec.index or spec.name is None:
            return None
        at = self.at(spec.node)
        name = self.namer.name("ix", self.table, (spec.name,), None, False, at)
        return CreateIndex(location=at, conditional=self.conditional, table=self.table,
                           keys=(IndexKey(spec.name),), name=name, unique=spec.unique)

    def column_unique(self, spec: ColumnSpec) -> ConstraintDef | None:
        if not spec.unique or spec.index or spec.name is None:
            return None
        at = self.at(spec.node)
        return ConstraintDef("unique", (spec.name,), self.namer.name("uq", self.table, (spec.name,), None, False, at),
                             location=at)

    def column_checks(self, spec: ColumnSpec) -> list[ConstraintDef]:
        return [self.constraint(check, (spec.name,) if spec.name else ()) for check in spec.checks]

    # --- constraints ------------------------------------------------------------------
    def constraint(self, spec: ConstraintSpec, columns: tuple[str, ...] | None = None) -> ConstraintDef:
        cols = columns if columns is not None else tuple(_ref_name(r) for r in spec.columns)
        prefix = {"primary": "pk", "unique": "uq"}.get(spec.kind, "ck")
        at = self.at(spec.node)
        name = self.namer.name(prefix, self.table, cols, spec.name, spec.conv_name, at)
        return ConstraintDef(spec.kind, cols, name, location=at)  # type: ignore[arg-type]

    def primary_key(self, columns: tuple[str, ...], spec: ConstraintSpec | None, at: Location) -> ConstraintDef:
        name = self.namer.name("pk", self.table, columns, spec.name if spec else None, bool(spec and spec.conv_name), at)
        return ConstraintDef("primary", columns, name, location=at)

    def target(self, target: str | Ref, at: Location) -> tuple[RelName, str]:
        if isinstance(target, Ref):
            self.namer.diagnostics.append(Diagnostic(at, f"foreign key target {target.owner}.{target.attr} is not a"
                                                         " 'table.column' string; read as that table"))
            return RelName(None, target.owner or self.table.name), target.attr
        parts = target.split(".")
        if len(parts) < 2:
            self.namer.diagnostics.append(Diagnostic(at, f"foreign key target {target!r} is not 'table.column'"))
            return RelName(None, target), ""
        return RelName(".".join(parts[:-2]) or None, parts[-2]), parts[-1]

    def foreign_key(self, spec: FkSpec, columns: tuple[str, ...] | None = None) -> ConstraintDef:
        at = self.at(spec.node)
        cols = columns if columns is not None else tuple(_ref_name(r) for r in spec.columns)
        targets = [self.target(t, at) for t in spec.targets]
        ref = targets[0][0] if targets else RelName(None, "")
        ref_columns = tuple(col for _, col in targets)
        name = self.namer.name("fk", self.table, cols, spec.name, spec.conv_name, at, (ref.name, ref_columns))
        return self.fk_def(cols, name, ref, ref_columns, spec.on_delete, spec.on_update, at)

    @staticmethod
    def fk_def(
        columns: tuple[str, ...], name: str | None, ref: RelName, ref_columns: tuple[str, ...],
        on_delete: FkAction, on_update: FkAction, at: Location, not_valid: bool = False,
    ) -> ConstraintDef:
        return ConstraintDef("foreign", columns, name, ref, ref_columns, on_delete, on_update, not_valid, location=at)

    # --- indexes ----------------------------------------------------------------------
    def index(self, spec: IndexSpec, if_not_exists: bool = False) -> CreateIndex:
        at = self.at(spec.node)
        renderer = SqlRenderer(self.reader, _ref_name)
        keys = tuple(self.element_key(e, spec, renderer) for e in spec.elements)
        plain = tuple(k.column for k in keys if k.column is not None)
        name = self.namer.name("ix", self.table, plain, spec.name, spec.conv_name, at)
        return CreateIndex(
            location=at, conditional=self.conditional, table=self.table, keys=keys, name=name, unique=spec.unique,
            method=spec.method, include=tuple(_ref_name(r) for r in spec.include),
            predicate=renderer.predicate(spec.where) if spec.where is not None else None,
            if_not_exists=if_not_exists, concurrently=spec.concurrently,
        )

    def element_key(self, element: ElementSpec, spec: IndexSpec, renderer: SqlRenderer) -> IndexKey:
        if element.ref is not None:
            column = _ref_name(element.ref)
            return IndexKey(column, opclass=spec.ops.get(column), descending=element.descending)
        expr = element.expr
        assert expr is not None
        if isinstance(expr, ast.Call) and callee(expr) == "column" and expr.args:
            if (column := self.reader.strings(expr.args[0])) is not None:  # sa.column("x"): a column by name
                return IndexKey(column, opclass=spec.ops.get(column), descending=element.descending)
        key = key_from_sql(renderer.render(expr))
        return IndexKey(key.column, key.expression, key.collation, key.opclass,
                        key.descending or element.descending)
