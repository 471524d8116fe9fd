from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from stacktune.pg.connect import ConnectionFailed, connect

SECRET = "Wr0ng-S3cret-pw"
ROLE = "stacktune_pw_check"


def test_wrong_host_error_hides_the_password() -> None:
    with pytest.raises(ConnectionFailed) as caught:
        connect(f"postgresql://app:{SECRET}@nonexistent.invalid:5432/db", read_only=True, statement_timeout_ms=None)
    assert "nonexistent.invalid" in str(caught.value)
    assert SECRET not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_malformed_conninfo_error_hides_the_password() -> None:
    with pytest.raises(ConnectionFailed) as caught:
        connect(f"host=h password={SECRET} bogus_option=1", read_only=True, statement_timeout_ms=None)
    assert "bogus_option" in str(caught.value)
    assert SECRET not in str(caught.value)


@pytest.fixture
def password_role(pg_server: str) -> Iterator[str]:
    """A role that must authenticate by password (pg_hba rule prepended for it alone)."""
    with psycopg.connect(pg_server, autocommit=True) as admin:
        hba = Path(admin.execute("SHOW hba_file").fetchone()[0])
        original = hba.read_text()
        rules = f"local all {ROLE} scram-sha-256\nhost all {ROLE} all scram-sha-256\n"
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD 'the-right-one'").format(sql.Identifier(ROLE)))
        hba.write_text(rules + original)
        admin.execute("SELECT pg_reload_conf()")
        try:
            yield ROLE
        finally:
            hba.write_text(original)
            admin.execute("SELECT pg_reload_conf()")
            admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(ROLE)))


@pytest.mark.postgres
def test_wrong_password_error_hides_the_password(pg_server: str, password_role: str) -> None:
    params = conninfo_to_dict(pg_server)
    params.update(user=password_role, password=SECRET)
    with pytest.raises(ConnectionFailed) as caught:
        connect(make_conninfo(**params), read_only=True, statement_timeout_ms=None)
    assert "password authentication failed" in str(caught.value)
    assert SECRET not in str(caught.value)


@pytest.mark.postgres
def test_connect_sets_read_only_timeout_and_name(pg_database: str) -> None:
    with connect(pg_database, read_only=True, statement_timeout_ms=1500) as conn:
        row = conn.execute(
            "SELECT current_setting('default_transaction_read_only'), current_setting('statement_timeout'),"
            " current_setting('application_name')"
        ).fetchone()
        assert row == ("on", "1500ms", "stacktune")
        assert conn.autocommit
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("CREATE TABLE t (id int)")


@pytest.mark.postgres
def test_connect_read_write_without_timeout(pg_database: str) -> None:
    with connect(pg_database, read_only=False, statement_timeout_ms=None) as conn:
        conn.execute("CREATE TABLE t (id int)")
        assert conn.execute("SELECT current_setting('statement_timeout')").fetchone() == ("0",)
