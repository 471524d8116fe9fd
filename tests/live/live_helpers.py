"""Shared set-up for the live tests: a parent/child schema with rows, and a recording progress sink."""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg

from stacktune.live.progress import ProgressSample
from stacktune.pg.connect import connect

SHOP_SQL = """
CREATE TABLE users (id int PRIMARY KEY, name text);
CREATE TABLE shops (id int PRIMARY KEY);
CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    user_id int REFERENCES users ON DELETE CASCADE,
    shop_id int NOT NULL REFERENCES shops,
    note text
);
CREATE TABLE tiny (id int PRIMARY KEY, user_id int REFERENCES users);
INSERT INTO users SELECT g, 'u' || g FROM generate_series(1, 1000) g;
INSERT INTO shops SELECT g FROM generate_series(1, 100) g;
"""


def build_shop(uri: str, orders: int) -> None:
    """The shop schema with `orders` rows in orders, statistics up to date."""
    with connect(uri, read_only=False, statement_timeout_ms=None) as conn:
        conn.execute(SHOP_SQL)
        conn.execute(
            "INSERT INTO orders (user_id, shop_id, note)"
            " SELECT 1 + g %% 1000, 1 + g %% 100, repeat('x', 20) FROM generate_series(1, %s) g",
            (orders,),
        )
        conn.execute("ANALYZE")


def index_validity(uri: str, name: str) -> bool | None:
    """True/False for a valid/INVALID index of that name, None when there is none."""
    with psycopg.connect(uri, autocommit=True) as conn:
        row = conn.execute(
            "SELECT x.indisvalid AND x.indisready FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid"
            " WHERE c.relname = %s",
            (name,),
        ).fetchone()
    return None if row is None else row[0]


@dataclass
class RecordingSink:
    """A ProgressSink that keeps everything it is told."""

    begun: list[tuple[str, int]] = field(default_factory=list)
    samples: list[ProgressSample] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)

    def begin(self, label: str, attempt: int) -> None:
        self.begun.append((label, attempt))

    def update(self, sample: ProgressSample) -> None:
        self.samples.append(sample)

    def end(self, outcome: str) -> None:
        self.ended.append(outcome)
