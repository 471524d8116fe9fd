from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from stacktune.pg import server
from stacktune.pg.server import ENV_URL, ServerUnavailable, fresh_database, throwaway_server


def _databases(uri: str) -> set[str]:
    with psycopg.connect(uri, autocommit=True) as conn:
        return {r[0] for r in conn.execute("SELECT datname FROM pg_database")}


@pytest.mark.postgres
def test_fresh_database_is_created_empty_and_dropped(pg_server: str) -> None:
    with fresh_database(pg_server) as uri:
        with psycopg.connect(uri) as conn:
            name = conn.execute("SELECT current_database()").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
        assert name.startswith("stacktune_")
        assert tables == 0
        assert name in _databases(pg_server)
    assert name not in _databases(pg_server)


@pytest.mark.postgres
def test_throwaway_server_with_a_url_uses_a_fresh_database(pg_server: str) -> None:
    with throwaway_server(pg_server) as uri:
        with psycopg.connect(uri) as conn:
            name = conn.execute("SELECT current_database()").fetchone()[0]
        assert name.startswith("stacktune_")
    assert name not in _databases(pg_server)


def test_unreachable_url_raises_server_unavailable_without_password() -> None:
    url = "postgresql://app:Pw-Not-Shown@nonexistent.invalid/db"
    with pytest.raises(ServerUnavailable) as caught, throwaway_server(url):
        pass
    assert "nonexistent.invalid" in str(caught.value)
    assert "Pw-Not-Shown" not in str(caught.value)


def test_no_way_at_all_says_what_was_tried(monkeypatch: pytest.MonkeyPatch) -> None:
    def absent() -> None:
        raise server._NotHere("not here in this test")

    monkeypatch.delenv(ENV_URL, raising=False)
    monkeypatch.setattr(server, "_pgserver", absent)
    monkeypatch.setattr(server, "_initdb_cluster", absent)
    with pytest.raises(ServerUnavailable) as caught, throwaway_server():
        pass
    message = str(caught.value)
    assert ENV_URL in message
    assert "pgserver: not here in this test" in message
    assert "initdb + pg_ctl: not here in this test" in message


@pytest.mark.postgres
def test_initdb_cluster_starts_and_is_removed() -> None:
    """The PATH initdb fallback: a private cluster, run unprivileged when we are root."""
    if shutil.which("initdb") is None and not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        # Not installed here: the fallback must then say so rather than crash.
        with pytest.raises(server._NotHere, match="initdb/pg_ctl not found"), server._initdb_cluster():
            pass
        return
    with server._initdb_cluster() as uri:
        socket_dir = Path(conninfo_to_dict(uri)["host"])
        with psycopg.connect(uri) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
            data_dir = Path(conn.execute("SELECT current_setting('data_directory')").fetchone()[0])
        if os.geteuid() == 0:
            assert data_dir.stat().st_uid != 0
    assert not socket_dir.exists()


@pytest.mark.postgres
def test_embedded_server_starts_without_runtime_dir_warning() -> None:
    """pgserver's platformdirs warns about XDG_RUNTIME_DIR at import: silenced."""
    script = "from stacktune.pg.server import throwaway_server\nwith throwaway_server() as uri:\n    print(uri)\n"
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_RUNTIME_DIR", ENV_URL)}
    done = subprocess.run(
        [sys.executable, "-W", "error::Warning", "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("postgresql://")
    assert "XDG_RUNTIME_DIR" not in done.stderr
