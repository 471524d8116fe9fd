"""Shared fixtures: one throwaway PostgreSQL per test session, a fresh database per test.

Tests that use them carry `@pytest.mark.postgres`. When no server can be had the
fixture fails with the reason: truth tests are never skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from stacktune.pg.server import ServerUnavailable, fresh_database, throwaway_server


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """URI of a disposable PostgreSQL server shared by the whole session."""
    with ExitStack() as stack:
        try:
            uri = stack.enter_context(throwaway_server())
        except ServerUnavailable as exc:
            pytest.fail(str(exc), pytrace=False)
        yield uri


@pytest.fixture
def pg_database(pg_server: str) -> Iterator[str]:
    """URI of an empty database, dropped after the test."""
    with fresh_database(pg_server) as uri:
        yield uri
