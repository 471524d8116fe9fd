"""The harness on hand-written schemas; the planner table calibrates the coverage rule.

Each case is a child table with foreign keys to `parent` plus at most one extra
index; the expectation is what PostgreSQL 16's planner does with the FK check's
lookup (generic plan, un-analyzed tables).
"""

from __future__ import annotations

import psycopg
import pytest
from truth.harness import apply_sql, catalog_schema, planner_uses_index

BASE = """
CREATE TABLE parent (id int PRIMARY KEY, code text UNIQUE, a int, b int, UNIQUE (a, b));
CREATE TABLE child (
    id int PRIMARY KEY,
    parent_id int REFERENCES parent,
    parent_code text REFERENCES parent (code),
    pa int,
    pb int,
    other int,
    FOREIGN KEY (pa, pb) REFERENCES parent (a, b)
);
"""

# (extra index or None, FK columns probed, index the planner looks up through), id = the case
PLANNER_CASES = [
    pytest.param(None, ("parent_id",), None, id="a-no-index"),
    pytest.param("CREATE INDEX ix ON child (parent_id)", ("parent_id",), "ix", id="b-btree"),
    # The planner scans the whole index with the FK column as a non-leading condition: no lookup.
    pytest.param("CREATE INDEX ix ON child (other, parent_id)", ("parent_id",), None, id="c-fk-second"),
    pytest.param(
        "CREATE INDEX ix ON child (parent_id) WHERE parent_id IS NOT NULL",
        ("parent_id",),
        "ix",
        id="d-partial-not-null",
    ),
    pytest.param("CREATE INDEX ix ON child (parent_id) WHERE other > 0", ("parent_id",), None, id="e-partial-other"),
    pytest.param("CREATE INDEX ix ON child USING brin (parent_id)", ("parent_id",), None, id="f-brin"),
    pytest.param("CREATE INDEX ix ON child USING hash (parent_id)", ("parent_id",), "ix", id="g-hash"),
    pytest.param("CREATE INDEX ix ON child (other) INCLUDE (parent_id)", ("parent_id",), None, id="h-include-only"),
    pytest.param("CREATE INDEX ix ON child (pb, pa)", ("pa", "pb"), "ix", id="i-multi-reversed"),
    pytest.param("CREATE INDEX ix ON child (lower(parent_code))", ("parent_code",), None, id="j-expression"),
    pytest.param("CREATE INDEX ix ON child (parent_id, other)", ("parent_id",), "ix", id="k-fk-leading"),
]


@pytest.mark.postgres
@pytest.mark.parametrize(("index_sql", "columns", "expected"), PLANNER_CASES)
def test_planner_uses_index(
    pg_database: str, index_sql: str | None, columns: tuple[str, ...], expected: str | None
) -> None:
    apply_sql(pg_database, [BASE, *([index_sql] if index_sql else [])])
    assert planner_uses_index(pg_database, "public", "child", columns) == expected


@pytest.mark.postgres
def test_planner_uses_the_primary_key_of_the_referenced_side(pg_database: str) -> None:
    apply_sql(pg_database, [BASE])
    assert planner_uses_index(pg_database, "public", "parent", ["id"]) == "parent_pkey"
    assert planner_uses_index(pg_database, "public", "parent", ["b", "a"]) == "parent_a_b_key"


@pytest.mark.postgres
def test_planner_quotes_identifiers(pg_database: str) -> None:
    apply_sql(
        pg_database,
        [
            'CREATE SCHEMA "My App"; CREATE TABLE "My App"."T" ("User Id" int)',
            'CREATE INDEX "Ix" ON "My App"."T" ("User Id")',
        ],
    )
    assert planner_uses_index(pg_database, "My App", "T", ["User Id"]) == "Ix"


@pytest.mark.postgres
def test_apply_sql_rolls_back_a_failing_text_like_a_runner(pg_database: str) -> None:
    apply_sql(pg_database, ["CREATE TABLE kept (id int)"])
    with pytest.raises(psycopg.errors.UndefinedTable):
        apply_sql(pg_database, ["CREATE TABLE lost (id int); INSERT INTO missing VALUES (1)"])
    assert set(catalog_schema(pg_database).tables) == {("public", "kept")}


@pytest.mark.postgres
def test_apply_sql_without_transaction_allows_concurrently(pg_database: str) -> None:
    apply_sql(pg_database, ["CREATE TABLE t (id int)"])
    apply_sql(pg_database, ["CREATE INDEX CONCURRENTLY t_id ON t (id)"], transactional=False)
    assert set(catalog_schema(pg_database).table("public", "t").indexes) == {"t_id"}


MODELS = """
from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)


class Post(Base):
    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
"""

LEGACY_MODELS = """
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table
from sqlalchemy.orm import declarative_base

Base = declarative_base()
other = MetaData()


class Account(Base):
    __tablename__ = "accounts"
    id = Column(Integer, primary_key=True)


audit = Table("audit", other, Column("id", Integer, primary_key=True))
"""
