"""One parsed Python file: its `ast` tree and the node -> Location conversion.

`ast` reports col_offset as a UTF-8 byte offset within the line; Location wants
1-based characters, so non-ASCII lines are decoded once per lookup.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from stacktune.model.diagnostics import Diagnostic
from stacktune.model.location import Location


@dataclass(slots=True)
class PySource:
    path: str  # repository-relative POSIX path
    tree: ast.Module
    lines: list[bytes]

    def location(self, node: ast.AST) -> Location:
        line = getattr(node, "lineno", 1)
        offset = getattr(node, "col_offset", 0)
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else b""
        if text.isascii():
            return Location(self.path, line, offset + 1)
        return Location(self.path, line, len(text[:offset].decode("utf-8", errors="replace")) + 1)

    def diagnostic(self, node: ast.AST, message: str) -> Diagnostic:
        return Diagnostic(self.location(node), message)


def parse_source(path: str, data: bytes) -> PySource | Diagnostic:
    """Parse a file; a SyntaxError becomes a Diagnostic with the parser's own line and words."""
    try:
        tree = ast.parse(data, filename=path)
    except SyntaxError as exc:
        return Diagnostic(Location(path, exc.lineno or 1, exc.offset or 1), f"invalid Python: {exc.msg}")
    except ValueError as exc:  # null bytes
        return Diagnostic(Location(path, 1, 1), f"invalid Python: {exc}")
    return PySource(path, tree, data.split(b"\n"))
