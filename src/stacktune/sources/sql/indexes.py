"""CREATE INDEX / DROP INDEX, and the index parts EXCLUDE constraints share (keys, predicates)."""

from __future__ import annotations

from functools import lru_cache

from stacktune.model.events import (
    CreateIndex,
    DropIndex,
    IndexKey,
    Predicate,
    SchemaEvent,
)
from stacktune.sources.sql.context import Statement
from stacktune.sources.sql.nodes import Json, last_name, qualified, range_var
from stacktune.sources.sql.predicate import not_null_columns


def index_key(stmt: Statement, elem: Json, *path: str | int) -> IndexKey:
    """One IndexElem (at `path` in the statement) as an IndexKey."""
    expression = stmt.deparse(*path, "expr") if "expr" in elem else None
    return IndexKey(
        column=elem.get("name"),
        expression=expression,
        collation=last_name(elem.get("collation")),
        opclass=last_name(elem.get("opclass")),
        descending=elem.get("ordering") == "SORTBY_DESC",
    )


def predicate(stmt: Statement, where: Json, *path: str | int) -> Predicate:
    columns = not_null_columns(where)
    if columns is None:
        # A CREATE INDEX's WHERE ends the statement: its own text is the cheapest rendering.
        top_level = stmt.path == () and path == ("whereClause",)
        return Predicate(text=stmt.trailing_where() if top_level else stmt.deparse(*path))
    # The common partial index of FK columns: printed once per column list, not per statement.
    return Predicate(text=_not_null_text(columns), not_null_columns=frozenset(columns))


@lru_cache(maxsize=1024)
def _not_null_text(columns: tuple[str, ...]) -> str:
    # pglast's printer costs 35 ms to import: loaded only when a partial index is met.
    from pglast import ast, enums
    from pglast.stream import RawStream

    tests = [
        ast.NullTest(arg=ast.ColumnRef(fields=(ast.String(sval=c),)), nulltesttype=enums.NullTestType.IS_NOT_NULL)
        for c in columns
    ]
    node = tests[0] if len(tests) == 1 else ast.BoolExpr(boolop=enums.BoolExprType.AND_EXPR, args=tuple(tests))
    return RawStream()(node)


def create_index(stmt: Statement) -> list[SchemaEvent]:
    node = stmt.node
    where = node.get("whereClause")
    return [
        CreateIndex(
            table=range_var(node["relation"]),
            keys=tuple(
                index_key(stmt, elem["IndexElem"], "indexParams", i) for i, elem in enumerate(node["indexParams"])
            ),
            name=node.get("idxname"),
            unique=node.get("unique", False),
            method=node.get("accessMethod", "btree").lower(),
            include=tuple(elem["IndexElem"]["name"] for elem in node.get("indexIncludingParams", ())),
            predicate=predicate(stmt, where, "whereClause") if where else None,
            if_not_exists=node.get("if_not_exists", False),
            concurrently=node.get("concurrent", False),
            only=not node["relation"].get("inh", False),
            **stmt.placed,
        )
    ]


def drop_indexes(stmt: Statement) -> list[SchemaEvent]:
    node = stmt.node
    return [
        DropIndex(
            indexes=tuple(qualified(obj["List"]["items"]) for obj in node["objects"]),
            if_exists=node.get("missing_ok", False),
            cascade=node.get("behavior") == "DROP_CASCADE",
            **stmt.placed,
        )
    ]
