"""Workload figures on a real PostgreSQL: rows, size, writes on the referenced side, ranking."""

from __future__ import annotations

import psycopg
import pytest
from live_helpers import build_shop

from stacktune.checks.context import AuditContext
from stacktune.checks.registry import run_schema_checks
from stacktune.live.catalog import read_catalog
from stacktune.live.workload import LARGE_ROWS, enrich, human_size, read_activity
from stacktune.pg.connect import connect


def _flush_stats(uri: str, sql: str) -> None:
    with psycopg.connect(uri, autocommit=True) as conn:
        conn.execute(sql)
        conn.execute("SELECT pg_stat_force_next_flush()")


@pytest.mark.postgres
def test_findings_are_ranked_by_workload_with_their_figures(pg_database: str) -> None:
    build_shop(pg_database, LARGE_ROWS + 5000)
    _flush_stats(pg_database, "DELETE FROM orders WHERE user_id = 1000; DELETE FROM users WHERE id = 1000")
    with connect(pg_database, read_only=True, statement_timeout_ms=None) as conn:
        context = AuditContext(read_catalog(conn))
        findings = list(run_schema_checks(context))
        ranked = enrich(findings, context, conn)
        hidden = enrich(findings, context, conn, min_rows=1000)
    order = [(f.table, f.details["constraint"]) for f in ranked]
    # The cascading FK on the big table comes first; the tiny table last.
    assert order == [("orders", "orders_user_id_fkey"), ("orders", "orders_shop_id_fkey"), ("tiny", "tiny_user_id_fkey")]
    top = ranked[0]
    assert top.severity == "error"  # big table, referenced rows deleted, ON DELETE CASCADE
    assert top.details["rows"] >= LARGE_ROWS
    assert top.details["referenced_deletes"] >= 1
    assert top.details["on_delete"] == "CASCADE"
    assert top.details["size_bytes"] > 1_000_000
    assert "rows" in top.message and "ON DELETE CASCADE" in top.message
    assert ranked[1].severity == "warning"  # no writes on shops, NO ACTION
    assert [f.table for f in hidden] == ["orders", "orders"]


@pytest.mark.postgres
def test_a_partitioned_table_counts_its_partitions(pg_database: str) -> None:
    with psycopg.connect(pg_database, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE ev (id int, at date) PARTITION BY RANGE (at);"
            "CREATE TABLE ev_a PARTITION OF ev FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"
            "CREATE TABLE ev_b PARTITION OF ev FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');"
            "INSERT INTO ev SELECT g, '2024-06-01'::date + (g % 300) FROM generate_series(1, 3000) g;"
            "ANALYZE ev_a; ANALYZE ev_b;"
        )
    with connect(pg_database, read_only=True, statement_timeout_ms=None) as conn:
        schema = read_catalog(conn)
        activity = read_activity(conn, schema)
    parts = activity[("public", "ev_a")].rows + activity[("public", "ev_b")].rows
    assert parts == 3000
    assert activity[("public", "ev")].rows == 3000


def test_human_size() -> None:
    assert [human_size(n) for n in (512, 2048, 5 * 2**20)] == ["512 B", "2.0 kB", "5.0 MB"]
