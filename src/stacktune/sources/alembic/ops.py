"""An `upgrade()` body -> schema events, as Alembic runs its op.* calls on PostgreSQL.

Read with `ast`, never imported. Statements run in order; `with op.batch_alter_table(t)`
blocks apply their calls to `t` (on PostgreSQL a batch alters in place); `for` loops
over literal lists are unrolled; module-level helper functions called with
literal arguments are followed; `if` bodies are read as conditional (except a
dialect test, which is decided for PostgreSQL). What cannot be known statically
is a Diagnostic at its line, and the reading goes on.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from stacktune.model.diagnostics import Diagnostic
from stacktune.model.events import (
    AddColumn,
    AddConstraint,
    AlterColumnType,
    ConstraintDef,
    CreateTable,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropTable,
    RelName,
    RenameColumn,
    RenameRelation,
    SchemaEvent,
    SetColumnNotNull,
)
from stacktune.model.location import Location
from stacktune.sources.alembic.tables import Namer, PartsBuilder
from stacktune.sources.models.pysource import PySource
from stacktune.sources.models.sa_calls import CallReader, ColumnSpec, ConstraintSpec, FkSpec, IndexSpec, callee
from stacktune.sources.models.sa_types import dotted_name, read_type
from stacktune.sources.models.strings import StringEvaluator
from stacktune.sources.sql.statements import sql_to_events

# op.* calls with no effect on tables, keys or indexes.
_NO_SCHEMA_EFFECT = frozenset({
    "bulk_insert", "create_table_comment", "drop_table_comment", "get_bind", "get_context", "inline_literal",
    "f", "run_async", "implementation_for", "register_operation",
})
# Where a batch method's implicit table goes in the plain op.* call: (position, schema keyword).
_BATCH_TABLE: dict[str, tuple[int, str]] = {
    "add_column": (0, "schema"), "drop_column": (0, "schema"), "alter_column": (0, "schema"),
    "create_index": (1, "schema"), "drop_index": (1, "schema"), "create_foreign_key": (1, "source_schema"),
    "create_unique_constraint": (1, "schema"), "create_primary_key": (1, "schema"),
    "create_check_constraint": (1, "schema"), "drop_constraint": (1, "schema"),
}
_DROP_TYPES = {"foreignkey": "fk", "unique": "uq", "primary": "pk", "check": "ck"}
_SQL_WRAPPERS = frozenset({"text", "DDL", "dedent", "literal_column"})
_MAX_DEPTH = 4  # nested helper-function calls followed
# Backend names a database URL starts with (SQLAlchemy dialect names, and the "postgres" spelling).
_BACKENDS = frozenset({"postgresql", "postgres", "mysql", "mariadb", "sqlite", "mssql", "oracle"})


@dataclass(slots=True)
class OpCall:
    """An op.* call's arguments, with a batch's implicit table filled in."""

    node: ast.Call
    method: str
    args: list[ast.expr]
    kw: dict[str, ast.expr]

    def arg(self, position: int, name: str) -> ast.expr | None:
        if name in self.kw:
            return self.kw[name]
        return self.args[position] if position < len(self.args) else None


@dataclass(slots=True)
class ModuleScope:
    """What a revision module defines that upgrade() may use: names, helper functions, op aliases."""

    values: dict[str, ast.expr] = field(default_factory=dict)
    functions: dict[str, ast.FunctionDef] = field(default_factory=dict)
    op_names: set[str] = field(default_factory=lambda: {"op"})

    @classmethod
    def of(cls, tree: ast.Module) -> ModuleScope:
        scope = cls()
        for stmt in tree.body:
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        scope.values[target.id] = stmt.value
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
                scope.values[stmt.target.id] = stmt.value
            elif isinstance(stmt, ast.FunctionDef) and stmt.name not in ("upgrade", "downgrade"):
                scope.functions[stmt.name] = stmt
            elif isinstance(stmt, ast.ImportFrom) and stmt.module == "alembic":
                scope.op_names.update(a.asname or a.name for a in stmt.names if a.name == "op")
        return scope


@dataclass(slots=True)
class UpgradeReader:
    src: PySource
    namer: Namer
    module: ModuleScope
    events: list[SchemaEvent] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    conditional: bool = False
    values: dict[str, ast.expr] = field(default_factory=dict)
    reader: CallReader = field(init=False)
    _batches: dict[str, RelName] = field(default_factory=dict)  # `with op.batch_alter_table(...) as name`
    _binds: set[str] = field(default_factory=set)
    _depth: int = 0

    def __post_init__(self) -> None:
        self.values.update(self.module.values)
        self.reader = CallReader(self.src, strings=StringEvaluator(self.values))

    # --- entry ------------------------------------------------------------------------
    def read(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[SchemaEvent]:
        self.block(function.body)
        self.diagnostics.extend(self.reader.diagnostics + self.namer.diagnostics)
        self.reader.diagnostics.clear()
        self.namer.diagnostics.clear()
        return self.events

    def note(self, node: ast.AST, message: str) -> None:
        self.diagnostics.append(self.src.diagnostic(node, message))

    def at(self, node: ast.AST) -> Location:
        return self.src.location(node)

    def placed(self, node: ast.AST) -> dict[str, object]:
        return {"location": self.at(node), "conditional": self.conditional}

    @contextmanager
    def _conditional(self) -> Iterator[None]:
        saved, self.conditional = self.conditional, True
        try:
            yield
        finally:
            self.conditional = saved

    # --- statements -------------------------------------------------------------------
    def block(self, stmts: list[ast.stmt]) -> None:
        for stmt in stmts:
            self.statement(stmt)

    def statement(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.Expr):
            value = stmt.value.value if isinstance(stmt.value, ast.Await) else stmt.value
            if isinstance(value, ast.Call):
                self.call(value, statement=True)
        elif isinstance(stmt, ast.Assign | ast.AnnAssign):
            self.assign(stmt)
        elif isinstance(stmt, ast.With | ast.AsyncWith):
            self.with_block(stmt)
        elif isinstance(stmt, ast.If):
            self.if_block(stmt)
        elif isinstance(stmt, ast.For):
            self.for_loop(stmt)
        elif isinstance(stmt, ast.Try):
            self.block(stmt.body)
            with self._conditional():
                for handler in stmt.handlers:
                    self.block(handler.body)
            self.block(stmt.orelse)
            self.block(stmt.finalbody)
        elif isinstance(stmt, ast.While | ast.AsyncFor):
            self.note(stmt, "a loop whose iterations are not known statically; its body is not read")

    def assign(self, stmt: ast.Assign | ast.AnnAssign) -> None:
        value = stmt.value
        if value is None:
            return
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        if isinstance(value, ast.Call) and self._is_bind(value):
            self._binds.update(names)
            return
        for name in names:
            self.values[name] = value
        if isinstance(value, ast.Call):
            self.call(value, statement=False)

    def with_block(self, stmt: ast.With | ast.AsyncWith) -> None:
        bound: list[str] = []
        for item in stmt.items:
            call = item.context_expr
            if isinstance(call, ast.Call) and callee(call) == "batch_alter_table" and self._is_op(call.func):
                batch = self.batch_table(call)
                if batch is not None and isinstance(item.optional_vars, ast.Name):
                    self._batches[item.optional_vars.id] = batch
                    bound.append(item.optional_vars.id)
        self.block(stmt.body)
        for name in bound:
            self._batches.pop(name, None)

    def batch_table(self, call: ast.Call) -> RelName | None:
        op = self.op_call(call, "batch_alter_table")
        recreate = op.arg(2, "recreate")
        if isinstance(recreate, ast.Constant) and recreate.value == "always":
            self.note(call, "batch recreate='always' copies the table: constraint names may differ from what is read")
        return self.rel(op.arg(0, "table_name"), op.arg(1, "schema"), call)

    def if_block(self, stmt: ast.If) -> None:
        decided = _dialect_test(stmt.test, self.reader.strings, self.resolve)
        if decided is not None:
            self.block(stmt.body if decided else stmt.orelse)
            return
        self.note(stmt, f"`if {ast.unparse(stmt.test)}` is decided at run time; both branches read as conditional")
        with self._conditional():
            self.block(stmt.body)
            self.block(stmt.orelse)

    def for_loop(self, stmt: ast.For) -> None:
        items = self.resolve(stmt.iter)
        if not isinstance(items, ast.List | ast.Tuple) or any(isinstance(e, ast.Starred) for e in items.elts):
            self.note(stmt, f"cannot tell what `for ... in {ast.unparse(stmt.iter)}` iterates over; its body is not read")
            return
        saved = dict(self.values)
        for item in items.elts:
            if not self._bind_target(stmt.target, self.resolve(item)):
                self.note(stmt, "cannot unpack the loop's items statically; its body is not read")
                break
            self.block(stmt.body)
        self.values.clear()
        self.values.update(saved)

    def _bind_target(self, target: ast.expr, value: ast.expr) -> bool:
        if isinstance(target, ast.Name):
            self.values[target.id] = value
            return True
        if isinstance(target, ast.Tuple | ast.List) and isinstance(value, ast.Tuple | ast.List):
            if len(target.elts) != len(value.elts):
                return False
            return all(self._bind_target(t, self.resolve(v)) for t, v in zip(target.elts, value.elts, strict=True))
        return False

    def resolve(self, node: ast.expr) -> ast.expr:
        for _ in range(10):
            if isinstance(node, ast.Name) and node.id in self.values:
                node = self.values[node.id]
            else:
                break
        return node

    # --- calls ------------------------------------------------------------------------
    def _is_op(self, node: ast.expr) -> bool:
        target = node.value if isinstance(node, ast.Attribute) else None
        if target is None:
            return False
        name = dotted_name(target)
        return name in self.module.op_names or name == "alembic.op"

    def _is_bind(self, call: ast.Call) -> bool:
        return callee(call) == "get_bind" and self._is_op(call.func)

    def call(self, call: ast.Call, statement: bool) -> None:
        func = call.func
        if isinstance(func, ast.Name):
            if statement:
                self.helper(call, func.id)
            return
        if not isinstance(func, ast.Attribute):
            return
        receiver = func.value
        if self._is_op(func):
            self.dispatch(self.op_call(call, func.attr))
        elif isinstance(receiver, ast.Name) and receiver.id in self._batches:
            self.batch_call(call, func.attr, self._batches[receiver.id])
        elif func.attr in ("execute", "exec_driver_sql") and (
            (isinstance(receiver, ast.Name) and receiver.id in self._binds)
            or (isinstance(receiver, ast.Call) and self._is_bind(receiver))
        ):
            self.dispatch(self.op_call(call, "execute"))

    def helper(self, call: ast.Call, name: str) -> None:
        function = self.module.functions.get(name)
        if function is None:
            if not hasattr(builtins, name):
                self.note(call, f"calls {name}(), which is not defined in this file: its schema changes are not read")
            return
        if self._depth >= _MAX_DEPTH:
            self.note(call, f"{name}() calls nest too deep to follow")
            return
        saved = dict(self.values)
        if not self._bind_arguments(function, call):
            self.note(call, f"cannot bind the arguments of {name}() statically; its body is not read")
            return
        self._depth += 1
        try:
            self.block(function.body)
        finally:
            self._depth -= 1
            self.values.clear()
            self.values.update(saved)

    def _bind_arguments(self, function: ast.FunctionDef, call: ast.Call) -> bool:
        params = function.args.posonlyargs + function.args.args
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            return False
        if len(call.args) > len(params):
            return False
        defaults = dict(zip([p.arg for p in params][len(params) - len(function.args.defaults):],
                            function.args.defaults, strict=True))
        defaults.update({p.arg: d for p, d in zip(function.args.kwonlyargs, function.args.kw_defaults, strict=True) if d})
        given = {p.arg: self.resolve(a) for p, a in zip(params, call.args, strict=False)}
        given.update({k.arg: self.resolve(k.value) for k in call.keywords if k.arg})
        for param in [*params, *function.args.kwonlyargs]:
            value = given.get(param.arg, defaults.get(param.arg))
            if value is None:
                return False
            self.values[param.arg] = value
        return True

    def op_call(self, call: ast.Call, method: str) -> OpCall:
        bad = [a for a in call.args if isinstance(a, ast.Starred)] + [k for k in call.keywords if k.arg is None]
        for node in bad:
            self.note(node, f"cannot read {ast.unparse(node)} in op.{method}(...) statically")
        args = [a for a in call.args if not isinstance(a, ast.Starred)]
        return OpCall(call, method, args, {k.arg: k.value for k in call.keywords if k.arg})

    def batch_call(self, call: ast.Call, method: str, table: RelName) -> None:
        op = self.op_call(call, method)
        slot = _BATCH_TABLE.get(method)
        if slot is not None:
            position, schema_kw = slot
            op.args.insert(position, ast.copy_location(ast.Constant(table.name), call))
            if table.schema is not None:
                op.kw[schema_kw] = ast.copy_location(ast.Constant(table.schema), call)
        self.dispatch(op)

    def dispatch(self, op: OpCall) -> None:
        handler: Callable[[OpCall], None] | None = getattr(self, f"op_{op.method}", None)
        if handler is not None:
            handler(op)
        elif op.method not in _NO_SCHEMA_EFFECT:
            self.note(op.node, f"op.{op.method}(...) is not read: its schema changes, if any, are missing")

    # --- values -------------------------------------------------------------------------
    def text(self, node: ast.expr | None, what: str, at: ast.AST) -> str | None:
        if node is None:
            self.note(at, f"{what} is missing")
            return None
        value = self.reader.strings(node)
        if value is None:
            self.note(node, f"cannot read {what} ({ast.unparse(node)}) statically; this operation is skipped")
        return value

    def rel(self, name: ast.expr | None, schema: ast.expr | None, at: ast.AST) -> RelName | None:
        table = self.text(name, "the table name", at)
        if table is None:
            return None
        schema_name = None
        if schema is not None and not (isinstance(schema, ast.Constant) and schema.value is None):
            schema_name = self.text(schema, "the schema", at)
            if schema_name is None:
                return None
        return RelName(schema_name, table)

    def names(self, node: ast.expr | None, what: str, at: ast.AST) -> tuple[str, ...] | None:
        node = self.resolve(node) if node is not None else None
        if not isinstance(node, ast.List | ast.Tuple):
            self.note(at, f"cannot read {what} statically; this operation is skipped")
            return None
        out = [self.reader.strings(self.resolve(e)) for e in node.elts]
        if any(v is None for v in out):
            self.note(node, f"cannot read {what} statically; this operation is skipped")
            return None
        return tuple(v for v in out if v is not None)

    def flag(self, op: OpCall, name: str) -> bool | None:
        """A keyword-only True/False/None argument; unreadable ones are reported and read as not set."""
        node = op.kw.get(name)
        if node is None:
            return None
        node = self.resolve(node)
        if isinstance(node, ast.Constant) and isinstance(node.value, bool | None):
            return node.value
        self.note(node, f"cannot read {name}= statically; assumed not set")
        return None

    def builder(self, table: RelName) -> PartsBuilder:
        return PartsBuilder(self.reader, self.namer, table, self.conditional)

    # --- op.* ---------------------------------------------------------------------------
    def op_create_table(self, op: OpCall) -> None:
        table = self.rel(op.arg(0, "table_name"), op.kw.get("schema"), op.node)
        if table is None:
            return
        build = self.builder(table)
        columns, explicit, column_level, checks, indexes = [], [], [], [], []
        pk_spec: ConstraintSpec | None = None
        specs = []
        for item in op.args[1:]:
            spec = self.reader.table_item(self.resolve(item))
            if spec is None:
                self.note(item, f"cannot read {ast.unparse(item)} in op.create_table(); skipped")
            specs.append(spec)
        pk_columns = [s.name for s in specs if isinstance(s, ColumnSpec) and s.primary_key and s.name]
        for spec in specs:
            if isinstance(spec, ColumnSpec):
                column = build.column_def(spec)
                if column is None:
                    continue
                columns.append(column)
                checks += build.column_checks(spec)
                column_level += [c for c in (build.column_unique(spec),) if c is not None]
                column_level += [build.foreign_key(fk, (column.name,)) for fk in spec.foreign_keys]
                indexes += [ix for ix in (build.column_index(spec),) if ix is not None]
            elif isinstance(spec, IndexSpec):
                indexes.append(build.index(spec))
            elif isinstance(spec, ConstraintSpec) and spec.kind == "primary":
                pk_spec = spec
            elif isinstance(spec, ConstraintSpec):
                explicit.append(build.constraint(spec))
            elif isinstance(spec, FkSpec):
                explicit.append(build.foreign_key(spec))
        constraints: list[ConstraintDef] = []
        if pk_spec is not None:
            pk_columns = [r.attr for r in pk_spec.columns]
            columns = [replace(c, not_null=True) if c.name in pk_columns else c for c in columns]
        if pk_columns:
            at = self.at(pk_spec.node) if pk_spec else self.at(op.node)
            constraints.append(build.primary_key(tuple(pk_columns), pk_spec, at))
        constraints += checks + explicit + column_level
        self.events.append(CreateTable(
            **self.placed(op.node), table=table, columns=tuple(columns), constraints=tuple(constraints),
            if_not_exists=bool(self.flag(op, "if_not_exists")),
        ))
        self.events.extend(indexes)

    def op_drop_table(self, op: OpCall) -> None:
        table = self.rel(op.arg(0, "table_name"), op.kw.get("schema"), op.node)
        if table is not None:
            self.events.append(DropTable(**self.placed(op.node), tables=(table,), if_exists=bool(self.flag(op, "if_exists"))))

    def op_rename_table(self, op: OpCall) -> None:
        table = self.rel(op.arg(0, "old_table_name"), op.kw.get("schema"), op.node)
        new = self.text(op.arg(1, "new_table_name"), "the new table name", op.node)
        if table is not None and new is not None:
            self.events.append(RenameRelation(**self.placed(op.node), relation=table, new_name=new))

    def op_add_column(self, op: OpCall) -> None:
        table = self.rel(op.arg(0, "table_name"), op.kw.get("schema"), op.node)
        node = self.resolve(op.arg(1, "column")) if op.arg(1, "column") is not None else None
        if table is None or not (isinstance(node, ast.Call) and callee(node) in ("Column", "mapped_column")):
            if table is not None:
                self.note(op.node, "cannot read the column of op.add_column() statically; skipped")
            return
        build = self.builder(table)
        spec = self.reader.column(node)
        column = build.column_def(spec)
        if column is None:
            return
        fks = [build.foreign_key(fk, (column.name,)) for fk in spec.foreign_keys]
        inline: list[ConstraintDef] = []
        if bool(self.flag(op, "inline_references")) and len(fks) == 1:
            inline, fks = fks, []
        if bool(self.flag(op, "inline_primary_key")) and spec.primary_key:
            inline.insert(0, build.primary_key((column.name,), None, column.location or self.at(node)))
        self.events.append(AddColumn(**self.placed(op.node), table=table, column=column, constraints=tuple(inline),
                                     if_not_exists=bool(self.flag(op, "if_not_exists"))))
        later = [c for c in (build.column_unique(spec),) if c is not None] + build.column_checks(spec) + fks
        self.events.extend(AddConstraint(**self.placed(op.node), table=table, constraint=c) for c in later)
        self.events.extend(ix for ix in (build.column_index(spec),) if ix is not None)

    def op_drop_column(self, op: OpCall) -> None:
        table = self.rel(op.arg(0, "table_name"), op.kw.get("schema"), op.node)
        column = self.text(op.arg(1, "column_name"), "the column name", op.node)
        if table is not None and column is not None:
            self.events.append(DropColumn(**self.placed(op.node), table=table, column=column,
                                          if_exists=bool(self.flag(op, "if_exists"))))

    def op_alter_column(self, op: OpCall) -> None:
        """PostgreSQL's alter_column: NOT NULL, then the type, then the rename (alembic ddl/impl.py)."""
        table = self.rel(op.arg(0, "table_name"), op.kw.get("schema"), op.node)
        column = self.text(op.arg(1, "column_name"), "the column name", op.node)
        if table is None or column is None:
            return
        placed = self.placed(op.node)
        nullable = self.flag(op, "nullable")
        if nullable is not None:
            self.events.append(SetColumnNotNull(**placed, table=table, column=column, not_null=not nullable))
        if (type_node := op.kw.get("type_")) is not None and (type_name := read_type(type_node)) is not None:
            self.events.append(AlterColumnType(**placed, table=table, column=column, type_name=type_name))
        if (new := op.kw.get("new_column_name")) is not None:
            new_name = self.text(new, "new_column_name", op.node)
            if new_name is not None:
                self.events.append(RenameColumn(**placed, table=table, column=column, new_name=new_name))

    def op_create_index(self, op: OpCall) -> None:
        table = self.rel(op.arg(1, "table_name"), op.kw.get("schema"), op.node)
        columns = op.arg(2, "columns")
        columns = self.resolve(columns) if columns is not None else None
        if table is None:
            return
        if not isinstance(columns, ast.List | ast.Tuple):
            self.note(op.node, "cannot read the columns of op.create_index() statically; skipped")
            return
        name = op.arg(0, "index_name") or ast.Constant(None)
        keywords = [ast.keyword(k, v) for k, v in op.kw.items()
                    if k not in ("schema", "if_not_exists", "table_name", "index_name", "columns")]
        synthetic = ast.copy_location(ast.Call(ast.Name("Index"), [name, *columns.elts], keywords), op.node)
        spec = self.reader.index(synthetic)
        self.events.append(self.builder(table).index(spec, if_not_exists=bool(self.flag(op, "if_not_exists"))))

    def op_drop_index(self, op: OpCall) -> None:
        name, final = self.reader.name(op.arg(0, "index_name"))
        table = self.rel(op.arg(1, "table_name"), None, op.node) if op.arg(1, "table_name") is not None else None
        if name is None:
            self.note(op.node, "op.drop_index() without a readable name; skipped")
            return
        schema = self.text(op.kw["schema"], "the schema", op.node) if "schema" in op.kw else None
        name = self.namer.name("ix", table or RelName(schema, ""), (), name, final, self.at(op.node)) or name
        self.events.append(DropIndex(**self.placed(op.node), indexes=(RelName(schema, name),),
                                     if_exists=bool(self.flag(op, "if_exists"))))

    def op_create_foreign_key(self, op: OpCall) -> None:
        source = self.rel(op.arg(1, "source_table"), op.kw.get("source_schema"), op.node)
        referent = self.rel(op.arg(2, "referent_table"), op.kw.get("referent_schema"), op.node)
        local = self.names(op.arg(3, "local_cols"), "local_cols", op.node)
        remote = self.names(op.arg(4, "remote_cols"), "remote_cols", op.node)
        if source is None or referent is None or local is None or remote is None:
            return
        name, final = self.reader.name(op.arg(0, "constraint_name"))
        at = self.at(op.node)
        name = self.namer.name("fk", source, local, name, final, at, (referent.name, remote))
        not_valid = bool(self.flag(op, "postgresql_not_valid"))
        constraint = PartsBuilder.fk_def(local, name, referent, remote, self.reader.action(op.node, "ondelete"),
                                         self.reader.action(op.node, "onupdate"), at, not_valid)
        self.events.append(AddConstraint(**self.placed(op.node), table=source, constraint=constraint))

    def _simple_constraint(self, op: OpCall, kind: str, prefix: str) -> None:
        table = self.rel(op.arg(1, "table_name"), op.kw.get("schema"), op.node)
        columns = self.names(op.arg(2, "columns"), "the columns", op.node) if kind != "check" else ()
        if table is None or columns is None:
            return
        name, final = self.reader.name(op.arg(0, "constraint_name"))
        at = self.at(op.node)
        constraint = ConstraintDef(kind, columns, self.namer.name(prefix, table, columns, name, final, at), location=at)  # type: ignore[arg-type]
        self.events.append(AddConstraint(**self.placed(op.node), table=table, constraint=constraint))

    def op_create_unique_constraint(self, op: OpCall) -> None:
        self._simple_constraint(op, "unique", "uq")

    def op_create_primary_key(self, op: OpCall) -> None:
        self._simple_constraint(op, "primary", "pk")

    def op_create_check_constraint(self, op: OpCall) -> None:
        self._simple_constraint(op, "check", "ck")

    def op_drop_constraint(self, op: OpCall) -> None:
        table = self.rel(op.arg(1, "table_name"), op.kw.get("schema"), op.node)
        name, final = self.reader.name(op.arg(0, "constraint_name"))
        if table is None or name is None:
            if table is not None:
                self.note(op.node, "op.drop_constraint() without a readable name; skipped")
            return
        kind = self.reader.strings(op.arg(2, "type_")) if op.arg(2, "type_") is not None else None
        prefix = _DROP_TYPES.get(kind or "")
        if prefix is not None:
            name = self.namer.name(prefix, table, (), name, final, self.at(op.node)) or name
        self.events.append(DropConstraint(**self.placed(op.node), table=table, name=name,
                                          if_exists=bool(self.flag(op, "if_exists"))))

    def op_execute(self, op: OpCall) -> None:
        node = op.arg(0, "sqltext")
        if node is None:
            return
        sql = self.sql_text(self.resolve(node))
        if sql is None:
            if isinstance(node, ast.JoinedStr | ast.BinOp | ast.Name | ast.Constant):
                self.note(node, "cannot read this SQL text statically; its schema changes are not read")
            return  # a DML construct (table.insert(), sa.update(...)): no schema change
        at = self.at(op.node)
        events, problems = sql_to_events(sql, self.src.path, locate=lambda _offset: at, conditional=self.conditional)
        self.events.extend(events)
        self.diagnostics.extend(problems)

    def sql_text(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Call) and callee(node) in _SQL_WRAPPERS and node.args:
            return self.sql_text(self.resolve(node.args[0]))
        return self.reader.strings(node)


