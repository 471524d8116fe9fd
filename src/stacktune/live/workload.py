"""How much a missing FK index costs on this database: size and activity from the statistics.

A foreign key without an index costs one scan of the referencing table per
DELETE (or key UPDATE) of a referenced row, and twice that work when the FK
cascades. So the figures that matter are the referencing table's rows and size,
the writes on the referenced table, the sequential scans already seen on the
referencing table, and the ON DELETE action. Findings are ranked by them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import psycopg
from psycopg.rows import dict_row

from stacktune.checks.context import AuditContext, FkCoverage
from stacktune.live.catalog import load_query
from stacktune.model.finding import Finding
from stacktune.model.schema import Schema

TableKey = tuple[str, str]
# A referencing table this big, under a referenced table that is written to, is an outage waiting.
LARGE_ROWS = 100_000
_CASCADING = frozenset({"CASCADE", "SET NULL", "SET DEFAULT"})
_FK_RULES = frozenset({"fk-without-index", "fk-weak-index"})


@dataclass(frozen=True, slots=True)
class TableActivity:
    rows: int
    size_bytes: int
    seq_scans: int
    updates: int
    deletes: int

    def __add__(self, other: TableActivity) -> TableActivity:
        return TableActivity(
            self.rows + other.rows,
            self.size_bytes + other.size_bytes,
            self.seq_scans + other.seq_scans,
            self.updates + other.updates,
            self.deletes + other.deletes,
        )


_NOTHING = TableActivity(0, 0, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class FkWorkload:
    rows: int  # of the referencing table
    size_bytes: int  # of the referencing table, indexes and TOAST included
    seq_scans: int  # on the referencing table since the statistics were reset
    parent_deletes: int  # rows deleted from the referenced table
    parent_updates: int  # rows updated in the referenced table
    on_delete: str

    @property
    def score(self) -> int:
        """Rows scanned per referenced-side write, times the writes seen (at least one)."""
        factor = 2 if self.on_delete in _CASCADING else 1
        return self.rows * (1 + self.parent_deletes + self.parent_updates) * factor

    @property
    def severe(self) -> bool:
        written = self.parent_deletes + self.parent_updates > 0 or self.on_delete in _CASCADING
        return self.rows >= LARGE_ROWS and written

    def describe(self) -> str:
        return (
            f"{self.rows:,} rows, {human_size(self.size_bytes)}, {self.seq_scans:,} seq scans;"
            f" referenced table: {self.parent_deletes:,} deletes, {self.parent_updates:,} updates;"
            f" ON DELETE {self.on_delete}"
        )

    def to_details(self) -> dict[str, object]:
        return {
            "rows": self.rows,
            "size_bytes": self.size_bytes,
            "seq_scans": self.seq_scans,
            "referenced_deletes": self.parent_deletes,
            "referenced_updates": self.parent_updates,
            "on_delete": self.on_delete,
            "workload_score": self.score,
            "workload": self.describe(),
        }


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"


def read_activity(conn: psycopg.Connection, schema: Schema) -> dict[TableKey, TableActivity]:
    """Size and activity per table of `schema`; a partitioned table counts its partitions."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(load_query("workload"), {"schemas": sorted(schema.schemas)}).fetchall()
    own = {(r["schema"], r["name"]): _activity(r) for r in rows}
    total = dict(own)
    for key, activity in own.items():
        for ancestor in _ancestors(schema, key):
            total[ancestor] = total.get(ancestor, _NOTHING) + activity
    return total


def _activity(row: dict) -> TableActivity:
    estimate = int(row["estimated_rows"])
    rows = estimate if estimate >= 0 else int(row["live_rows"])
    return TableActivity(rows, int(row["size_bytes"]), int(row["seq_scans"]), int(row["updates"]), int(row["deletes"]))


def _ancestors(schema: Schema, key: TableKey) -> Iterable[TableKey]:
    seen = {key}
    table = schema.tables.get(key)
    while table is not None and table.partition_of is not None and table.partition_of not in seen:
        seen.add(table.partition_of)
        yield table.partition_of
        table = schema.tables.get(table.partition_of)


def fk_workload(item: FkCoverage, activity: dict[TableKey, TableActivity]) -> FkWorkload:
    child = activity.get(item.table.key, _NOTHING)
    parent = activity.get((item.fk.ref_schema, item.fk.ref_table), _NOTHING)
    return FkWorkload(child.rows, child.size_bytes, child.seq_scans, parent.deletes, parent.updates, item.fk.on_delete)


def rank(
    findings: Iterable[Finding],
    context: AuditContext,
    activity: dict[TableKey, TableActivity],
    *,
    min_rows: int = 0,
) -> list[Finding]:
    """FK findings with their figures, most costly first, tables under `min_rows` left out; others after."""
    by_fk = {(item.table.qualified_name, item.fk.name): item for item in context.coverage}
    weighed: list[tuple[int, Finding]] = []
    others: list[Finding] = []
    for finding in findings:
        item = by_fk.get((finding.table or "", str(finding.details.get("constraint", ""))))
        if finding.rule not in _FK_RULES or item is None:
            others.append(finding)
            continue
        workload = fk_workload(item, activity)
        if workload.rows < min_rows:
            continue
        severity = "error" if workload.severe else finding.severity
        details = {**finding.details, **workload.to_details()}
        message = f"{finding.message} ({workload.describe()})"
        weighed.append((workload.score, replace(finding, severity=severity, message=message, details=details)))
    weighed.sort(key=lambda pair: -pair[0])  # stable: equal scores keep the audit's order
    return [finding for _, finding in weighed] + others


def enrich(
    findings: Iterable[Finding], context: AuditContext, conn: psycopg.Connection, *, min_rows: int = 0
) -> list[Finding]:
    """`rank` over the activity read from `conn` (the live audit's own read-only connection)."""
    return rank(findings, context, read_activity(conn, context.schema), min_rows=min_rows)
