"""SQLModel table models: the column SQLModel builds from each annotated attribute.

In a SQLModel class every annotated attribute is a column (no `Mapped[...]`), its
options are `Field(...)` keywords (`primary_key`, `foreign_key="t.c"`, `index`,
`unique`, `nullable`, `ondelete`, `sa_type`, `sa_column`), and it is nullable
exactly when its annotation admits None, as `sqlmodel.main.get_column_from_field` decides.
"""

from __future__ import annotations

import ast

from stacktune.sources.models.annotations import MappedAnnotation, read_annotation
from stacktune.sources.models.sa_calls import COLUMN_CALLS, CallReader, ColumnSpec, FkSpec, callee, keyword
from stacktune.sources.models.sa_types import last_name, read_type

_NOT_COLUMNS = frozenset({"ClassVar", "Relationship"})


def field_column(
    stmt: ast.stmt, reader: CallReader, enums: set[str]
) -> tuple[ColumnSpec, MappedAnnotation | None] | None:
    """The column of one SQLModel class attribute, with its annotation; None if it is no column."""
    if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name):
        return None
    value = stmt.value
    if last_name(_outer(stmt.annotation)) in _NOT_COLUMNS:
        return None
    if isinstance(value, ast.Call) and callee(value) in _NOT_COLUMNS:
        return None
    sa_column = keyword(value, "sa_column") if _is_field(value) else None
    if isinstance(sa_column, ast.Call) and callee(sa_column) in COLUMN_CALLS:
        return reader.column(sa_column), None  # the Column given is used as written
    # SQLModel reads the annotation as SQLAlchemy 2 reads Mapped[...] (Optional -> NULL).
    annotation = read_annotation(ast.Subscript(ast.Name("Mapped"), stmt.annotation), enums)
    if _is_field(value):
        spec = _field_spec(value, reader)  # type: ignore[arg-type]
    else:
        spec = ColumnSpec(stmt, mapped=True)
    if spec.type_name is None and (annotation is None or annotation.type_name is None):
        return None  # not a type SQLModel maps to a column (a nested model, a list...)
    return spec, annotation


def _is_field(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Call) and callee(node) == "Field"


def _outer(node: ast.expr) -> ast.expr:
    return node.value if isinstance(node, ast.Subscript) else node


def _field_spec(call: ast.Call, reader: CallReader) -> ColumnSpec:
    spec = ColumnSpec(call, mapped=True)
    spec.primary_key = bool(reader.flag(call, "primary_key"))
    spec.nullable = reader.flag(call, "nullable")
    spec.unique = bool(reader.flag(call, "unique"))
    spec.index = bool(reader.flag(call, "index"))
    if (sa_type := keyword(call, "sa_type")) is not None:
        spec.type_node = sa_type
        spec.type_name = read_type(sa_type, reader.impl_of)
    target = keyword(call, "foreign_key")
    if target is not None:
        text = reader.strings(target)
        if text is None:
            reader.note(target, f"cannot resolve foreign_key={ast.unparse(target)} statically")
        else:
            on_delete = reader.action(call, "ondelete")
            spec.foreign_keys.append(FkSpec((text,), (), call, on_delete=on_delete))
    return spec
