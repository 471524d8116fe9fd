"""The planner's estimate for a foreign key's own lookup, without running anything.

On every DELETE of a referenced row PostgreSQL runs `SELECT 1 FROM ONLY child
WHERE fk = $1` through a cached generic plan. EXPLAIN (GENERIC_PLAN) shows that
plan (PostgreSQL 16+); older servers get the same generic plan from a prepared
statement with plan_cache_mode = force_generic_plan. Never ANALYZE: nothing of
the user's runs, and the session stays read-only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import psycopg
from psycopg import sql

from stacktune.checks.context import AuditContext
from stacktune.model.finding import Finding
from stacktune.model.schema import ForeignKey, Table

GENERIC_PLAN_SINCE = 160000  # server_version_num of PostgreSQL 16
_PREPARED = "stacktune_fk_lookup"


@dataclass(frozen=True, slots=True)
class LookupPlan:
    scan: str  # the node reading the child table: "Seq Scan", "Index Scan", "Bitmap Heap Scan"...
    index: str | None  # the index searched with the FK columns as its condition, if any
    rows: float  # the planner's estimate of matching rows per lookup
    cost: float  # total cost of the lookup

    def describe(self) -> str:
        via = f" using {self.index}" if self.index else ""
        return f"{self.scan}{via}, ~{self.rows:g} rows, cost {self.cost:g}"

    def to_details(self) -> dict[str, object]:
        return {"scan": self.scan, "index": self.index, "rows": self.rows, "cost": self.cost}


def lookup_query(table: Table, fk: ForeignKey) -> sql.Composed:
    """The FK trigger's lookup, parameters $1..$n for the FK columns."""
    conditions = sql.SQL(" AND ").join(
        sql.SQL("{} = ${}").format(sql.Identifier(column), sql.SQL(str(n)))
        for n, column in enumerate(fk.columns, start=1)
    )
    return sql.SQL("SELECT 1 FROM ONLY {}.{} WHERE {}").format(
        sql.Identifier(table.schema), sql.Identifier(table.name), conditions
    )


def explain_lookup(conn: psycopg.Connection, table: Table, fk: ForeignKey) -> LookupPlan:
    query = lookup_query(table, fk)
    if conn.info.server_version >= GENERIC_PLAN_SINCE:
        plan = conn.execute(sql.SQL("EXPLAIN (GENERIC_PLAN, FORMAT JSON) ") + query).fetchone()[0]
    else:
        plan = explain_prepared(conn, query)
    return plan_summary(plan[0]["Plan"])


def explain_prepared(conn: psycopg.Connection, query: sql.Composed) -> Any:
    """The generic plan on servers without EXPLAIN (GENERIC_PLAN); the statement is only prepared."""
    with conn.transaction():
        conn.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        conn.execute(sql.SQL("PREPARE {} AS ").format(sql.Identifier(_PREPARED)) + query)
        try:
            # Unknown parameter types are inferred at PREPARE; EXPLAIN EXECUTE needs values: NULLs do.
            count = conn.execute(
                "SELECT cardinality(parameter_types) FROM pg_prepared_statements WHERE name = %s", (_PREPARED,)
            ).fetchone()[0]
            args = sql.SQL(", ").join([sql.NULL] * count)
            return conn.execute(
                sql.SQL("EXPLAIN (FORMAT JSON) EXECUTE {}({})").format(sql.Identifier(_PREPARED), args)
            ).fetchone()[0]
        finally:
            conn.execute(sql.SQL("DEALLOCATE {}").format(sql.Identifier(_PREPARED)))


def plan_summary(root: dict[str, Any]) -> LookupPlan:
    lookup = next((node for node in _nodes(root) if _searches_index(node)), None)
    reader = next((node for node in _nodes(root) if "Relation Name" in node), root)
    return LookupPlan(
        scan=reader["Node Type"],
        index=lookup["Index Name"] if lookup is not None else None,
        rows=float(root["Plan Rows"]),
        cost=float(root["Total Cost"]),
    )


def _searches_index(node: dict[str, Any]) -> bool:
    # An index scan without an Index Cond reads the whole index: not a lookup.
    return "Index Name" in node and "Index Cond" in node


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def annotate(findings: Iterable[Finding], context: AuditContext, conn: psycopg.Connection) -> list[Finding]:
    """`audit --explain`: each FK finding gains the planner's lookup (details["lookup_plan"])."""
    by_fk = {(item.table.qualified_name, item.fk.name): item for item in context.coverage}
    result = []
    for finding in findings:
        item = by_fk.get((finding.table or "", str(finding.details.get("constraint", ""))))
        if item is not None:
            plan = explain_lookup(conn, item.table, item.fk)
            details = {**finding.details, "lookup_plan": plan.to_details()}
            finding = replace(finding, message=f"{finding.message} [planner: {plan.describe()}]", details=details)
        result.append(finding)
    return result
