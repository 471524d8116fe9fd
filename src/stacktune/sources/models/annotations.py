"""`Mapped[...]` annotations: the column type and nullability SQLAlchemy 2 derives from them."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from stacktune.sources.models.sa_types import last_name, python_type


@dataclass(frozen=True, slots=True)
class MappedAnnotation:
    type_name: str | None  # None: not a type SQLAlchemy maps by default (a relationship target...)
    optional: bool


def _unwrap_optional(node: ast.expr) -> tuple[ast.expr | None, bool]:
    """Optional[X], Union[X, None], X | None -> (X, True); X -> (X, False)."""
    if isinstance(node, ast.Subscript) and last_name(node.value) == "Optional":
        return node.slice, True
    members: list[ast.expr] = []
    if isinstance(node, ast.Subscript) and last_name(node.value) == "Union":
        members = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        stack: list[ast.expr] = [node]
        while stack:
            item = stack.pop()
            if isinstance(item, ast.BinOp) and isinstance(item.op, ast.BitOr):
                stack += [item.right, item.left]
            else:
                members.append(item)
    if not members:
        return node, False
    rest = [m for m in members if not (isinstance(m, ast.Constant) and m.value is None)]
    return (rest[0] if len(rest) == 1 else None), len(rest) < len(members)


def _parse_string(node: ast.expr) -> ast.expr | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return None
    return node


def read_annotation(node: ast.expr, enums: set[str]) -> MappedAnnotation | None:
    """Mapped[int] -> (int4, NOT NULL); Mapped[Optional[int]] -> (int4, NULL); None if not Mapped[...]."""
    node = _parse_string(node)
    if not (isinstance(node, ast.Subscript) and last_name(node.value) == "Mapped"):
        return None
    inner = _parse_string(node.slice)
    if inner is None:
        return MappedAnnotation(None, False)
    inner, optional = _unwrap_optional(inner)
    if isinstance(inner, ast.Subscript) and last_name(inner.value) == "Annotated":
        inner = inner.slice.elts[0] if isinstance(inner.slice, ast.Tuple) else inner.slice
    inner = _parse_string(inner) if inner is not None else None
    type_name = python_type(inner, enums.__contains__) if inner is not None else None
    return MappedAnnotation(type_name, optional)
