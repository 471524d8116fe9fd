"""Helpers for truth tests: build a schema on a real PostgreSQL and ask it what it has.

Truth tests compare the static answer (sources + replay) with what the server
says, FK by FK; these helpers are the server's side of that comparison.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from pglast.parser import parse_sql_json
from psycopg import sql

from stacktune.live.catalog import read_catalog
from stacktune.model.schema import Schema
from stacktune.pg.connect import connect

_INDEX_SCANS = {"Index Scan", "Index Only Scan", "Bitmap Index Scan"}


def apply_sql(db_uri: str, sql_texts: Iterable[str], *, transactional: bool = True) -> None:
    """Run each text in one execute, each in its own transaction as a migration runner does.

    transactional=False runs each text on its own in autocommit mode, for
    statements that refuse a transaction block (CREATE INDEX CONCURRENTLY).
    """
    with connect(db_uri, read_only=False, statement_timeout_ms=None) as conn:
        for text in sql_texts:
            if transactional:
                with conn.transaction():
                    conn.execute(text)
            else:
                conn.execute(text)


def catalog_schema(db_uri: str) -> Schema:
    """The Schema the live catalog of that database describes."""
    with connect(db_uri, read_only=True, statement_timeout_ms=None) as conn:
        return read_catalog(conn)


def planner_uses_index(db_uri: str, schema: str, table: str, columns: Sequence[str]) -> str | None:
    """The index the planner searches for `col1 = $1 AND ...` (an FK check's lookup), else None.

    Asks for the generic plan, as the FK trigger's cached plan is, on tables as
    freshly built (never analyzed).
    """
    conditions = sql.SQL(" AND ").join(
        sql.SQL("x.{} = ${}").format(sql.Identifier(column), sql.SQL(str(n)))
        for n, column in enumerate(columns, start=1)
    )
    with connect(db_uri, read_only=True, statement_timeout_ms=None) as conn:
        # PostgreSQL's RI query says ONLY except for a partitioned referencing table,
        # whose rows live in its partitions (ri_triggers.c).
        relkind = conn.execute(
            "SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)",
            (sql.Identifier(schema, table).as_string(conn),),
        ).fetchone()[0]
        only = sql.SQL("" if relkind == "p" else "ONLY ")
        query = sql.SQL("EXPLAIN (GENERIC_PLAN, FORMAT JSON) SELECT 1 FROM {}{}.{} x WHERE {}").format(
            only, sql.Identifier(schema), sql.Identifier(table), conditions
        )
        plan = conn.execute(query).fetchone()[0]
        for node in _plan_nodes(plan[0]["Plan"]):
            if _looks_up(conn, schema, node):
                return node["Index Name"]
    return None


def _looks_up(conn: Any, schema: str, node: dict[str, Any]) -> bool:
    """An index search, not a read of the whole index.

    Without an Index Cond the scan reads the whole index and filters; with a
    condition only on a later key column (the FK second in a composite index)
    btree still walks every leaf page. Only a condition on the index's leading
    key column is a lookup.
    """
    if node["Node Type"] not in _INDEX_SCANS or "Index Cond" not in node:
        return False
    leading = conn.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
        " WHERE i.indexrelid = to_regclass(%s)",
        (sql.Identifier(schema, node["Index Name"]).as_string(conn),),
    ).fetchone()
    return leading is not None and leading[0] in _condition_columns(node["Index Cond"])


def _condition_columns(condition: str) -> set[str]:
    """Column names an EXPLAIN condition such as `(x.parent_id = $1)` compares, read with pglast."""
    tree = json.loads(parse_sql_json(f"SELECT WHERE {condition}"))
    found: set[str] = set()
    stack: list[Any] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "ColumnRef" in node:
                fields = node["ColumnRef"]["fields"]
                if "String" in fields[-1]:
                    found.add(fields[-1]["String"]["sval"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _plan_nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _plan_nodes(child)
