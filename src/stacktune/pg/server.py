"""Get a PostgreSQL server to build schemas on: a given URL, the embedded `pgserver`, or initdb.

Truth tests and `stacktune verify` need a real server. The caller does not care
which kind it gets, only that it is disposable: every way of getting one
cleans up after itself (a dropped database, a stopped and deleted cluster).
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path

from psycopg import sql

from stacktune.pg.connect import connect
from stacktune.pg.urls import redact_url, with_database

ENV_URL = "STACKTUNE_TEST_DATABASE_URL"
# Unprivileged accounts initdb may run as when we are root (initdb refuses root).
_NON_ROOT_USERS = ("postgres", "nobody")
_PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"


class ServerUnavailable(Exception):
    """No PostgreSQL server could be had; the message lists what was tried and how to fix it."""


class _NotHere(Exception):
    """One way of getting a server does not apply on this machine."""


@contextmanager
def throwaway_server(url: str | None = None) -> Iterator[str]:
    """Yield a libpq URI of a disposable PostgreSQL; everything it made is removed afterwards.

    With a URL (argument or $STACKTUNE_TEST_DATABASE_URL) the yielded URI is a
    fresh database on that server; otherwise a private cluster is started.
    """
    given = url or os.environ.get(ENV_URL)
    with ExitStack() as stack:
        if given:
            uri = _enter(stack, lambda: fresh_database(given), f"the server at {redact_url(given)}")
        else:
            uri = _start_private(stack)
        yield uri


@contextmanager
def fresh_database(server_uri: str) -> Iterator[str]:
    """Create an empty database on the server of `server_uri`, yield its URI, drop it after."""
    name = f"stacktune_{secrets.token_hex(6)}"
    with connect(server_uri, read_only=False, statement_timeout_ms=None) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    try:
        yield with_database(server_uri, name)
    finally:
        with connect(server_uri, read_only=False, statement_timeout_ms=None) as conn:
            # FORCE: a test that leaked a connection must not leave the database behind.
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _start_private(stack: ExitStack) -> str:
    failures: list[str] = []
    for label, starter in (("pgserver", _pgserver), ("initdb + pg_ctl", _initdb_cluster)):
        try:
            return _enter(stack, starter, label)
        except ServerUnavailable as exc:
            failures.append(str(exc))
    raise ServerUnavailable(
        "no PostgreSQL server available. Tried:\n  - "
        + "\n  - ".join([f"${ENV_URL}: not set", *failures])
        + f"\nFix: set {ENV_URL}=postgresql://user:password@host/db (a server where that user may"
        " CREATE DATABASE), or install the embedded server (`uv sync --group dev` installs"
        " pgserver on CPython <= 3.12), or put PostgreSQL's initdb and pg_ctl on PATH."
    )


def _enter(stack: ExitStack, starter: Callable[[], AbstractContextManager[str]], label: str) -> str:
    """Enter one way of getting a server, turning its failure into ServerUnavailable."""
    try:
        return stack.enter_context(starter())
    except ServerUnavailable:
        raise
    except _NotHere as exc:
        raise ServerUnavailable(f"{label}: {exc}") from None
    except Exception as exc:
        # Whatever a starter trips on (a missing binary, a crashed initdb, a refused
        # connection) means the same to the caller: this way failed, try the next.
        raise ServerUnavailable(f"{label}: {type(exc).__name__}: {redact_url(str(exc))}") from None


@contextmanager
def _pgserver() -> Iterator[str]:
    with warnings.catch_warnings():
        # platformdirs warns at import when XDG_RUNTIME_DIR is unset; its fallback is fine.
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        try:
            import pgserver
        except ImportError as exc:
            raise _NotHere(f"package not importable ({exc})") from None
    with tempfile.TemporaryDirectory(prefix="stacktune-pg-") as tmp:
        # "delete": pgserver stops the server, removes pgdata and drops its atexit hook.
        server = pgserver.get_server(Path(tmp) / "pgdata", cleanup_mode="delete")
        try:
            yield server.get_uri()
        finally:
            server.cleanup()


@contextmanager
def _initdb_cluster() -> Iterator[str]:
    bin_dir = _find_pg_bin()
    user = _unprivileged_user()
    run_as = [_require("runuser"), "-u", user, "--"] if user else []
    with tempfile.TemporaryDirectory(prefix="stacktune-pg-") as tmp:
        root = Path(tmp)
        data, sockets = root / "data", root / "sock"
        data.mkdir()
        sockets.mkdir()
        if user:
            # The unprivileged server must reach its own directories.
            root.chmod(0o755)
            account = pwd.getpwnam(user)
            for path in (data, sockets):
                os.chown(path, account.pw_uid, account.pw_gid)
        initdb = [
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        ]
        _run([*run_as, *initdb], cwd=root)
        pg_ctl = [*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-w"]
        # Unix socket only (-h ''): no TCP port to collide with; -F: no fsync, it is throwaway.
        _run([*pg_ctl, "-o", f"-h '' -k {sockets} -F", "-l", str(data / "server.log"), "start"], cwd=root)
        try:
            yield f"postgresql://postgres@/postgres?host={sockets}"
        finally:
            subprocess.run([*pg_ctl, "-m", "fast", "stop"], cwd=root, capture_output=True, check=True)


def _find_pg_bin() -> Path:
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    for candidate in sorted(Path("/").glob(_PG_BIN_GLOB.lstrip("/")), reverse=True):
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    raise _NotHere(f"initdb/pg_ctl not found on PATH nor under {_PG_BIN_GLOB}")


def _unprivileged_user() -> str | None:
    """The account to run initdb/pg_ctl as when we are root (initdb refuses root), else None."""
    if os.geteuid() != 0:
        return None
    for user in _NON_ROOT_USERS:
        try:
            pwd.getpwnam(user)
        except KeyError:
            continue
        return user
    raise _NotHere(f"running as root and none of the users {', '.join(_NON_ROOT_USERS)} exists")


def _require(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        raise _NotHere(f"running as root and `{program}` is not available to drop privileges")
    return found


def _run(command: list[str], cwd: Path) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        raise _NotHere(f"`{' '.join(command)}` failed: {(result.stderr or result.stdout).strip()}")
