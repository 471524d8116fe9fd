"""TableModels -> the events `Base.metadata.create_all()` sends to PostgreSQL, in its order.

Here column references get their DB names, types are completed from FK targets and
Mapped[...] annotations, names come from the naming convention, and the tables are
sorted as create_all sorts them.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

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
)
from stacktune.model.location import Location
from stacktune.sources.models.naming import (
    DEFAULT_CONVENTION,
    MAX_IDENTIFIER,
    NamingColumn,
    NamingError,
    NamingSubject,
    constraint_name,
)
from stacktune.sources.models.ordering import create_all_order
from stacktune.sources.models.project import Project
from stacktune.sources.models.sa_calls import ConstraintSpec, FkSpec, IndexSpec, Ref, SqlRenderer
from stacktune.sources.models.tables import ColumnModel, ItemModel, TableBuilder, TableModel


@dataclass(slots=True)
class _Fk:
    constraint: ConstraintDef
    target: TableModel | None
    use_alter: bool


@dataclass(slots=True)
class _Table:
    """One table's CREATE TABLE parts, before ordering decides which FKs go to ALTER."""

    model: TableModel
    columns: list[ColumnDef] = field(default_factory=list)
    constraints: list[tuple[tuple, ConstraintDef | _Fk]] = field(default_factory=list)
    indexes: list[CreateIndex] = field(default_factory=list)

    @property
    def rel(self) -> RelName:
        return RelName(self.model.schema, self.model.name)


