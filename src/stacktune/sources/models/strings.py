"""Static evaluation of the string expressions models use for names.

Covers constants, module-level string constants, f-strings, `+`, `.lower()`/`.upper()`
and, inside a declared_attr, `cls.__name__` / `cls.__tablename__`. Anything else is
"unknown" (None) and the caller reports it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from stacktune.sources.models.sa_calls import callee


@dataclass(frozen=True, slots=True)
class StringEvaluator:
    constants: dict[str, ast.expr]
    class_name: str | None = None
    tablename: str | None = None

    def __call__(self, node: ast.expr) -> str | None:
        return self._eval(node, 0)

    def _eval(self, node: ast.expr, depth: int) -> str | None:
        if depth > 10:
            return None
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, str) else None
        if isinstance(node, ast.JoinedStr):
            parts = [self._eval(v, depth + 1) if not isinstance(v, ast.Constant) else v.value for v in node.values]
            return "".join(parts) if all(isinstance(p, str) for p in parts) else None  # type: ignore[arg-type]
        if isinstance(node, ast.FormattedValue):
            return self._eval(node.value, depth + 1) if node.format_spec is None and node.conversion == -1 else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self._eval(node.left, depth + 1), self._eval(node.right, depth + 1)
            return left + right if left is not None and right is not None else None
        if isinstance(node, ast.Call) and not node.args and callee(node) in _METHODS:
            base = self._eval(node.func.value, depth + 1) if isinstance(node.func, ast.Attribute) else None
            return _METHODS[callee(node) or ""](base) if base is not None else None
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "cls":
            return {"__name__": self.class_name, "__tablename__": self.tablename}.get(node.attr)
        if isinstance(node, ast.Name) and node.id in self.constants:
            return self._eval(self.constants[node.id], depth + 1)
        return None


_METHODS: dict[str, Callable[[str], str]] = {"lower": str.lower, "upper": str.upper}
