"""apply on a real PostgreSQL: concurrent builds under write load, recovery, retries, Ctrl-C, --file."""

from __future__ import annotations

import _thread
import threading
import time
from pathlib import Path

import psycopg
import pytest
from live_helpers import RecordingSink, build_shop, index_validity
from truth.harness import catalog_schema

from stacktune.checks.context import AuditContext
from stacktune.fixes.fk_index_plan import PlanOptions
from stacktune.live.apply import (
    ApplyOptions,
    IndexBuild,
    SqlBatch,
    plan_for_schema,
    run_steps,
    steps_from_file,
    without_invalid_indexes,
)

pytestmark = pytest.mark.postgres

FAST = ApplyOptions(lock_timeout_ms=5000, retries=0, backoff_s=0.1, poll_s=0.05)


def _builds(uri: str) -> list[IndexBuild]:
    _, builds, _ = plan_for_schema(catalog_schema(uri), PlanOptions())
    return builds


def _uncovered(uri: str) -> list[str]:
    context = AuditContext(catalog_schema(uri))
    return [f"{i.table.name}.{i.fk.name}" for i in context.coverage if i.coverage.verdict != "covered"]


class _Inserter(threading.Thread):
    """Inserts into orders in a loop, each insert under a 1 s lock_timeout, timing every one."""

    def __init__(self, uri: str) -> None:
        super().__init__(daemon=True)
        self.uri, self.stop = uri, threading.Event()
        self.latencies: list[float] = []
        self.failures: list[str] = []

    def run(self) -> None:
        with psycopg.connect(self.uri, autocommit=True) as conn:
            conn.execute("SET lock_timeout = '1s'")
            while not self.stop.is_set():
                started = time.perf_counter()
                try:
                    conn.execute("INSERT INTO orders (user_id, shop_id) VALUES (7, 3)")
                except psycopg.Error as exc:
                    self.failures.append(str(exc))
                self.latencies.append(time.perf_counter() - started)


class _Writer:
    """An open transaction that has written to orders: a concurrent build waits for it to end."""

    def __init__(self, uri: str) -> None:
        self.conn = psycopg.connect(uri)
        self.conn.execute("INSERT INTO orders (user_id, shop_id) VALUES (1, 1)")

    def finish(self) -> None:
        self.conn.commit()
        self.conn.close()


