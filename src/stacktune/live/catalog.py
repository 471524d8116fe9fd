"""Read a live PostgreSQL catalog into stacktune's Schema.

One query per object kind for the whole database (schemas, tables, columns,
indexes, foreign keys, other constraints), each kept in its own .sql file, so a
database of thousands of tables reads in a handful of round trips.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from typing import Any

import psycopg
from psycopg.rows import dict_row

from stacktune.model.events import FkAction, IndexKey
from stacktune.model.location import Location
from stacktune.model.schema import Column, ForeignKey, Index, Schema, Table
from stacktune.sources.sql.predicate import predicate_from_text

Row = dict[str, Any]

DATABASE_LOCATION = Location("<database>", 1, 1)
# pg_constraint.confdeltype / confupdtype codes.
_FK_ACTIONS: dict[str, FkAction] = {
    "a": "NO ACTION",
    "r": "RESTRICT",
    "c": "CASCADE",
    "n": "SET NULL",
    "d": "SET DEFAULT",
}
_INDEX_CONSTRAINTS = {"p": "primary", "u": "unique", "x": "exclude"}


@cache
def load_query(name: str) -> str:
    """The text of live/queries/<name>.sql (package data)."""
    return files("stacktune.live").joinpath("queries", f"{name}.sql").read_text(encoding="utf-8")


def read_catalog(conn: psycopg.Connection, *, schemas: Iterable[str] | None = None) -> Schema:
    """The Schema of the connected database: user schemas, or only `schemas` when given."""
    wanted = sorted(set(schemas)) if schemas is not None else None
    namespaces = _fetch(conn, "schemas", schemas=wanted)
    result = Schema(tables={}, schemas={row["nspname"] for row in namespaces})
    by_oid = {row["oid"]: _table(row) for row in _fetch(conn, "tables", namespaces=[row["oid"] for row in namespaces])}
    oids = list(by_oid)
    for row in _fetch(conn, "columns", tables=oids):
        column = Column(row["name"], row["type_name"], row["not_null"], row["collation"], DATABASE_LOCATION)
        by_oid[row["table_oid"]].columns[column.name] = column
    for row in _fetch(conn, "indexes", tables=oids):
        index = _index(row)
        by_oid[row["table_oid"]].indexes[index.name] = index
    for row in _fetch(conn, "foreign_keys", tables=oids):
        fk = _foreign_key(row)
        by_oid[row["table_oid"]].foreign_keys[fk.name] = fk
    for row in _fetch(conn, "other_constraints", tables=oids):
        by_oid[row["table_oid"]].other_constraints.add(row["name"])
    result.tables = {table.key: table for table in by_oid.values()}
    return result


def _fetch(conn: psycopg.Connection, query: str, **params: object) -> list[Row]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(load_query(query), params).fetchall()


def _table(row: Row) -> Table:
    parent = (row["parent_schema"], row["parent_name"]) if row["parent_name"] is not None else None
    return Table(
        schema=row["schema"],
        name=row["name"],
        partitioned=row["partitioned"],
        partition_of=parent,
        location=DATABASE_LOCATION,
    )


def _index(row: Row) -> Index:
    entries = row["keys"] or []
    key_count = row["key_count"]
    return Index(
        name=row["name"],
        keys=tuple(_index_key(entry) for entry in entries[:key_count]),
        unique=row["unique"],
        method=row["method"],
        include=tuple(entry["column"] for entry in entries[key_count:]),
        predicate=predicate_from_text(row["predicate"]) if row["predicate"] is not None else None,
        constraint=_INDEX_CONSTRAINTS.get(row["constraint_type"] or ""),
        valid=row["valid"],
        location=DATABASE_LOCATION,
    )


def _index_key(entry: Row) -> IndexKey:
    return IndexKey(
        column=entry["column"],
        expression=entry["expression"],
        collation=entry["collation"],
        opclass=entry["opclass"],
        descending=entry["descending"],
    )


def _foreign_key(row: Row) -> ForeignKey:
    return ForeignKey(
        name=row["name"],
        columns=tuple(row["columns"]),
        ref_schema=row["ref_schema"],
        ref_table=row["ref_table"],
        ref_columns=tuple(row["ref_columns"]),
        on_delete=_FK_ACTIONS[row["on_delete"]],
        on_update=_FK_ACTIONS[row["on_update"]],
        not_valid=not row["validated"],
        location=DATABASE_LOCATION,
    )
