"""verify: the static audit equals the catalog of the same repository built on PostgreSQL."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "live"))
from repo_fixtures import MIGRATIONS, MODELS, write_repo  # noqa: E402

from stacktune.audit import AuditRequest  # noqa: E402
from stacktune.checks.context import AuditContext  # noqa: E402
from stacktune.model.events import IndexKey  # noqa: E402
from stacktune.model.location import Location  # noqa: E402
from stacktune.model.schema import Column, ForeignKey, Index, Schema, Table  # noqa: E402
from stacktune.verify import compare_coverage, verify  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "backend"


def _fixtures(tmp_path: Path) -> dict[str, Path]:
    return {
        "example-backend": EXAMPLE,
        "models-and-migrations": write_repo(tmp_path / "both"),
        "migrations-only": write_repo(tmp_path / "sql", models=None),
    }


@pytest.mark.postgres
@pytest.mark.parametrize("name", ["example-backend", "models-and-migrations", "migrations-only"])
def test_live_audit_equals_static_audit(pg_server: str, tmp_path: Path, name: str) -> None:
    report = verify(AuditRequest(root=_fixtures(tmp_path)[name]), server_url=pg_server)
    assert report.build.failures == []
    assert report.compared == len(report.audit.context.coverage) > 0
    assert report.differences == [], [d.describe() for d in report.differences]


@pytest.mark.postgres
def test_a_failing_statement_is_reported_with_file_line_and_the_next_file_runs(pg_server: str, tmp_path: Path) -> None:
    migrations = dict(MIGRATIONS)
    migrations["002_order_user.sql"] = "SELECT 1;\n-- 坏\nCREATE INDEX idx_orders_user ON orders (no_such_column);\n"
    root = write_repo(tmp_path, migrations, models=None)
    report = verify(AuditRequest(root=root), server_url=pg_server)
    (failure,) = report.build.failures
    assert (failure.location.path, failure.location.line) == ("migrations/002_order_user.sql", 3)
    assert "no_such_column" in failure.message
    assert report.build.files_applied == 2  # 001 and 003
    assert report.differences == []  # replay refuses the same statement


@pytest.mark.postgres
def test_models_that_do_not_import_are_said_and_migrations_still_built(pg_server: str, tmp_path: Path) -> None:
    root = write_repo(tmp_path, models="import not_installed_anywhere\n" + MODELS)
    report = verify(AuditRequest(root=root, schema_from="both"), server_url=pg_server)
    assert any("models not imported" in note and "not_installed_anywhere" in note for note in report.build.notes)
    assert report.build.files_applied == 3


def _context(index_on_fk: bool, extra_fk: bool = False) -> AuditContext:
    loc = Location("m/001.sql", 4)
    child = Table("public", "child", columns={"pid": Column("pid", "int4")}, location=loc)
    child.foreign_keys["child_pid_fkey"] = ForeignKey("child_pid_fkey", ("pid",), "public", "parent", ("id",), location=loc)
    if extra_fk:
        child.foreign_keys["child_pid_fkey1"] = ForeignKey("child_pid_fkey1", ("pid",), "public", "other", ("id",))
    if index_on_fk:
        child.indexes["ix"] = Index("ix", (IndexKey("pid"),))
    return AuditContext(Schema(tables={child.key: child}))


def test_compare_coverage_reports_verdicts_and_one_sided_fks() -> None:
    compared, differences = compare_coverage(_context(index_on_fk=True), _context(index_on_fk=False, extra_fk=True))
    assert compared == 1
    assert [(d.kind, d.constraint) for d in differences] == [
        ("only-in-database", "child_pid_fkey1"),  # references "other", sorted before "parent"
        ("verdict", "child_pid_fkey"),
    ]
    assert differences[1].describe() == (
        "m/001.sql:4: child(pid) [child_pid_fkey]: static says covered (ix), the database says uncovered"
    )
    assert compare_coverage(_context(True), _context(True)) == (1, [])