def _wait_for_build(uri: str, timeout: float = 10.0) -> int:
    """The pid of a backend running CREATE INDEX, once there is one."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(uri, autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute("SELECT pid FROM pg_stat_progress_create_index").fetchone()
            if row:
                return row[0]
            time.sleep(0.02)
    raise AssertionError("no index build started")


def test_builds_every_missing_index_while_inserts_go_on(pg_database: str) -> None:
    build_shop(pg_database, 200_000)
    builds = _builds(pg_database)
    assert {b.name for b in builds} == {"idx_orders_user_id", "idx_orders_shop_id", "idx_tiny_user_id"}
    assert all(b.statement.startswith("CREATE INDEX CONCURRENTLY ") for b in builds)
    inserter = _Inserter(pg_database)
    inserter.start()
    try:
        time.sleep(0.2)
        report = run_steps(pg_database, builds, RecordingSink(), FAST)
    finally:
        inserter.stop.set()
        inserter.join()
    assert report.ok, report.results
    assert [r.outcome for r in report.results] == ["built"] * 3
    assert _uncovered(pg_database) == []
    assert inserter.failures == []
    assert len(inserter.latencies) > 50
    assert max(inserter.latencies) < 1.0


def test_second_run_finds_everything_present(pg_database: str) -> None:
    build_shop(pg_database, 1000)
    builds = _builds(pg_database)
    assert run_steps(pg_database, builds, RecordingSink(), FAST).ok
    assert _builds(pg_database) == []
    again = run_steps(pg_database, builds, RecordingSink(), FAST)
    assert [r.outcome for r in again.results] == ["present"] * len(builds)


def test_a_cancelled_build_leaves_an_invalid_index_that_the_next_run_replaces(pg_database: str) -> None:
    build_shop(pg_database, 200_000)
    build = next(b for b in _builds(pg_database) if b.name == "idx_orders_user_id")
    writer = _Writer(pg_database)  # holds the build in "waiting for writers", after the index was created
    outcome: list = []
    runner = threading.Thread(target=lambda: outcome.append(run_steps(pg_database, [build], RecordingSink(), FAST)))
    runner.start()
    pid = _wait_for_build(pg_database)
    with psycopg.connect(pg_database, autocommit=True) as conn:
        assert conn.execute("SELECT pg_cancel_backend(%s)", (pid,)).fetchone()[0]
    runner.join(10)
    writer.finish()
    (result,) = outcome[0].results
    assert result.outcome == "failed" and "cancel" in result.message
    assert index_validity(pg_database, "idx_orders_user_id") is False
    # Planned again: the INVALID index counts for nothing, so the same name comes back.
    rebuild = next(b for b in _builds(pg_database) if b.name == "idx_orders_user_id")
    assert rebuild == build
    second = run_steps(pg_database, [rebuild], RecordingSink(), FAST)
    assert [r.outcome for r in second.results] == ["rebuilt"]
    assert index_validity(pg_database, "idx_orders_user_id") is True


def test_ctrl_c_cancels_the_build_on_the_server(pg_database: str) -> None:
    build_shop(pg_database, 10_000)
    build = next(b for b in _builds(pg_database) if b.name == "idx_orders_shop_id")
    writer = _Writer(pg_database)
    timer = threading.Thread(target=lambda: (_wait_for_build(pg_database), _thread.interrupt_main()))
    timer.start()
    report = run_steps(pg_database, [build], RecordingSink(), FAST)
    timer.join()
    writer.finish()
    assert report.interrupted and not report.ok
    assert [r.outcome for r in report.results] == ["cancelled"]
    assert index_validity(pg_database, "idx_orders_shop_id") is False
    with psycopg.connect(pg_database, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM pg_stat_progress_create_index").fetchone()[0] == 0
    assert [r.outcome for r in run_steps(pg_database, [build], RecordingSink(), FAST).results] == ["rebuilt"]


def test_lock_timeout_is_retried_with_backoff_and_progress_is_reported(pg_database: str) -> None:
    build_shop(pg_database, 1000)
    build = next(b for b in _builds(pg_database) if b.name == "idx_orders_user_id")
    writer = _Writer(pg_database)
    threading.Timer(0.8, writer.finish).start()
    sink = RecordingSink()
    options = ApplyOptions(lock_timeout_ms=300, retries=4, backoff_s=0.2, poll_s=0.02)
    (result,) = run_steps(pg_database, [build], sink, options).results
    assert result.outcome in ("built", "rebuilt")
    assert result.attempts > 1
    assert "lock timeout" in sink.ended
    assert any(s.phase.startswith("waiting for writers") for s in sink.samples)
    assert index_validity(pg_database, "idx_orders_user_id") is True


def test_lock_timeouts_past_the_retries_are_reported(pg_database: str) -> None:
    build_shop(pg_database, 1000)
    build = next(b for b in _builds(pg_database) if b.name == "idx_orders_user_id")
    writer = _Writer(pg_database)
    try:
        options = ApplyOptions(lock_timeout_ms=100, retries=1, backoff_s=0.05, poll_s=0.02)
        (result,) = run_steps(pg_database, [build], RecordingSink(), options).results
    finally:
        writer.finish()
    assert (result.outcome, result.attempts) == ("failed", 2)
    assert "gave up after 2 lock timeouts" in result.message


def test_a_name_held_by_a_table_is_not_touched(pg_database: str) -> None:
    build_shop(pg_database, 10)
    build = next(b for b in _builds(pg_database) if b.name == "idx_tiny_user_id")
    with psycopg.connect(pg_database, autocommit=True) as conn:
        conn.execute("CREATE TABLE idx_tiny_user_id (x int)")
    (result,) = run_steps(pg_database, [build], RecordingSink(), FAST).results
    assert result.outcome == "failed" and "not an index" in result.message


def test_without_invalid_indexes_hides_only_invalid_ones(pg_database: str) -> None:
    build_shop(pg_database, 10)
    schema = catalog_schema(pg_database)
    orders = schema.table("public", "orders")
    orders.indexes["orders_pkey"].valid = False
    assert "orders_pkey" not in without_invalid_indexes(schema).table("public", "orders").indexes
    assert "users_pkey" in without_invalid_indexes(schema).table("public", "users").indexes


def test_file_statements_run_with_concurrent_ones_alone(pg_database: str, tmp_path: Path) -> None:
    build_shop(pg_database, 1000)
    migration = tmp_path / "042_indexes.sql"
    migration.write_text(
        "-- 索引\nCREATE TABLE audit (id int);\nINSERT INTO audit VALUES (1);\n"
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_ix ON orders (user_id);\n"
        "BEGIN;\nDROP INDEX CONCURRENTLY IF EXISTS nothing_here;\nCOMMIT;\n",
        encoding="utf-8",
    )
    steps, diagnostics = steps_from_file(migration, "042_indexes.sql")
    assert [type(s).__name__ for s in steps] == ["SqlBatch", "IndexBuild", "SqlBatch"]
    assert isinstance(steps[0], SqlBatch) and steps[0].transactional and steps[0].location.line == 2
    assert isinstance(steps[2], SqlBatch) and not steps[2].transactional
    assert [d.location.line for d in diagnostics] == [5, 7]
    # An INVALID index of the file's name is replaced, not skipped by IF NOT EXISTS.
    writer = _Writer(pg_database)
    with psycopg.connect(pg_database, autocommit=True) as conn:
        conn.execute("SET lock_timeout = '200ms'")
        with pytest.raises(psycopg.errors.LockNotAvailable):
            conn.execute("CREATE INDEX CONCURRENTLY orders_user_ix ON orders (user_id)")
    writer.finish()
    assert index_validity(pg_database, "orders_user_ix") is False
    report = run_steps(pg_database, steps, RecordingSink(), FAST)
    assert [r.outcome for r in report.results] == ["ran", "rebuilt", "ran"]
    assert index_validity(pg_database, "orders_user_ix") is True


def test_a_file_with_a_syntax_error_is_reported_with_its_line(tmp_path: Path) -> None:
    migration = tmp_path / "bad.sql"
    migration.write_text("SELECT 1;\n\nCREATE INDEX ON;\n", encoding="utf-8")
    steps, diagnostics = steps_from_file(migration, "bad.sql")
    assert steps == []
    assert diagnostics[0].location.line == 3 and "syntax error" in diagnostics[0].message
