"""drift on a real PostgreSQL: an unapplied migration, a model-only index, a rename, extras."""

from __future__ import annotations

from pathlib import Path

import pytest
from repo_fixtures import MIGRATIONS, write_repo
from truth.harness import apply_sql, catalog_schema

from stacktune.audit import AuditRequest, run_audit
from stacktune.live.drift import Drift, compare, index_shape
from stacktune.model.events import IndexKey, Predicate
from stacktune.model.schema import Index


def _by_kind(found: list[Drift]) -> dict[str, list[Drift]]:
    grouped: dict[str, list[Drift]] = {}
    for item in found:
        grouped.setdefault(item.kind, []).append(item)
    return grouped


@pytest.mark.postgres
def test_drift_finds_what_never_reached_the_database(pg_database: str, tmp_path: Path) -> None:
    root = write_repo(tmp_path)
    # Production got 001 and 002 only, an index renamed by hand and one made by hand.
    apply_sql(
        pg_database,
        [
            MIGRATIONS["001_init.sql"],
            MIGRATIONS["002_order_user.sql"],
            "ALTER INDEX idx_orders_user RENAME TO orders_user_idx",
            "CREATE INDEX manual_ix ON orders (id, note)",
        ],
    )
    found = _by_kind(compare(run_audit(AuditRequest(root=root)), catalog_schema(pg_database)))
    (unapplied,) = found["unapplied-migration"]
    assert unapplied.name == "migrations/003_coupons.sql"
    assert "looks never applied" in unapplied.message
    (table,) = found["missing-table"]
    assert (table.name, table.location.path, table.location.line) == ("coupons", "migrations/003_coupons.sql", 1)
    (model_index,) = found["missing-index"]
    assert model_index.name == "ix_orders_note"
    assert model_index.location.path == "app/models.py"
    assert "declared in the models but never created" in model_index.message
    (renamed,) = found["renamed-index"]
    assert (renamed.name, renamed.location.path) == ("idx_orders_user", "migrations/002_order_user.sql")
    assert "orders_user_idx" in renamed.message
    assert [d.name for d in found["extra-index"]] == ["manual_ix"]
    assert "missing-foreign-key" not in found and "extra-table" not in found


@pytest.mark.postgres
def test_no_drift_when_the_database_was_built_from_the_repository(pg_database: str, tmp_path: Path) -> None:
    root = write_repo(tmp_path, models=None)
    apply_sql(pg_database, MIGRATIONS.values())
    assert compare(run_audit(AuditRequest(root=root)), catalog_schema(pg_database)) == []


@pytest.mark.postgres
def test_a_missing_foreign_key_names_its_file_and_line(pg_database: str, tmp_path: Path) -> None:
    root = write_repo(tmp_path, models=None)
    apply_sql(pg_database, MIGRATIONS.values())
    apply_sql(pg_database, ["ALTER TABLE coupons DROP CONSTRAINT coupons_order_id_fkey"])
    (item,) = compare(run_audit(AuditRequest(root=root)), catalog_schema(pg_database))
    assert (item.kind, item.name) == ("missing-foreign-key", "coupons_order_id_fkey")
    assert (item.location.path, item.location.line) == ("migrations/003_coupons.sql", 1)


def test_index_shape_ignores_names_spacing_and_the_servers_casts() -> None:
    ours = Index("a", (IndexKey(expression="lower(email)"),), predicate=Predicate("status = 'open'"))
    theirs = Index("b", (IndexKey(expression="(lower(email::text))"),), predicate=Predicate("(status)::text = 'open'::text"))
    other = Index("a", (IndexKey(expression="upper(email)"),), predicate=Predicate("status = 'open'"))
    assert index_shape(ours) == index_shape(theirs)
    assert index_shape(ours) != index_shape(other)
