"""From the class index to tables as SQLAlchemy's MetaData would hold them.

Declarative classes (with mixins, abstract bases, declared_attr, single-table and
joined inheritance), `__table__ = Table(...)`, module-level `Table(...)` and `Index(...)`
all end up as TableModel objects in MetaData insertion order. Column references are
still unresolved here; `resolve.py` names them.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from stacktune.model.diagnostics import Diagnostic
from stacktune.model.location import Location
from stacktune.sources.models.annotations import MappedAnnotation, read_annotation
from stacktune.sources.models.project import ClassInfo, Project
from stacktune.sources.models.pysource import PySource
from stacktune.sources.models.sa_calls import (
    COLUMN_CALLS,
    TABLE_ITEM_CALLS,
    CallReader,
    ColumnSpec,
    ConstraintSpec,
    FkSpec,
    IndexSpec,
    callee,
    keyword,
)
from stacktune.sources.models.sa_types import dotted_name
from stacktune.sources.models.sqlmodel import field_column
from stacktune.sources.models.strings import StringEvaluator

Item = IndexSpec | ConstraintSpec | FkSpec


@dataclass(slots=True)
class ColumnModel:
    name: str
    key: str
    attr: str | None
    spec: ColumnSpec
    reader: CallReader
    annotation: MappedAnnotation | None = None

    @property
    def location(self) -> Location:
        return self.reader.src.location(self.spec.node)


@dataclass(slots=True)
class ItemModel:
    """An explicit constraint or index, with the reader (file, strings) that read it."""

    spec: Item
    reader: CallReader
    owner_class: str | None  # whose attributes bare names refer to


@dataclass(slots=True)
class TableModel:
    name: str
    schema: str | None
    location: Location
    metadata_owner: str | None  # class name or MetaData variable: picks the naming convention
    class_name: str | None = None
    columns: list[ColumnModel] = field(default_factory=list)
    items: list[ItemModel] = field(default_factory=list)
    attrs: dict[str, ColumnModel] = field(default_factory=dict)  # mapped attribute -> column

    def add_column(self, column: ColumnModel) -> None:
        self.columns.append(column)
        if column.attr is not None:
            self.attrs[column.attr] = column

    def column(self, key: str) -> ColumnModel | None:
        """SQLAlchemy's `table.c[key]`, falling back to the DB name."""
        return next((c for c in self.columns if c.key == key), None) or next(
            (c for c in self.columns if c.name == key), None
        )


def _flask_table_name(name: str) -> str:
    """Flask-SQLAlchemy's camel_to_snake_case for models without __tablename__."""
    return re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name).lower().lstrip("_")


