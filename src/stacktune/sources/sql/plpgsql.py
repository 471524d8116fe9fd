"""The SQL a PL/pgSQL body (DO block or function) runs, found with pglast's PL/pgSQL parser."""

from __future__ import annotations

import json
from dataclasses import dataclass

from pglast.parser import ParseError, parse_plpgsql_json, parse_sql_json

from stacktune.sources.sql.nodes import string_const

# Statements that run SQL, and the field holding their PLpgSQL_expr.
_RUNS_SQL = {
    "PLpgSQL_stmt_execsql": "sqlstmt",
    "PLpgSQL_stmt_perform": "expr",
    "PLpgSQL_stmt_dynexecute": "query",
}
_PERFORM_PREFIX = "SELECT "  # the PL/pgSQL parser rewrites `PERFORM x` as `SELECT x`


@dataclass(frozen=True, slots=True)
class EmbeddedSql:
    sql: str  # the SQL the body runs
    written: str  # how it is written in the body, to find its position
    lineno: int  # 1-based line within the body
    conditional: bool  # under IF/CASE, in a loop or in a block with an EXCEPTION handler
    literal: bool  # EXECUTE 'string': positions inside the string are not tracked


def embedded_sql(source: str) -> list[EmbeddedSql]:
    """The SQL run by the DO statement or CREATE FUNCTION in `source`; raises ParseError."""
    found: list[EmbeddedSql] = []
    for function in json.loads(parse_plpgsql_json(source)):
        _walk(function["PLpgSQL_function"].get("action"), False, found)
    return found


def _walk(node: object, conditional: bool, found: list[EmbeddedSql]) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, conditional, found)
        return
    if not isinstance(node, dict):
        return
    for kind, fields in node.items():
        if kind in _RUNS_SQL:
            _add(kind, fields, conditional, found)
        elif kind == "PLpgSQL_stmt_block":
            _walk(fields.get("body"), conditional or "exceptions" in fields, found)
            _walk(fields.get("exceptions"), True, found)
        elif kind.startswith("PLpgSQL_stmt_"):
            # IF, CASE, loops: what they hold runs only under a runtime condition.
            _walk(fields, True, found)
        elif isinstance(fields, (dict, list)):
            _walk(fields, conditional, found)


def _add(kind: str, fields: dict, conditional: bool, found: list[EmbeddedSql]) -> None:
    query = fields[_RUNS_SQL[kind]]["PLpgSQL_expr"]["query"]
    lineno = fields.get("lineno", 1)
    if kind == "PLpgSQL_stmt_dynexecute":
        value = _string_literal(query)
        if value is not None:  # a computed string cannot be known statically
            found.append(EmbeddedSql(value, query, lineno, conditional, literal=True))
        return
    written = query.removeprefix(_PERFORM_PREFIX) if kind == "PLpgSQL_stmt_perform" else query
    found.append(EmbeddedSql(query, written, lineno, conditional, literal=False))


def _string_literal(expression: str) -> str | None:
    """The value of an expression that is a plain string literal, else None."""
    try:
        stmts = json.loads(parse_sql_json(f"SELECT {expression}"))["stmts"]
    except ParseError:
        return None
    targets = stmts[0]["stmt"].get("SelectStmt", {}).get("targetList", ()) if len(stmts) == 1 else ()
    return string_const(targets[0]["ResTarget"]["val"]) if len(targets) == 1 else None
