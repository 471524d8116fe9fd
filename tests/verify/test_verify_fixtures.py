"""verify on every fixture: the repository built on PostgreSQL (Alembic projects by real Alembic) equals the static audit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from stacktune.audit import AuditRequest
from stacktune.cli import app
from stacktune.verify import verify

REPO = Path(__file__).resolve().parents[2]
TRUTH = sorted(p for p in (REPO / "tests" / "fixtures" / "truth").iterdir() if p.is_dir())
ALEMBIC = sorted(p for p in (REPO / "tests" / "fixtures" / "alembic").iterdir() if p.is_dir())


def _copy(fixture: Path, tmp_path: Path) -> Path:
    """Alembic imports env.py and the revisions (writing __pycache__): run on a copy."""
    return Path(shutil.copytree(fixture, tmp_path / fixture.name))


@pytest.mark.postgres
@pytest.mark.parametrize("fixture", TRUTH, ids=lambda p: p.name)
def test_verify_is_equal_on_every_truth_fixture(fixture: Path, pg_server: str) -> None:
    report = verify(AuditRequest(root=fixture), server_url=pg_server)
    assert report.build.failures == [], [str(f) for f in report.build.failures]
    assert report.build.notes == []
    assert report.compared == len(report.audit.context.coverage) > 0
    assert report.differences == [], [d.describe() for d in report.differences]
    assert report.equal


@pytest.mark.postgres
@pytest.mark.parametrize("fixture", ALEMBIC, ids=lambda p: p.name)
def test_verify_upgrades_alembic_projects_with_alembic(fixture: Path, pg_server: str, tmp_path: Path) -> None:
    root = _copy(fixture, tmp_path)
    report = verify(AuditRequest(root=root), server_url=pg_server)
    assert [s.kind for s in report.audit.sources if s.kind == "alembic"] == ["alembic"]
    assert report.build.failures == [], [str(f) for f in report.build.failures]
    assert report.build.notes == []
    alembic = next(s for s in report.audit.sources if s.kind == "alembic")
    assert report.build.files_applied == len(alembic.files) > 0
    assert report.compared == len(report.audit.context.coverage) > 0
    assert report.differences == [], [d.describe() for d in report.differences]


@pytest.mark.postgres
def test_verify_command_exits_0_on_an_alembic_project(pg_server: str, tmp_path: Path) -> None:
    root = _copy(REPO / "tests" / "fixtures" / "alembic" / "branched", tmp_path)
    result = CliRunner().invoke(app, ["verify", str(root), "--server-url", pg_server], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "(5 migration files applied): equal" in result.output


@pytest.mark.postgres
def test_env_py_is_never_run_so_its_imports_and_database_do_not_matter(pg_server: str, tmp_path: Path) -> None:
    # env.py decides where to connect: verify must not run it. Break it two ways.
    root = _copy(REPO / "tests" / "fixtures" / "alembic" / "linear", tmp_path)
    env_py = root / "migrations" / "env.py"
    env_py.write_text(
        "import not_installed_anywhere\nraise SystemExit('env.py must not run during verify')\n"
        + env_py.read_text("utf-8"),
        encoding="utf-8",
    )
    report = verify(AuditRequest(root=root), server_url=pg_server)
    assert report.build.notes == [] and report.build.failures == []
    assert report.build.files_applied > 0
    assert report.differences == [], [d.describe() for d in report.differences]


@pytest.mark.postgres
def test_a_revision_that_cannot_import_is_a_note_not_a_crash(pg_server: str, tmp_path: Path) -> None:
    root = _copy(REPO / "tests" / "fixtures" / "alembic" / "linear", tmp_path)
    first = min((root / "migrations" / "versions").glob("*.py"))
    first.write_text("import not_installed_anywhere\n" + first.read_text("utf-8"), encoding="utf-8")
    report = verify(AuditRequest(root=root), server_url=pg_server)
    (note,) = report.build.notes
    assert note.startswith("migrations: not built: a revision could not import")
    assert "No module named 'not_installed_anywhere'" in note
    assert report.build.files_applied == 0
    assert report.differences and all(d.kind == "only-in-repository" for d in report.differences)


@pytest.mark.postgres
def test_supabase_platform_tables_are_built_before_the_migrations(pg_server: str, tmp_path: Path) -> None:
    folder = tmp_path / "supabase" / "migrations"
    folder.mkdir(parents=True)
    (folder / "20240101000000_profiles.sql").write_text(
        "CREATE TABLE profiles (id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE);\n"
        "CREATE TABLE posts (id bigserial PRIMARY KEY, author uuid REFERENCES auth.users (id));\n",
        encoding="utf-8",
    )
    report = verify(AuditRequest(root=tmp_path), server_url=pg_server)
    assert report.build.failures == [] and report.build.notes == []
    assert report.compared == 2
    assert report.differences == [], [d.describe() for d in report.differences]