@dataclass(slots=True)
class Emitter:
    project: Project
    builder: TableBuilder
    tables: list[TableModel]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _by_key: dict[str, TableModel] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for table in self.tables:
            self._by_key[f"{table.schema}.{table.name}" if table.schema else table.name] = table

    # --- references -------------------------------------------------------------------
    def lookup(self, ref: Ref, table: TableModel) -> tuple[TableModel, ColumnModel] | None:
        owner = self.builder.owner_table(ref.owner) if ref.owner else table
        if owner is None:
            return None
        column = owner.column(ref.attr) if ref.by_key else owner.attrs.get(ref.attr) or owner.column(ref.attr)
        return (owner, column) if column is not None else None

    def column_name(self, ref: Ref, table: TableModel) -> str | None:
        found = self.lookup(ref, table)
        return found[1].name if found else None

    def fk_target(self, target: str | Ref, table: TableModel) -> tuple[TableModel | None, RelName, str]:
        if isinstance(target, Ref):
            found = self.lookup(target, table)
            if found is None:
                return None, RelName(None, target.owner or table.name), target.attr
            return found[0], RelName(found[0].schema, found[0].name), found[1].name
        parts = target.split(".")
        schema = ".".join(parts[:-2]) or None
        table_name, column = (parts[-2], parts[-1]) if len(parts) > 1 else (parts[0], "")
        ref_table = self._by_key.get(f"{schema}.{table_name}" if schema else table_name)
        if ref_table is None:
            return None, RelName(schema, table_name), column
        ref_column = ref_table.column(column)
        return ref_table, RelName(ref_table.schema, ref_table.name), ref_column.name if ref_column else column

    # --- conventions and names ----------------------------------------------------------
    def convention(self, table: TableModel) -> dict[str, str]:
        found = (
            self.project.class_convention(table.metadata_owner)
            if table.metadata_owner in self.project.classes
            else self.project.convention_for(table.metadata_owner)
        )
        if found is None:
            return DEFAULT_CONVENTION
        src, node = found
        if isinstance(node, ast.Name):
            node = self.project.constants.get(node.id, node)
        if not isinstance(node, ast.Dict):
            self.diagnostics.append(src.diagnostic(node, "cannot read naming_convention statically"))
            return DEFAULT_CONVENTION
        out: dict[str, str] = {}
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(value, ast.Constant) and isinstance(value.value, str):
                out[str(key.value)] = value.value
            else:
                self.diagnostics.append(src.diagnostic(value, "naming_convention entry not readable statically"))
        return out

    def name(self, prefix: str, table: TableModel, subject: NamingSubject, final: bool, at: Location) -> str | None:
        try:
            name = constraint_name(prefix, self.convention(table), subject, final)
        except NamingError as exc:
            self.diagnostics.append(Diagnostic(at, f"SQLAlchemy would refuse this name: {exc}"))
            return subject.name
        if name is None and prefix == "ix":
            self.diagnostics.append(Diagnostic(at, "index has no name and no 'ix' naming convention applies"))
        if name is not None and name == subject.name and not final and len(name) > MAX_IDENTIFIER:
            self.diagnostics.append(Diagnostic(at, f"name {name!r} is longer than {MAX_IDENTIFIER}: SQLAlchemy refuses it"))
        return name

    def subject(self, table: TableModel, columns: list[ColumnModel], name: str | None, **kw: object) -> NamingSubject:
        cols = tuple(NamingColumn(c.name, c.key) for c in columns)
        return NamingSubject(table.name, table.schema, cols, name, **kw)  # type: ignore[arg-type]

    # --- one table ----------------------------------------------------------------------
    def column_type(self, column: ColumnModel, table: TableModel, depth: int = 0) -> str | None:
        if column.spec.type_name:
            return column.spec.type_name
        if column.annotation is not None and column.annotation.type_name:
            return column.annotation.type_name
        for fk in column.spec.foreign_keys:
            target, _, col_name = self.fk_target(fk.targets[0], table)
            ref_col = target.column(col_name) if target else None
            if ref_col is not None and depth < 5:
                return self.column_type(ref_col, target, depth + 1)  # type: ignore[arg-type]
        return None

    def build_table(self, table: TableModel) -> _Table:
        out = _Table(table)
        explicit_pk = [i for i in table.items if isinstance(i.spec, ConstraintSpec) and i.spec.kind == "primary"]
        pk_columns = self.pk_columns(table, explicit_pk[-1] if explicit_pk else None)
        for column in table.columns:
            type_name = self.column_type(column, table)
            if type_name is None:
                self.diagnostics.append(Diagnostic(column.location, f"cannot tell the type of column {column.name}"))
            out.columns.append(ColumnDef(column.name, type_name or "unknown", self.not_null(column, pk_columns), None, column.location))
        if pk_columns:
            item = explicit_pk[-1] if explicit_pk else None
            spec = item.spec if item else None
            at = item.reader.src.location(item.spec.node) if item else table.location
            subject = self.subject(table, pk_columns, spec.name if spec else None)
            name = self.name("pk", table, subject, bool(spec and spec.conv_name), at)
            out.constraints.append(((-1,), ConstraintDef("primary", tuple(c.name for c in pk_columns), name, location=at)))
        for item in table.items:
            self.add_item(out, item)
        for position, column in enumerate(table.columns):
            self.add_column_constraints(out, column, position)
        out.indexes.sort(key=lambda ix: (ix.name is None, ix.name or ""))
        return out

    def pk_columns(self, table: TableModel, explicit: ItemModel | None) -> list[ColumnModel]:
        if explicit is None:
            return [c for c in table.columns if c.spec.primary_key]
        assert isinstance(explicit.spec, ConstraintSpec)
        found = [self.lookup(r, table) for r in explicit.spec.columns]
        return [f[1] for f in found if f is not None]

    @staticmethod
    def not_null(column: ColumnModel, pk_columns: list[ColumnModel]) -> bool:
        if column.spec.primary_key or column in pk_columns:
            return True
        if column.spec.nullable is not None:
            return not column.spec.nullable
        if column.spec.mapped and column.annotation is not None:
            return not column.annotation.optional
        return False

    def add_column_constraints(self, out: _Table, column: ColumnModel, position: int) -> None:
        table, spec, at = out.model, column.spec, column.location
        if spec.index:
            name = self.name("ix", table, self.subject(table, [column], None), False, at)
            out.indexes.append(CreateIndex(location=at, table=out.rel, keys=(IndexKey(column.name),), name=name, unique=spec.unique))
        elif spec.unique:
            name = self.name("uq", table, self.subject(table, [column], None), False, at)
            out.constraints.append(((1, position, 0), ConstraintDef("unique", (column.name,), name, location=at)))
        for number, check in enumerate(spec.checks):  # rendered inside the column definition
            check_at = column.reader.src.location(check.node)
            name = self.name("ck", table, self.subject(table, [column], check.name), check.conv_name, check_at)
            check_def = ConstraintDef("check", (column.name,), name, location=check_at)
            out.constraints.append(((-0.5, position, number), check_def))
        for number, fk in enumerate(spec.foreign_keys):
            out.constraints.append(((1, position, 1 + number), self.fk(out.model, [column], fk, column.reader.src.location(fk.node))))

    def fk(self, table: TableModel, columns: list[ColumnModel], fk: FkSpec, at: Location) -> _Fk:
        targets = [self.fk_target(t, table) for t in fk.targets]
        target_table = targets[0][0] if targets else None
        ref = targets[0][1] if targets else RelName(None, "")
        if target_table is None:
            self.diagnostics.append(Diagnostic(at, f"foreign key target {ref} is not among the models read"))
        ref_columns = tuple(t[2] for t in targets)
        subject = self.subject(table, columns, fk.name, referred_table=ref.name, referred_columns=ref_columns)
        name = self.name("fk", table, subject, fk.conv_name, at)
        constraint = ConstraintDef(
            "foreign", tuple(c.name for c in columns), name, ref, ref_columns,
            fk.on_delete, fk.on_update, location=at,
        )
        return _Fk(constraint, target_table, fk.use_alter)

    def add_item(self, out: _Table, item: ItemModel) -> None:
        table, spec, reader = out.model, item.spec, item.reader
        at = reader.src.location(spec.node)
        order = (0, at.path, at.line, at.column)
        if isinstance(spec, IndexSpec):
            out.indexes.append(self.index(table, item, at))
        elif isinstance(spec, FkSpec):
            columns = [f[1] for f in (self.lookup(r, table) for r in spec.columns) if f]
            out.constraints.append((order, self.fk(table, columns, spec, at)))
        elif spec.kind != "primary":
            columns = [f[1] for f in (self.lookup(r, table) for r in spec.columns) if f]
            prefix = "uq" if spec.kind == "unique" else "ck"
            name = self.name(prefix, table, self.subject(table, columns, spec.name), spec.conv_name, at)
            out.constraints.append((order, ConstraintDef(spec.kind, tuple(c.name for c in columns), name, location=at)))  # type: ignore[arg-type]

    def index(self, table: TableModel, item: ItemModel, at: Location) -> CreateIndex:
        spec = item.spec
        assert isinstance(spec, IndexSpec)
        renderer = SqlRenderer(item.reader, lambda ref: self.column_name(self._owned(ref, item), table))
        keys: list[IndexKey] = []
        plain: list[ColumnModel] = []
        for element in spec.elements:
            found = self.lookup(self._owned(element.ref, item), table) if element.ref else None
            if found is not None:
                column = found[1]
                plain.append(column)
                opclass = spec.ops.get(column.key) or spec.ops.get(column.name)
                keys.append(IndexKey(column.name, opclass=opclass, descending=element.descending))
            elif element.ref is not None:
                item.reader.note(spec.node, f"index column {element.ref.attr!r} is not a column of {table.name}")
            else:
                keys.append(IndexKey(expression=renderer.render(element.expr), descending=element.descending))  # type: ignore[arg-type]
        include = tuple(n for n in (self.column_name(self._owned(r, item), table) for r in spec.include) if n)
        name = self.name("ix", table, self.subject(table, plain, spec.name), spec.conv_name, at)
        return CreateIndex(
            location=at, table=RelName(table.schema, table.name), keys=tuple(keys), name=name, unique=spec.unique,
            method=spec.method, include=include, predicate=renderer.predicate(spec.where) if spec.where else None,
            concurrently=spec.concurrently,
        )

    @staticmethod
    def _owned(ref: Ref, item: ItemModel) -> Ref:
        """A bare name inside a class body means that class's attribute."""
        if ref.owner is None and not ref.by_key and item.owner_class:
            return Ref(ref.attr, item.owner_class, by_key=False)
        return ref

    # --- all tables -------------------------------------------------------------------
    def events(self) -> list[SchemaEvent]:
        built = [self.build_table(t) for t in self.tables]
        index_of = {id(t): i for i, t in enumerate(self.tables)}
        fk_targets = [
            [index_of.get(id(fk.target)) if not fk.use_alter else None
             for _, fk in b.constraints if isinstance(fk, _Fk)]
            for b in built
        ]
        order, cyclic = create_all_order(fk_targets)
        events: list[SchemaEvent] = []
        alters: list[AddConstraint] = []
        for i in order:
            b = built[i]
            inline: list[ConstraintDef] = []
            for _, c in sorted(b.constraints, key=lambda pair: pair[0]):
                if isinstance(c, _Fk) and (c.use_alter or i in cyclic):
                    alters.append(AddConstraint(location=c.constraint.location or b.model.location, table=b.rel, constraint=c.constraint))
                else:
                    inline.append(c.constraint if isinstance(c, _Fk) else c)
            events.append(CreateTable(location=b.model.location, table=b.rel, columns=tuple(b.columns), constraints=tuple(inline)))
            events.extend(b.indexes)
        return events + alters
