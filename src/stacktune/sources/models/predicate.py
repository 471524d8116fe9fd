"""An index's WHERE text -> Predicate, parsed by pglast to spot the `col IS NOT NULL` form."""

from __future__ import annotations

import json

from pglast.parser import ParseError, parse_sql_json

from stacktune.model.events import Predicate


def _not_null_column(node: dict) -> str | None:
    test = node.get("NullTest")
    if test is None or test.get("nulltesttype") != "IS_NOT_NULL":
        return None
    fields = test.get("arg", {}).get("ColumnRef", {}).get("fields", [])
    names = [f["String"]["sval"] for f in fields if "String" in f]
    return names[-1] if names and len(names) == len(fields) else None


def predicate_from_sql(text: str) -> Predicate:
    """A Predicate whose not_null_columns is set only for a pure conjunction of IS NOT NULL tests."""
    try:
        tree = json.loads(parse_sql_json(f"SELECT 1 WHERE {text}"))
    except ParseError:
        return Predicate(text)
    where = tree["stmts"][0]["stmt"]["SelectStmt"].get("whereClause", {})
    bool_expr = where.get("BoolExpr")
    parts = bool_expr["args"] if bool_expr and bool_expr.get("boolop") == "AND_EXPR" else [where]
    columns = [_not_null_column(p) for p in parts]
    if not columns or any(c is None for c in columns):
        return Predicate(text)
    return Predicate(text, frozenset(c for c in columns if c is not None))
