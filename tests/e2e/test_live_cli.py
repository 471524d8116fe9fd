"""The live commands end to end: verify, drift, apply (dry run, refusal, build), never a password in sight."""

from __future__ import annotations

import sys
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner, Result
from psycopg.conninfo import make_conninfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "live"))
from live_helpers import build_shop, index_validity  # noqa: E402
from repo_fixtures import MIGRATIONS, write_repo  # noqa: E402

from stacktune.cli import app  # noqa: E402

SECRET = "Sup3r-s3cret-pw"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "backend"


def _run(*args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
    assert SECRET not in result.output + (result.stderr or "")
    return result


def _with_password(uri: str) -> str:
    """The same database as a user with a password (the test server trusts local connections)."""
    with psycopg.connect(uri, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'stx_user'").fetchone():
            conn.execute(f"CREATE ROLE stx_user LOGIN SUPERUSER PASSWORD '{SECRET}'")
    return make_conninfo(uri, user="stx_user", password=SECRET)


@pytest.mark.postgres
def test_verify_the_example_backend(pg_server: str) -> None:
    result = _run("verify", str(EXAMPLE), "--server-url", pg_server)
    assert result.exit_code == 0, result.output
    assert "foreign keys compared" in result.output and "equal" in result.output


@pytest.mark.postgres
def test_drift_lists_the_unapplied_migration(pg_database: str, tmp_path: Path) -> None:
    root = write_repo(tmp_path, models=None)
    with psycopg.connect(pg_database, autocommit=True) as conn:
        conn.execute(MIGRATIONS["001_init.sql"] + MIGRATIONS["002_order_user.sql"])
    result = _run("drift", str(root), "--database-url", _with_password(pg_database))
    assert result.exit_code == 1
    assert "unapplied-migration migrations/003_coupons.sql:1: migration migrations/003_coupons.sql looks never applied" in result.output


@pytest.mark.postgres
def test_apply_dry_run_refusal_and_build(pg_database: str) -> None:
    build_shop(pg_database, 2000)
    url = _with_password(pg_database)
    dry = _run("apply", "--dry-run", env={"DATABASE_URL": url})
    assert dry.exit_code == 0
    assert "CREATE INDEX CONCURRENTLY idx_orders_user_id ON public.orders (user_id) WHERE user_id IS NOT NULL;" in dry.output
    assert index_validity(pg_database, "idx_orders_user_id") is None
    refused = _run("apply", "--database-url", url)
    assert refused.exit_code == 2
    assert "no --yes" in refused.output + (refused.stderr or "")
    done = _run("apply", "--database-url", url, "--yes")
    assert done.exit_code == 0, done.output
    assert done.output.count("built") >= 3
    assert index_validity(pg_database, "idx_orders_user_id") is True
    again = _run("apply", "--database-url", url, "--yes")
    assert (again.exit_code, "nothing to do" in again.output) == (0, True)


@pytest.mark.postgres
def test_apply_a_migration_file(pg_database: str, tmp_path: Path) -> None:
    build_shop(pg_database, 100)
    migration = tmp_path / "007_ix.sql"
    migration.write_text("CREATE INDEX CONCURRENTLY orders_note_ix ON orders (note);\n", encoding="utf-8")
    result = _run("apply", "--database-url", _with_password(pg_database), "--file", str(migration), "--yes")
    assert result.exit_code == 0, result.output
    assert index_validity(pg_database, "orders_note_ix") is True


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://stx_user:{SECRET}@127.0.0.1:1/app",
        f"postgresql://stx_user@127.0.0.1:1/app?password={SECRET}",
        f"host=127.0.0.1 port=1 user=stx_user password='{SECRET}' dbname=app",
    ],
)
@pytest.mark.parametrize("command", ["drift", "apply"])
def test_connection_errors_never_show_the_password(url: str, command: str, tmp_path: Path) -> None:
    args = [command, str(write_repo(tmp_path, models=None))] if command == "drift" else [command, "--dry-run"]
    result = _run(*args, "--database-url", url)
    assert result.exit_code == 2
    assert "cannot connect" in result.output + (result.stderr or "")


@pytest.mark.postgres
def test_audit_of_the_database_never_shows_the_password(pg_database: str) -> None:
    build_shop(pg_database, 10)
    result = _run("audit", "--database-url", _with_password(pg_database))
    assert result.exit_code == 1
    assert "orders" in result.output
