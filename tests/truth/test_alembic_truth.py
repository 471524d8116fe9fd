"""Truth tests for the Alembic source: real Alembic upgrades each fixture to its heads on a
throwaway PostgreSQL, and the static verdict for every FK (and every index) must equal the catalog's."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from truth.harness import catalog_schema
from truth.test_truth import assert_schema_equals_catalog

from stacktune.audit import AuditRequest, run_audit

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "alembic"
CASES = sorted(p for p in FIXTURES.iterdir() if p.is_dir())


@contextmanager
def _isolated_imports(folder: Path) -> Iterator[None]:
    """env.py imports the fixture's own modules (models, app.db): forget them afterwards."""
    modules, path = set(sys.modules), list(sys.path)
    try:
        yield
    finally:
        sys.path[:] = path
        for name in set(sys.modules) - modules:
            if str(folder) in str(getattr(sys.modules[name], "__file__", "") or ""):
                del sys.modules[name]


def upgrade_heads(project: Path, db_uri: str) -> None:
    """`alembic upgrade heads`, in-process, with the fixture's own alembic.ini pointed at db_uri."""
    from alembic import command
    from alembic.config import Config

    config = Config(str(project / "alembic.ini"))
    url = "postgresql+psycopg://" + db_uri.split("://", 1)[1]
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    with _isolated_imports(project):
        command.upgrade(config, "heads")


@pytest.mark.postgres
@pytest.mark.parametrize("fixture", CASES, ids=lambda p: p.name)
def test_static_revisions_equal_catalog(fixture: Path, pg_database: str, tmp_path: Path) -> None:
    project = tmp_path / fixture.name
    shutil.copytree(fixture, project)
    result = run_audit(AuditRequest(root=project))
    assert result.diagnostics == [], [str(d) for d in result.diagnostics]
    assert [p for p in result.context.replay_problems if not p.notice] == []
    upgrade_heads(project, pg_database)
    assert_schema_equals_catalog(result.context.schema, catalog_schema(pg_database))
