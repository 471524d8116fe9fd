"""The written migrations on a real PostgreSQL: hostile names stay names, every FK ends up covered,
running the file twice is harmless, and nothing but the new indexes appears."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from pglast import split
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool
from truth.harness import apply_sql, catalog_schema
from truth.test_truth import CASES, build_on_postgres

from stacktune.audit import AuditRequest, run_audit
from stacktune.checks.context import AuditContext
from stacktune.fixes.apply import apply_edits
from stacktune.fixes.fk_fix import propose_fk_index_fix
from stacktune.fixes.fk_index_plan import FkIndexPlan, PlanOptions, plan_fk_indexes
from stacktune.fixes.migration_styles import render_migration
from stacktune.fixes.styles.common import MigrationTarget
from stacktune.pg.connect import connect
from stacktune.sources.sql.layouts import ordered_migrations

NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
LONG = "t" * 70  # PostgreSQL keeps the first 63 bytes

HOSTILE_DDL = f"""
CREATE SCHEMA "Sales Dept";
CREATE TABLE "select" (id int PRIMARY KEY);
CREATE TABLE x (id int PRIMARY KEY);
CREATE TABLE pair (a int, b int, PRIMARY KEY (a, b));
CREATE TABLE "Sales Dept"."a""; DROP TABLE x; --" (
    id int PRIMARY KEY,
    "User Id" int REFERENCES "select" (id),
    "from" int NOT NULL REFERENCES x (id),
    "名前" int REFERENCES "select" (id),
    "a""b" int,
    "group" int,
    FOREIGN KEY ("group", "a""b") REFERENCES pair (b, a)
);
CREATE TABLE "evil
DROP TABLE x; --" (id int PRIMARY KEY, "user" int REFERENCES "select" (id));
CREATE TABLE {LONG} (id int PRIMARY KEY, "Order" int REFERENCES "select" (id));
CREATE INDEX "idx_select" ON "Sales Dept"."a""; DROP TABLE x; --" ("from", id);
-- The name the convention gives the FK index on "evil...", taken by an index on another column.
CREATE INDEX idx_evil_drop_table_x_user ON "evil
DROP TABLE x; --" (id);
"""

RELATIONS = """
SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
"""

# Every FK with an index whose leading key columns are exactly the FK's columns.
UNINDEXED_FKS = """
SELECT con.conrelid::regclass::text, con.conname FROM pg_constraint con
WHERE con.contype = 'f' AND NOT EXISTS (
    SELECT 1 FROM pg_index i
    WHERE i.indrelid = con.conrelid AND i.indisvalid
      AND (SELECT array_agg(k ORDER BY k) FROM unnest((i.indkey::int2[])[0:cardinality(con.conkey) - 1]) k)
        = (SELECT array_agg(k ORDER BY k) FROM unnest(con.conkey) k)
)
"""


def query(uri: str, sql: str) -> list[tuple]:
    with connect(uri, read_only=True, statement_timeout_ms=None) as conn:
        return conn.execute(sql).fetchall()


def hostile_plan(uri: str, options: PlanOptions) -> FkIndexPlan:
    apply_sql(uri, [HOSTILE_DDL])
    plan = plan_fk_indexes(AuditContext(catalog_schema(uri)), options)
    assert len(plan.indexes) == 5  # "from" is covered by idx_select
    return plan


def statements(sql: str) -> list[str]:
    return list(split(sql))


def assert_only_new_indexes(uri: str, before: set[tuple], plan: FkIndexPlan) -> None:
    after = set(query(uri, RELATIONS))
    assert before - after == set()
    assert after - before == {(ix.schema, ix.name, "i") for ix in plan.indexes}
    assert query(uri, UNINDEXED_FKS) == []
    coverage = AuditContext(catalog_schema(uri)).coverage
    assert {item.coverage.verdict for item in coverage} == {"covered"}


@pytest.mark.postgres
@pytest.mark.parametrize("concurrently", [False, True], ids=["plain", "concurrently"])
def test_hostile_identifiers_make_correct_injection_free_sql(pg_database: str, concurrently: bool) -> None:
    plan = hostile_plan(pg_database, PlanOptions(concurrently=concurrently))
    names = {ix.name for ix in plan.indexes}
    assert all(len(name.encode()) <= 63 for name in names)
    assert "idx_evil_drop_table_x_user_2" in names
    (edit,) = render_migration(plan, MigrationTarget("numbered", "m"), NOW)
    before = set(query(pg_database, RELATIONS))
    for _ in range(2):  # twice: IF NOT EXISTS makes the second run a no-op
        if concurrently:
            apply_sql(pg_database, statements(edit.content), transactional=False)
        else:
            apply_sql(pg_database, [edit.content])
    assert_only_new_indexes(pg_database, before, plan)


@pytest.mark.postgres
@pytest.mark.parametrize("concurrently", [False, True], ids=["plain", "concurrently"])
def test_alembic_revision_runs_on_postgres(pg_database: str, concurrently: bool) -> None:
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    plan = hostile_plan(pg_database, PlanOptions(concurrently=concurrently))
    (edit,) = render_migration(plan, MigrationTarget("alembic", "alembic/versions", (), None), NOW)
    namespace: dict = {}
    exec(compile(edit.content, edit.path, "exec"), namespace)
    before = set(query(pg_database, RELATIONS))
    engine = create_engine(
        "postgresql+psycopg://", creator=lambda: psycopg.connect(pg_database), poolclass=NullPool
    )
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn)
            with Operations.context(context):
                namespace["upgrade"]()
                namespace["upgrade"]()
            conn.commit()
        assert_only_new_indexes(pg_database, before, plan)
        with engine.connect() as conn:
            with Operations.context(MigrationContext.configure(conn)):
                namespace["downgrade"]()
            conn.commit()
    finally:
        engine.dispose()
    assert set(query(pg_database, RELATIONS)) == before


def copy_fixture(fixture: Path, tmp_path: Path) -> Path:
    root = tmp_path / fixture.name
    shutil.copytree(fixture, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


@pytest.mark.postgres
@pytest.mark.parametrize("fixture", CASES, ids=lambda p: p.name)
def test_fixture_plus_written_migration_leaves_every_fk_covered(
    fixture: Path, tmp_path: Path, pg_database: str
) -> None:
    root = copy_fixture(fixture, tmp_path)
    options = PlanOptions(include_weak=True)
    audit = run_audit(AuditRequest(root=root))
    has_migrations = any(s.kind == "sql" for s in audit.sources)
    proposed = propose_fk_index_fix(
        audit, options, clock=lambda: NOW, migrations_dir=None if has_migrations else "migrations"
    )
    written = apply_edits(root, proposed.fix.edits) if proposed.fix is not None else []
    assert written or {item.coverage.verdict for item in audit.context.coverage} <= {"covered"}, proposed.messages

    again = run_audit(AuditRequest(root=root))
    assert [item for item in again.context.coverage if item.coverage.verdict != "covered"] == []
    assert propose_fk_index_fix(again, options, clock=lambda: NOW).fix is None

    build_on_postgres(pg_database, again)
    catalog = catalog_schema(pg_database)
    assert {item.coverage.verdict for item in AuditContext(catalog).coverage} == {"covered"}
    assert query(pg_database, UNINDEXED_FKS) == []
    # The written migration once more, as a console rerun would: no error, nothing new.
    before = set(query(pg_database, RELATIONS))
    migrations = [
        migration
        for source in again.sources
        if source.kind == "sql"
        for migration in ordered_migrations(root, root / source.path, source.style)[0]
    ]
    for migration in migrations:
        if migration.path in written:
            data = (root / migration.path).read_bytes()
            up = b"\n".join(data[start:end] for start, end in migration.sections).decode()
            apply_sql(pg_database, [up], transactional=not migration.no_transaction)
    assert set(query(pg_database, RELATIONS)) == before
