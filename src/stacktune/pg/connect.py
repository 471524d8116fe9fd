"""Open a psycopg connection the way stacktune needs it, never leaking a password in errors."""

from __future__ import annotations

import psycopg
from psycopg.conninfo import conninfo_to_dict

from stacktune.pg.urls import MASK, redact_url

APPLICATION_NAME = "stacktune"


class ConnectionFailed(Exception):
    """A connection could not be opened; the message is safe to print (no password)."""


def connect(url: str, *, read_only: bool, statement_timeout_ms: int | None) -> psycopg.Connection:
    """An autocommit connection; read-only and time-limited when asked."""
    try:
        conn = psycopg.connect(url, autocommit=True, application_name=APPLICATION_NAME)
    except psycopg.Error as exc:
        # `from None`: the original exception text may quote the conninfo.
        raise ConnectionFailed(safe_message(str(exc), url)) from None
    try:
        conn.execute(
            "SELECT set_config('default_transaction_read_only', %s, false), set_config('statement_timeout', %s, false)",
            ("on" if read_only else "off", str(statement_timeout_ms or 0)),
        )
    except psycopg.Error as exc:
        conn.close()
        raise ConnectionFailed(safe_message(str(exc), url)) from None
    return conn


def safe_message(message: str, url: str) -> str:
    """`message` with the URL's password removed, whatever form libpq quoted it in."""
    text = redact_url(message)
    password = _password_of(url)
    if password:
        text = text.replace(password, MASK)
    return text


def _password_of(url: str) -> str | None:
    try:
        return conninfo_to_dict(url).get("password") or None
    except psycopg.Error:
        return None