def _dialect_test(
    test: ast.expr, strings: Callable[[ast.expr], str | None], resolve: Callable[[ast.expr], ast.expr]
) -> bool | None:
    """A test of the backend decided for PostgreSQL; None when it is not one.

    `<...>.dialect.name` or `bind.engine.name` compared (==, !=, in, not in) with names, also through a
    variable that holds it, `not` of such a test, and `<url>.startswith("mysql")` with a backend name.
    """
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _dialect_test(test.operand, strings, resolve)
        return None if inner is None else not inner
    if isinstance(test, ast.Name):
        resolved = resolve(test)
        return None if isinstance(resolved, ast.Name) else _dialect_test(resolved, strings, resolve)
    if isinstance(test, ast.Call):
        return _url_prefix_test(test, strings)
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    left = resolve(test.left)
    if not (isinstance(left, ast.Attribute) and left.attr == "name" and isinstance(left.value, ast.Attribute)
            and left.value.attr in ("dialect", "engine")):
        return None
    right, op = test.comparators[0], test.ops[0]
    if isinstance(op, ast.Eq | ast.NotEq) and (value := strings(right)) is not None:
        return (value == "postgresql") == isinstance(op, ast.Eq)
    if isinstance(op, ast.In | ast.NotIn) and isinstance(right, ast.List | ast.Tuple | ast.Set):
        values = [strings(e) for e in right.elts]
        if any(v is None for v in values):
            return None
        return ("postgresql" in values) == isinstance(op, ast.In)
    return None


def _url_prefix_test(test: ast.Call, strings: Callable[[ast.expr], str | None]) -> bool | None:
    """`str(bind.engine.url).startswith("postgres")`: a database URL starts with its backend's name."""
    if not (isinstance(test.func, ast.Attribute) and test.func.attr == "startswith" and len(test.args) == 1):
        return None
    prefix = strings(test.args[0])
    return "postgresql".startswith(prefix) if prefix in _BACKENDS else None
