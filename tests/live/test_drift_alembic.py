"""drift on an Alembic project: a database left at an older revision names the revisions it never got."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from truth.harness import catalog_schema

from stacktune.audit import AuditRequest, run_audit
from stacktune.live.build import repository_imports, sqlalchemy_url
from stacktune.live.drift import Drift, compare

LINEAR = Path(__file__).resolve().parents[1] / "fixtures" / "alembic" / "linear"


def _upgraded(tmp_path: Path, db_uri: str, target: str) -> Path:
    """A copy of the linear fixture, and the database upgraded by real Alembic to `target`."""
    from alembic import command
    from alembic.config import Config

    root = Path(shutil.copytree(LINEAR, tmp_path / "linear"))
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", sqlalchemy_url(db_uri).replace("%", "%%"))
    with repository_imports(root):
        command.upgrade(config, target)
    return root


def _drift(root: Path, db_uri: str) -> list[Drift]:
    return compare(run_audit(AuditRequest(root=root)), catalog_schema(db_uri))


@pytest.mark.postgres
def test_a_database_at_an_older_revision_names_the_revisions_never_applied(pg_database: str, tmp_path: Path) -> None:
    root = _upgraded(tmp_path, pg_database, "0001")
    found = _drift(root, pg_database)
    unapplied = [d for d in found if d.kind == "unapplied-migration"]
    assert [(d.location.path, d.location.line) for d in unapplied] == [
        ("migrations/versions/0002_orders.py", 9),  # the `revision = ...` line, in upgrade order
        ("migrations/versions/0003_notes.py", 9),
    ]
    assert unapplied[0].describe() == (
        "migrations/versions/0002_orders.py:9: revision 0002 looks never applied: none of what it creates exists"
        " (table orders, index orders_pkey, index ix_orders_customer_created,"
        " foreign key orders_customer_id_fkey, foreign key orders_shop_id_fkey)"
    )
    assert unapplied[1].message == "revision 0003 looks never applied: none of what it creates exists (index ix_orders_shop_open)"
    (table,) = [d for d in found if d.kind == "missing-table"]
    assert (table.name, table.location.path, table.location.line) == ("orders", "migrations/versions/0002_orders.py", 16)
    assert {d.kind for d in found} == {"unapplied-migration", "missing-table"}


@pytest.mark.postgres
def test_one_revision_behind_names_that_revision_and_what_it_dropped(pg_database: str, tmp_path: Path) -> None:
    root = _upgraded(tmp_path, pg_database, "0002")
    found = {(d.kind, d.name): d for d in _drift(root, pg_database)}
    assert sorted(found) == [
        ("extra-index", "ix_orders_shop_partial"),  # 0003 drops it
        ("missing-index", "ix_orders_shop_open"),
        ("unapplied-migration", "migrations/versions/0003_notes.py"),
    ]
    missing = found[("missing-index", "ix_orders_shop_open")]
    assert (missing.location.path, missing.location.line) == ("migrations/versions/0003_notes.py", 18)


@pytest.mark.postgres
def test_no_drift_at_the_head(pg_database: str, tmp_path: Path) -> None:
    root = _upgraded(tmp_path, pg_database, "heads")
    assert _drift(root, pg_database) == []
