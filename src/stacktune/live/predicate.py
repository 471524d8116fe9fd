"""Index predicates: which columns an index's WHERE clause only requires to be NOT NULL.

An FK lookup `col = $1` implies `col IS NOT NULL`, so a partial index whose
predicate is nothing but such tests still serves it; any other predicate does not.
"""

from __future__ import annotations

import json
from typing import Any

from pglast.parser import ParseError, parse_sql_json

from stacktune.model.events import Predicate

Node = dict[str, Any]


def predicate_from_text(text: str) -> Predicate:
    """A Predicate for a deparsed WHERE clause (as pg_get_expr prints it)."""
    return Predicate(text=text, not_null_columns=not_null_columns(_parse_where(text)))


def not_null_columns(node: Node | None) -> frozenset[str] | None:
    """The columns of an AND-only conjunction of `col IS NOT NULL` tests; None for anything else."""
    if node is None:
        return None
    columns = _collect(node)
    return frozenset(columns) if columns else None


def _collect(node: Node) -> list[str] | None:
    if "BoolExpr" in node:
        expr = node["BoolExpr"]
        if expr.get("boolop") != "AND_EXPR":
            return None
        found: list[str] = []
        for arg in expr.get("args", []):
            part = _collect(arg)
            if part is None:
                return None
            found += part
        return found
    test = node.get("NullTest")
    if test is None or test.get("nulltesttype") != "IS_NOT_NULL":
        return None
    fields = test.get("arg", {}).get("ColumnRef", {}).get("fields", [])
    # Only a bare column name: a qualified or row-valued test is not the FK's column.
    if len(fields) != 1 or "String" not in fields[0]:
        return None
    return [fields[0]["String"]["sval"]]


def _parse_where(text: str) -> Node | None:
    try:
        stmts = json.loads(parse_sql_json(f"SELECT WHERE {text}"))["stmts"]
    except ParseError:
        return None
    if len(stmts) != 1:
        return None
    return stmts[0]["stmt"]["SelectStmt"].get("whereClause")