@dataclass(slots=True)
class TableBuilder:
    project: Project
    diagnostics: list[Diagnostic] = field(default_factory=list)
    tables: list[tuple[int, TableModel]] = field(default_factory=list)
    by_class: dict[str, TableModel | None] = field(default_factory=dict)
    by_variable: dict[str, TableModel] = field(default_factory=dict)
    readers: dict[tuple[str, str | None, str | None], CallReader] = field(default_factory=dict)

    def reader(self, src: PySource, cls: str | None = None, tablename: str | None = None) -> CallReader:
        """One reader per file and class context (strings may mention cls.__tablename__)."""
        key = (src.path, cls, tablename)
        if key not in self.readers:
            strings = StringEvaluator(self.project.constants, cls, tablename)
            self.readers[key] = CallReader(src, self.project.type_impls.get, strings)
        return self.readers[key]

    def all_diagnostics(self) -> list[Diagnostic]:
        return self.diagnostics + [d for r in self.readers.values() for d in r.diagnostics]

    def build(self) -> list[TableModel]:
        for name in list(self.project.classes):
            self.table_of(name)
        for item in self.project.tables:
            table = self.table_from_call(item.src, item.call, None)
            if table is not None:
                self.tables.append((item.order, table))
                if item.target:
                    self.by_variable[item.target] = table
        for item in self.project.indexes:
            self.module_index(item.src, item.call)
        return [t for _, t in sorted(self.tables, key=lambda pair: pair[0])]

    # --- declarative classes ----------------------------------------------------------
    def table_of(self, name: str) -> TableModel | None:
        """The table a class maps to (its own, or its single-table parent's); None if unmapped."""
        if name in self.by_class:
            return self.by_class[name]
        self.by_class[name] = None  # guards against cyclic bases
        info = self.project.classes[name]
        own_tablename = "__tablename__" in info.body or "__table__" in info.body
        if info.root or info.constant("__abstract__") is True:
            return None
        if not own_tablename and not info.sqlmodel_table and not self.project.is_declarative(name):
            return None
        mro = self.project.mro(name)
        parent = next((t for c in mro[1:] if (t := self.table_of(c.name)) is not None), None)
        if isinstance(table_call := info.value("__table__"), ast.Call) and callee(table_call) == "Table":
            table = self.table_from_call(info.src, table_call, name)
        else:
            tablename = self.tablename(info, mro, parent is not None)
            table = self.declarative_table(info, mro, tablename) if tablename else None
        if table is not None:
            self.tables.append((info.order, table))
        elif parent is not None:  # single-table inheritance: the columns join the parent's table
            self.add_class_columns(parent, info, mro, None)
            table = parent
        self.by_class[name] = table
        return table

    def tablename(self, info: ClassInfo, mro: list[ClassInfo], has_parent: bool) -> str | None:
        for owner in mro:
            value = owner.value("__tablename__")
            if value is None or (owner is not info and not isinstance(value, ast.FunctionDef)):
                continue  # a plain string inherited from a mapped parent means single-table
            node = self.declared_attr_value(owner, value, info) if isinstance(value, ast.FunctionDef) else value
            if node is None:
                return None
            text = StringEvaluator(self.project.constants, info.name)(node)
            if text is None and not (isinstance(node, ast.Constant) and node.value is None):
                self.diagnostics.append(info.src.diagnostic(node, "cannot compute __tablename__ statically"))
            return text
        if info.sqlmodel_table:
            return info.name.lower()
        flask = any(b.endswith(".Model") for b in self.project.all_base_names(info.name))
        if flask and not has_parent:
            return _flask_table_name(info.name)
        return None

    def declared_attr_value(self, owner: ClassInfo, func: ast.FunctionDef, info: ClassInfo) -> ast.expr | None:
        """The returned expression of a declared_attr whose body is just `return <expr>`."""
        body = [s for s in func.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
        if len(body) == 1 and isinstance(body[0], ast.Return) and body[0].value is not None:
            return body[0].value
        self.diagnostics.append(
            owner.src.diagnostic(func, f"declared_attr {func.name} on {info.name}: cannot evaluate its body statically")
        )
        return None

    def declarative_table(self, info: ClassInfo, mro: list[ClassInfo], tablename: str) -> TableModel:
        table = TableModel(tablename, None, info.src.location(info.node), info.name, info.name)
        args = next(
            ((c, v) for c in mro if (v := c.value("__table_args__")) is not None
             and (c is info or self.table_of(c.name) is None or isinstance(v, ast.FunctionDef))),
            None,
        )
        self.add_class_columns(table, info, mro, tablename)
        if args is not None:
            owner, value = args
            node = self.declared_attr_value(owner, value, info) if isinstance(value, ast.FunctionDef) else value
            if node is not None:
                self.table_args(table, owner.src, node, self.reader(owner.src, info.name, tablename), info.name)
        return table

    def add_class_columns(self, table: TableModel, info: ClassInfo, mro: list[ClassInfo], tablename: str | None) -> None:
        """Columns of the class and of its unmapped ancestors (mixins, abstract bases), in
        SQLAlchemy's order: own attributes first, then each ancestor's, first definition wins."""
        seen: set[str] = set(table.attrs)
        found: list[ColumnModel] = []
        via_mapped: set[str] = set()  # classes reached only through a mapped ancestor: not copied
        for owner in mro:
            if owner.name in via_mapped:
                continue
            if owner is not info and self.table_of(owner.name) is not None:
                via_mapped.update(c.name for c in self.project.mro(owner.name))
                continue
            for attr, stmt in owner.body.items():
                if attr in seen or attr.startswith("__"):
                    continue
                seen.add(attr)
                reader = self.reader(owner.src, info.name, tablename)
                column = self.class_column(owner, info, attr, stmt, reader)
                if column is not None:
                    found.append(column)
        for column in sorted(found, key=lambda c: c.spec.sort_order):
            table.add_column(column)

    def class_column(
        self, owner: ClassInfo, info: ClassInfo, attr: str, stmt: ast.stmt, reader: CallReader
    ) -> ColumnModel | None:
        if self.project.is_sqlmodel(info.name):
            found = field_column(stmt, reader, self.project.enums)
            if found is None:
                return None
            spec, annotation = found
            return ColumnModel(spec.name or attr, spec.key or spec.name or attr, attr, spec, reader, annotation)
        annotation_node = stmt.annotation if isinstance(stmt, ast.AnnAssign) else None
        value = stmt.value if isinstance(stmt, ast.Assign | ast.AnnAssign) else None
        if isinstance(stmt, ast.FunctionDef):
            annotation_node, value = stmt.returns, self.declared_attr_value(owner, stmt, info)
        annotation = read_annotation(annotation_node, self.project.enums) if annotation_node else None
        if isinstance(value, ast.Call) and callee(value) in COLUMN_CALLS:
            spec = reader.column(value)
        elif value is None and isinstance(stmt, ast.AnnAssign) and annotation and annotation.type_name:
            spec = ColumnSpec(stmt, mapped=True)  # `x: Mapped[int]` alone is a column in SQLAlchemy 2
        else:
            return None
        name = spec.name or attr
        return ColumnModel(name, spec.key or spec.name or attr, attr, spec, reader, annotation)

    # --- Table(...) ----------------------------------------------------------------------
    def table_from_call(self, src: PySource, call: ast.Call, class_name: str | None) -> TableModel | None:
        reader = self.reader(src, class_name)
        args = list(call.args)
        name = reader.strings(args[0]) if args else None
        if name is None:
            reader.note(call, "cannot read this Table's name statically")
            return None
        owner = dotted_name(call.func).rsplit(".", 1)[0] if isinstance(call.func, ast.Attribute) else None
        rest = args[1:]
        if rest and not (isinstance(rest[0], ast.Call) and callee(rest[0]) in TABLE_ITEM_CALLS):
            meta = rest.pop(0)
            owner = (dotted_name(meta) or "").removesuffix(".metadata") or owner
        table = TableModel(name, None, src.location(call), owner, class_name)
        for node in rest:
            self.table_item(table, reader, node, class_name)
        if (schema := keyword(call, "schema")) is not None:
            table.schema = reader.strings(schema)
        for kw in call.keywords:
            if kw.arg is None:
                reader.note(kw.value, f"cannot read **{ast.unparse(kw.value)} in Table() statically")
        return table

    def table_item(self, table: TableModel, reader: CallReader, node: ast.expr, owner_class: str | None) -> None:
        item = reader.table_item(node)
        if isinstance(item, ColumnSpec):
            name = item.name or ""
            table.add_column(ColumnModel(name, item.key or name, None, item, reader))
        elif item is not None:
            table.items.append(ItemModel(item, reader, owner_class))
        elif isinstance(node, ast.Starred) or (isinstance(node, ast.Call) and callee(node) in ("Column",)):
            reader.note(node, f"cannot read {ast.unparse(node)} statically")

    def table_args(
        self, table: TableModel, src: PySource, node: ast.expr, reader: CallReader, owner_class: str
    ) -> None:
        if isinstance(node, ast.Name) and node.id in self.project.constants:
            node = self.project.constants[node.id]
        elements = list(node.elts) if isinstance(node, ast.Tuple | ast.List) else [node]
        for element in elements:
            if isinstance(element, ast.Dict):
                for key, value in zip(element.keys, element.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "schema":
                        table.schema = reader.strings(value)
                    elif key is None:
                        reader.note(value, "cannot read **kwargs in __table_args__ statically")
            elif isinstance(element, ast.Call):
                self.table_item(table, reader, element, owner_class)
            else:
                reader.note(element, f"cannot read __table_args__ entry {ast.unparse(element)} statically")

    def module_index(self, src: PySource, call: ast.Call) -> None:
        """`Index("ix", User.email)` at module level attaches to the table of its first column."""
        reader = self.reader(src)
        spec = reader.index(call)
        for element in spec.elements:
            refs = [element.ref] if element.ref else [reader.ref(n) for n in ast.walk(element.expr or call)]
            for ref in refs:
                table = self.owner_table(ref.owner) if ref is not None and ref.owner else None
                if table is not None:
                    table.items.append(ItemModel(spec, reader, ref.owner if ref.owner in self.by_class else None))
                    return
        reader.note(call, "cannot tell which table this Index belongs to")

    def owner_table(self, owner: str) -> TableModel | None:
        """A class name or a Table variable -> its table."""
        if owner in self.project.classes:
            return self.table_of(owner)
        return self.by_variable.get(owner)
