"""Schemas and search_path: CREATE/DROP SCHEMA, SET/RESET search_path, set_config()."""

from __future__ import annotations

import json

from pglast.parser import ParseError, parse_sql_json

from stacktune.model.events import CreateSchema, DropSchema, SchemaEvent, SetSearchPath
from stacktune.sources.sql.context import Statement
from stacktune.sources.sql.nodes import find_nodes, string_const, strings

# The server's default path is "$user", public; no migration creates a schema per
# login role, so "$user" resolves to nothing and is left out.
DEFAULT_PATH = ("public",)
_USER = "$user"


def create_schema(stmt: Statement) -> list[SchemaEvent]:
    node = stmt.node
    name = node.get("schemaname") or node["authrole"]["rolename"]
    return [CreateSchema(name=name, if_not_exists=node.get("if_not_exists", False), **stmt.placed)]


def drop_schemas(stmt: Statement) -> list[SchemaEvent]:
    node = stmt.node
    return [
        DropSchema(
            names=strings(node["objects"]),
            if_exists=node.get("missing_ok", False),
            cascade=node.get("behavior") == "DROP_CASCADE",
            **stmt.placed,
        )
    ]


def _path(values: list[str | None]) -> tuple[str, ...]:
    return tuple(v for v in values if v not in (None, "", _USER))


def set_search_path(stmt: Statement) -> list[SchemaEvent]:
    """SET [LOCAL|SESSION] search_path TO ... / = DEFAULT, RESET search_path, RESET ALL."""
    node = stmt.node
    kind = node["kind"]
    if kind == "VAR_RESET_ALL" or (node.get("name") == "search_path" and kind in ("VAR_RESET", "VAR_SET_DEFAULT")):
        return [SetSearchPath(schemas=DEFAULT_PATH, **stmt.placed)]
    if node.get("name") != "search_path" or kind != "VAR_SET_VALUE":
        return []
    values = [string_const(arg) for arg in node.get("args", ())]
    return [SetSearchPath(schemas=_path(values), **stmt.placed)]


def _config_value(text: str) -> tuple[str, ...] | None:
    """A search_path value string as PostgreSQL splits it: a comma list of identifiers.

    The value has identifier syntax, so the SQL parser reads it as the argument
    list of a SET statement (folding and unquoting exactly as the server does).
    """
    if not text.strip():
        return ()
    try:
        tree = json.loads(parse_sql_json(f"SET search_path TO {text}"))
    except ParseError:
        return None
    args = tree["stmts"][0]["stmt"]["VariableSetStmt"].get("args", ())
    return _path([string_const(arg) for arg in args])


def set_config_calls(stmt: Statement) -> list[SchemaEvent]:
    """`SELECT pg_catalog.set_config('search_path', '...', false)`, as pg_dump writes it."""
    events: list[SchemaEvent] = []
    for call in find_nodes(stmt.node.get("targetList"), "FuncCall"):
        args = call.get("args", ())
        if strings(call["funcname"])[-1] != "set_config" or len(args) < 2:
            continue
        name, value = (string_const(arg) for arg in args[:2])
        if name == "search_path" and value is not None:
            schemas = _config_value(value)
            if schemas is not None:
                events.append(SetSearchPath(schemas=schemas, **stmt.placed))
    return events
