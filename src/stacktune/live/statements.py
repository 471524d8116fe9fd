"""SQL text cut into the statements a server runs one by one, each with its file:line (pglast)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pglast.parser import ParseError, parse_sql_json

from stacktune.model.diagnostics import Diagnostic
from stacktune.model.location import LineIndex, Location


@dataclass(frozen=True, slots=True)
class Statement:
    text: str
    location: Location  # of its first token, in the whole file
    node: dict[str, Any]  # pglast's JSON parse tree of the statement

    @property
    def kind(self) -> str:
        return next(iter(self.node))

    @property
    def refuses_transaction(self) -> bool:
        """True for what PostgreSQL refuses inside a transaction block (CONCURRENTLY, VACUUM)."""
        body = self.node[self.kind]
        if self.kind in ("IndexStmt", "DropStmt"):
            return bool(body.get("concurrent"))
        if self.kind == "ReindexStmt":
            return any(p.get("DefElem", {}).get("defname") == "concurrently" for p in body.get("params", []))
        return self.kind == "VacuumStmt"


def split_statements(
    data: bytes, path: str, span: tuple[int, int] | None = None
) -> tuple[list[Statement], list[Diagnostic]]:
    """The statements of `data[span]` (all of it by default); a syntax error gives a Diagnostic and none."""
    lines = LineIndex(data)
    start, end = span or (0, len(data))
    chunk = data[start:end]
    try:
        text = chunk.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [], [Diagnostic(lines.location(path, start + exc.start), f"not valid UTF-8: {exc.reason}")]
    try:
        stmts = json.loads(parse_sql_json(text))["stmts"]
    except ParseError as exc:
        message, offset = exc.args[0], exc.args[1] if len(exc.args) > 1 else 0
        where = lines.location(path, start + len(text[:offset].encode()))
        return [], [Diagnostic(where, f"syntax error: {message}")]
    result = []
    for raw in stmts:
        begin = raw.get("stmt_location", 0)
        length = raw.get("stmt_len") or len(chunk) - begin
        piece = chunk[begin : begin + length].decode("utf-8")
        # stmt_location points at the end of the previous statement: skip to the first token.
        lead = len(piece.encode()) - len(piece.lstrip().encode())
        result.append(Statement(piece.strip(), lines.location(path, start + begin + lead), raw["stmt"]))
    return result, []
