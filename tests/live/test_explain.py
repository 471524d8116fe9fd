"""The planner's estimate for an FK's own lookup: a seq scan before apply, an index scan after."""

from __future__ import annotations

import pytest
from live_helpers import RecordingSink, build_shop
from psycopg import sql

from stacktune.checks.context import AuditContext
from stacktune.checks.registry import run_schema_checks
from stacktune.fixes.fk_index_plan import PlanOptions
from stacktune.live.apply import ApplyOptions, plan_for_schema, run_steps
from stacktune.live.catalog import read_catalog
from stacktune.live.explain import annotate, explain_lookup, explain_prepared, lookup_query, plan_summary
from stacktune.pg.connect import connect

pytestmark = pytest.mark.postgres


def _orders_user_lookup(uri: str):  # -> LookupPlan
    with connect(uri, read_only=True, statement_timeout_ms=None) as conn:
        schema = read_catalog(conn)
        orders = schema.table("public", "orders")
        return explain_lookup(conn, orders, orders.foreign_keys["orders_user_id_fkey"])


def test_seq_scan_before_apply_index_scan_after(pg_database: str) -> None:
    build_shop(pg_database, 50_000)
    before = _orders_user_lookup(pg_database)
    assert (before.scan, before.index) == ("Seq Scan", None)
    assert before.rows > 0 and before.cost > 0
    with connect(pg_database, read_only=True, statement_timeout_ms=None) as conn:
        schema = read_catalog(conn)
    _, builds, _ = plan_for_schema(schema, PlanOptions())
    assert run_steps(pg_database, builds, RecordingSink(), ApplyOptions(poll_s=0.05)).ok
    after = _orders_user_lookup(pg_database)
    assert after.index == "idx_orders_user_id"
    assert after.scan in ("Index Scan", "Index Only Scan", "Bitmap Heap Scan")
    assert after.cost < before.cost


def test_the_prepared_statement_route_gives_the_same_generic_plan(pg_database: str) -> None:
    build_shop(pg_database, 1000)
    with connect(pg_database, read_only=True, statement_timeout_ms=None) as conn:
        schema = read_catalog(conn)
        orders = schema.table("public", "orders")
        fk = orders.foreign_keys["orders_shop_id_fkey"]
        generic = explain_lookup(conn, orders, fk)
        prepared = plan_summary(explain_prepared(conn, lookup_query(orders, fk))[0]["Plan"])
        left = conn.execute("SELECT count(*) FROM pg_prepared_statements").fetchone()[0]
    assert prepared == generic
    assert left == 0


def test_annotate_adds_the_plan_to_fk_findings_in_a_read_only_session(pg_database: str) -> None:
    build_shop(pg_database, 100)
    with connect(pg_database, read_only=True, statement_timeout_ms=None) as conn:
        context = AuditContext(read_catalog(conn))
        findings = annotate(run_schema_checks(context), context, conn)
        read_only = conn.execute(sql.SQL("SHOW default_transaction_read_only")).fetchone()[0]
    assert read_only == "on"
    plans = {f.details["constraint"]: f.details["lookup_plan"] for f in findings}
    assert plans["orders_user_id_fkey"]["scan"] == "Seq Scan"
    assert all("[planner: Seq Scan" in f.message for f in findings)
