"""Readers for SQLAlchemy schema calls in an `ast`: Column, mapped_column, ForeignKey, Index,
UniqueConstraint, PrimaryKeyConstraint, ForeignKeyConstraint, CheckConstraint.

They turn one call into a small *spec* that still holds column references as written
(`Ref`), because what a reference means depends on the caller: the models reader
resolves `User.id` through its class index, an Alembic reader resolves plain strings
against the table being created. `render_sql` turns expression nodes (func.lower(col),
text("..."), col.is_not(None)) into SQL once the caller can name columns.

Usage: `CallReader(src).table_item(call)` -> ColumnSpec | IndexSpec | ConstraintSpec |
FkSpec | None, with `CallReader.diagnostics` collecting what could not be read.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

from stacktune.model.diagnostics import Diagnostic
from stacktune.model.events import FkAction, Predicate
from stacktune.sources.models.pysource import PySource
from stacktune.sources.models.sa_types import TypeImpl, last_name, read_type
from stacktune.sources.sql.predicate import predicate_from_text

COLUMN_CALLS = frozenset({"Column", "mapped_column"})
CONSTRAINT_CALLS = frozenset({"UniqueConstraint", "PrimaryKeyConstraint", "CheckConstraint"})
TABLE_ITEM_CALLS = COLUMN_CALLS | CONSTRAINT_CALLS | {"Index", "ForeignKeyConstraint"}
# Column arguments that carry no schema information stacktune needs.
_IGNORED_COLUMN_ARGS = frozenset({"Sequence", "Identity", "Computed", "DefaultClause", "FetchedValue"})
_FK_ACTIONS: frozenset[str] = frozenset({"NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"})
_NAME_WRAPPERS = frozenset({"conv", "f"})  # sqlalchemy conv() and alembic op.f(): final names


def callee(call: ast.Call) -> str | None:
    """The called name without its module: `sa.Column(...)`, `db.Column(...)` -> "Column"."""
    return last_name(call.func)


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


@dataclass(frozen=True, slots=True)
class Ref:
    """A column reference as written.

    owner None means the table being defined. by_key True: a key string or `.c.x`
    (SQLAlchemy looks it up by column key); False: a mapped attribute (`User.email`,
    or a bare `email` inside the class body).
    """

    attr: str
    owner: str | None = None
    by_key: bool = True


ColumnNamer = Callable[[Ref], str | None]  # the caller's reference -> DB column name


@dataclass(slots=True)
class FkSpec:
    targets: tuple[str | Ref, ...]  # "table.col" / "schema.table.col" strings, or references
    columns: tuple[Ref, ...]  # empty for ForeignKey(...) inside a Column: the column itself
    node: ast.Call
    name: str | None = None
    conv_name: bool = False  # conv()/op.f(): final, not subject to the naming convention
    on_delete: FkAction = "NO ACTION"
    on_update: FkAction = "NO ACTION"
    use_alter: bool = False


@dataclass(slots=True)
class ConstraintSpec:
    kind: str  # "primary", "unique", "check"
    columns: tuple[Ref, ...]
    node: ast.Call
    name: str | None = None
    conv_name: bool = False


@dataclass(frozen=True, slots=True)
class ElementSpec:
    """An index element: a column reference, or an expression node rendered later."""

    ref: Ref | None = None
    expr: ast.expr | None = None
    descending: bool = False


@dataclass(slots=True)
class IndexSpec:
    elements: tuple[ElementSpec, ...]
    node: ast.Call
    name: str | None = None
    conv_name: bool = False
    unique: bool = False
    method: str = "btree"
    include: tuple[Ref, ...] = ()
    where: ast.expr | None = None
    ops: dict[str, str] = field(default_factory=dict)
    concurrently: bool = False


@dataclass(slots=True)
class ColumnSpec:
    node: ast.AST  # the Column()/mapped_column() call, or an annotation-only statement
    name: str | None = None  # DB name when given explicitly
    key: str | None = None
    type_node: ast.expr | None = None
    type_name: str | None = None
    nullable: bool | None = None  # None: not given
    primary_key: bool = False
    unique: bool = False
    index: bool = False
    foreign_keys: list[FkSpec] = field(default_factory=list)
    checks: list[ConstraintSpec] = field(default_factory=list)
    sort_order: int = 0
    mapped: bool = False  # mapped_column(): nullability and type may come from Mapped[...]


TableItem = ColumnSpec | IndexSpec | ConstraintSpec | FkSpec


def _constant_string(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


@dataclass(slots=True)
class CallReader:
    """Reads SQLAlchemy calls of one source file; `strings` evaluates string expressions
    (the models reader passes one that knows `cls.__tablename__` inside declared_attr)."""

    src: PySource
    impl_of: TypeImpl | None = None
    strings: Callable[[ast.expr], str | None] = _constant_string
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def note(self, node: ast.AST, message: str) -> None:
        self.diagnostics.append(self.src.diagnostic(node, message))

    # --- small values -------------------------------------------------------------
    def flag(self, call: ast.Call, name: str) -> bool | None:
        node = keyword(call, name)
        if node is None:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, bool | None):
            return bool(node.value) if node.value is not None else None
        self.note(node, f"cannot read {name}= statically; assumed not set")
        return None

    def name(self, node: ast.expr | None) -> tuple[str | None, bool]:
        """A constraint/index name and whether it is final (conv()/op.f())."""
        if node is None or (isinstance(node, ast.Constant) and node.value is None):
            return None, False
        if isinstance(node, ast.Call) and callee(node) in _NAME_WRAPPERS and node.args:
            return self.strings(node.args[0]), True
        text = self.strings(node)
        if text is None:
            self.note(node, "cannot read this name statically; treated as unnamed")
        return text, False

    def action(self, call: ast.Call, name: str) -> FkAction:
        node = keyword(call, name)
        if node is None:
            return "NO ACTION"
        text = self.strings(node)
        value = " ".join(text.upper().split()) if text else None
        if value not in _FK_ACTIONS:
            self.note(node, f"cannot read {name}= ({ast.unparse(node)}); assumed NO ACTION")
            return "NO ACTION"
        return value  # type: ignore[return-value]

    def ref(self, node: ast.expr) -> Ref | None:
        """`"col"`, `col`, `User.col`, `User.__table__.c.col`, `users.c.col`, `users.c["col"]`."""
        if (text := self.strings(node)) is not None:
            return Ref(text)
        if isinstance(node, ast.Name):
            return Ref(node.id, by_key=False)
        if isinstance(node, ast.Subscript) and (key := self.strings(node.slice)) is not None:
            return _column_collection_ref(node.value, key)
        if isinstance(node, ast.Attribute):
            via_c = _column_collection_ref(node.value, node.attr)
            if via_c is not None:
                return via_c
            if (owner := last_name(node.value)) is not None:
                return Ref(node.attr, owner, by_key=False)
        return None

    def refs(self, nodes: list[ast.expr]) -> tuple[Ref, ...]:
        out: list[Ref] = []
        for node in nodes:
            ref = self.ref(node)
            if ref is None:
                self.note(node, f"cannot resolve column reference {ast.unparse(node)}")
            else:
                out.append(ref)
        return tuple(out)

    def _starred(self, call: ast.Call) -> bool:
        bad = [a for a in call.args if isinstance(a, ast.Starred)] + [k for k in call.keywords if k.arg is None]
        for node in bad:
            self.note(node, f"cannot read {ast.unparse(node)} in {callee(call)}(...) statically")
        return bool(bad)

    # --- calls --------------------------------------------------------------------
    def foreign_key(self, call: ast.Call) -> FkSpec | None:
        if not call.args:
            self.note(call, "ForeignKey() without a target")
            return None
        target: str | Ref | None = self.strings(call.args[0])
        if target is None:
            target = self.ref(call.args[0])
        if target is None:
            self.note(call.args[0], f"cannot resolve ForeignKey target {ast.unparse(call.args[0])}")
            return None
        name, conv = self.name(keyword(call, "name"))
        return FkSpec(
            (target,), (), call, name, conv, self.action(call, "ondelete"), self.action(call, "onupdate"),
            bool(self.flag(call, "use_alter")),
        )

    def foreign_key_constraint(self, call: ast.Call) -> FkSpec | None:
        columns = keyword(call, "columns") or (call.args[0] if call.args else None)
        refcolumns = keyword(call, "refcolumns") or (call.args[1] if len(call.args) > 1 else None)
        if not isinstance(columns, ast.List | ast.Tuple) or not isinstance(refcolumns, ast.List | ast.Tuple):
            self.note(call, "cannot read ForeignKeyConstraint columns statically")
            return None
        targets: list[str | Ref] = []
        for node in refcolumns.elts:
            target = self.strings(node) or self.ref(node)
            if target is None:
                self.note(node, f"cannot resolve ForeignKeyConstraint target {ast.unparse(node)}")
                return None
            targets.append(target)
        name, conv = self.name(keyword(call, "name"))
        return FkSpec(
            tuple(targets), self.refs(columns.elts), call, name, conv,
            self.action(call, "ondelete"), self.action(call, "onupdate"), bool(self.flag(call, "use_alter")),
        )

    def constraint(self, call: ast.Call) -> ConstraintSpec:
        kind = {"UniqueConstraint": "unique", "PrimaryKeyConstraint": "primary"}.get(callee(call) or "", "check")
        columns = () if kind == "check" else self.refs([a for a in call.args if not isinstance(a, ast.Starred)])
        self._starred(call)
        name, conv = self.name(keyword(call, "name"))
        return ConstraintSpec(kind, columns, call, name, conv)

    def index(self, call: ast.Call) -> IndexSpec:
        self._starred(call)
        args = [a for a in call.args if not isinstance(a, ast.Starred)]
        name, conv = self.name(args[0]) if args else (None, False)
        elements = tuple(e for e in (self.element(a) for a in args[1:]) if e is not None)
        spec = IndexSpec(elements, call, name, conv, bool(self.flag(call, "unique")))
        if (using := keyword(call, "postgresql_using")) is not None:
            spec.method = (self.strings(using) or "btree").lower()
        if isinstance(include := keyword(call, "postgresql_include"), ast.List | ast.Tuple):
            spec.include = self.refs(include.elts)
        spec.where = keyword(call, "postgresql_where")
        if isinstance(ops := keyword(call, "postgresql_ops"), ast.Dict):
            for k, v in zip(ops.keys, ops.values, strict=True):
                if k is not None and (ks := self.strings(k)) and (vs := self.strings(v)):
                    spec.ops[ks] = vs
        spec.concurrently = bool(self.flag(call, "postgresql_concurrently"))
        return spec

    def element(self, node: ast.expr) -> ElementSpec | None:
        descending = False
        if isinstance(node, ast.Call) and callee(node) in ("desc", "asc"):
            descending = callee(node) == "desc"
            if isinstance(node.func, ast.Attribute) and not node.args:  # User.email.desc()
                node = node.func.value
            elif node.args:  # desc(User.email)
                node = node.args[0]
        ref = None if isinstance(node, ast.Call) else self.ref(node)
        if ref is not None:
            return ElementSpec(ref, None, descending)
        return ElementSpec(None, node, descending)

    def column(self, call: ast.Call) -> ColumnSpec:
        spec = ColumnSpec(call, mapped=callee(call) == "mapped_column")
        self._starred(call)
        for arg in call.args:
            if isinstance(arg, ast.Starred):
                continue
            if spec.name is None and spec.type_node is None and (text := self.strings(arg)) is not None:
                spec.name = text
            elif isinstance(arg, ast.Call) and callee(arg) == "ForeignKey":
                if (fk := self.foreign_key(arg)) is not None:
                    spec.foreign_keys.append(fk)
            elif isinstance(arg, ast.Call) and callee(arg) == "CheckConstraint":
                spec.checks.append(self.constraint(arg))
            elif isinstance(arg, ast.Call) and callee(arg) in _IGNORED_COLUMN_ARGS:
                continue
            elif spec.type_node is None:
                spec.type_node = arg
        if (name := keyword(call, "name")) is not None:
            spec.name = self.strings(name)
        if (key := keyword(call, "key")) is not None:
            spec.key = self.strings(key)
        if (type_ := keyword(call, "type_")) is not None:
            spec.type_node = type_
        if spec.type_node is not None:
            spec.type_name = read_type(spec.type_node, self.impl_of)
        spec.primary_key = bool(self.flag(call, "primary_key"))
        spec.nullable = self.flag(call, "nullable")
        spec.unique = bool(self.flag(call, "unique"))
        spec.index = bool(self.flag(call, "index"))
        if isinstance(order := keyword(call, "sort_order"), ast.Constant) and isinstance(order.value, int):
            spec.sort_order = order.value
        return spec

    def table_item(self, node: ast.expr) -> TableItem | None:
        """One positional argument of Table()/op.create_table() or one __table_args__ entry."""
        if not isinstance(node, ast.Call):
            return None
        kind = callee(node)
        if kind in COLUMN_CALLS:
            return self.column(node)
        if kind == "Index":
            return self.index(node)
        if kind in CONSTRAINT_CALLS:
            return self.constraint(node)
        if kind == "ForeignKeyConstraint":
            return self.foreign_key_constraint(node)
        return None


def _column_collection_ref(node: ast.expr, key: str) -> Ref | None:
    """`X.c` / `X.columns` / `X.__table__.c` -> Ref(key, owner X); None for anything else."""
    if not (isinstance(node, ast.Attribute) and node.attr in ("c", "columns")):
        return None
    owner = node.value
    if isinstance(owner, ast.Attribute) and owner.attr == "__table__":
        owner = owner.value
    name = last_name(owner)
    return Ref(key, name) if name is not None else None


# --- expressions -> SQL ------------------------------------------------------------
_SQL_OPS = {ast.Eq: "=", ast.NotEq: "<>", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)


@dataclass(slots=True)
class SqlRenderer:
    """Renders SQLAlchemy expression nodes as SQL text; unknown shapes fall back to Python source."""

    reader: CallReader
    name_of: ColumnNamer

    def column(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Call | ast.Constant):
            return None
        ref = self.reader.ref(node)
        return self.name_of(ref) if ref is not None else None

    def render(self, node: ast.expr) -> str:
        if (col := self.column(node)) is not None:
            return col
        if isinstance(node, ast.Constant):
            return _literal(node.value)
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            return self._compare(node.left, node.ops[0], node.comparators[0])
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd | ast.BitOr):
            joiner = " AND " if isinstance(node.op, ast.BitAnd) else " OR "
            return self.render(node.left) + joiner + self.render(node.right)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
            return f"NOT ({self.render(node.operand)})"
        return ast.unparse(node)

    def _compare(self, left: ast.expr, op: ast.cmpop, right: ast.expr) -> str:
        if isinstance(right, ast.Constant) and right.value is None and isinstance(op, ast.Eq | ast.NotEq):
            return f"{self.render(left)} IS {'NOT ' if isinstance(op, ast.NotEq) else ''}NULL"
        sql_op = _SQL_OPS.get(type(op))
        if sql_op is None:
            return ast.unparse(ast.Compare(left, [op], [right]))
        return f"{self.render(left)} {sql_op} {self.render(right)}"

    def _call(self, node: ast.Call) -> str:
        name = callee(node) or ""
        args = [a for a in node.args if not isinstance(a, ast.Starred)]
        if name in ("text", "literal_column") and args and (text := self.reader.strings(args[0])) is not None:
            return text
        if name in ("and_", "or_") and args:
            return (" AND " if name == "and_" else " OR ").join(self.render(a) for a in args)
        if name == "not_" and args:
            return f"NOT ({self.render(args[0])})"
        if isinstance(node.func, ast.Attribute):
            subject = node.func.value
            if name in ("is_", "is_not", "isnot") and args:
                negate = "NOT " if name != "is_" else ""
                return f"{self.render(subject)} IS {negate}{self.render(args[0])}"
            if last_name(subject) == "func":  # func.lower(x)
                return f"{name}({', '.join(self.render(a) for a in args)})"
        return ast.unparse(node)

    def predicate(self, node: ast.expr) -> Predicate:
        return predicate_from_text(self.render(node))
