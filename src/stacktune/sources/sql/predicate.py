"""Index predicates: which columns a WHERE clause only requires to be NOT NULL.

An FK lookup `col = $1` implies `col IS NOT NULL`, so a partial index whose
predicate is nothing but such tests still serves it; any other predicate does
not. The SQL source, the models and Alembic readers and the live catalog all
read predicates here.
"""

from __future__ import annotations

import json

from pglast.parser import ParseError, parse_sql_json

from stacktune.model.events import Predicate
from stacktune.sources.sql.nodes import Json, unwrap


def not_null_columns(where: Json) -> tuple[str, ...] | None:
    """The columns of a WHERE (pglast JSON) made only of AND-ed `col IS NOT NULL` tests, in order."""
    kind, fields = unwrap(where)
    if kind == "BoolExpr" and fields["boolop"] == "AND_EXPR":
        columns: list[str] = []
        for arg in fields["args"]:
            part = not_null_columns(arg)
            if part is None:
                return None
            columns.extend(c for c in part if c not in columns)
        return tuple(columns)
    if kind == "NullTest" and fields["nulltesttype"] == "IS_NOT_NULL":
        arg_kind, arg = unwrap(fields["arg"])
        # Only a bare column name: a qualified or row-valued test is not the FK's column.
        if arg_kind == "ColumnRef" and len(arg["fields"]) == 1 and "String" in arg["fields"][0]:
            return (arg["fields"][0]["String"]["sval"],)
    return None


def predicate_from_text(text: str) -> Predicate:
    """A Predicate for WHERE text (as written in a model, or as pg_get_expr prints it)."""
    try:
        stmts = json.loads(parse_sql_json(f"SELECT WHERE {text}"))["stmts"]
    except ParseError:
        return Predicate(text)
    where = stmts[0]["stmt"]["SelectStmt"].get("whereClause") if len(stmts) == 1 else None
    columns = not_null_columns(where) if where is not None else None
    return Predicate(text, frozenset(columns) if columns is not None else None)
