"""The live audit equals the static audit for every fixture: build it for real, audit the database, compare FK by FK."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from truth.test_alembic_truth import upgrade_heads
from truth.test_truth import build_on_postgres, verdicts

from stacktune.audit import AuditRequest, AuditResult, run_audit

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
CASES = [
    *sorted(p for p in (FIXTURES / "truth").iterdir() if p.is_dir()),
    *sorted(p for p in (FIXTURES / "alembic").iterdir() if p.is_dir()),
    REPO / "examples" / "backend",
]


def _built(fixture: Path, db_uri: str, tmp_path: Path) -> AuditResult:
    """The static audit of the fixture, after building it on db_uri as its own tool would."""
    if fixture.parent.name != "alembic":
        static = run_audit(AuditRequest(root=fixture))
        build_on_postgres(db_uri, static)
        return static
    root = Path(shutil.copytree(fixture, tmp_path / fixture.name))  # Alembic writes __pycache__
    static = run_audit(AuditRequest(root=root))
    upgrade_heads(root, db_uri)
    return static


@pytest.mark.postgres
@pytest.mark.parametrize("fixture", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_live_audit_equals_static_audit(fixture: Path, pg_database: str, tmp_path: Path) -> None:
    static = _built(fixture, pg_database, tmp_path)
    live = run_audit(AuditRequest(root=fixture, database_url=pg_database))
    assert live.schema_from == "database"

    ours, theirs = verdicts(static.context.schema), verdicts(live.context.schema)
    assert ours, "every fixture declares foreign keys"
    assert sorted(ours) == sorted(theirs)
    for fk, verdict in ours.items():  # (columns, referenced table and columns, ON DELETE, verdict, covered_by)
        assert theirs[fk] == verdict, fk
