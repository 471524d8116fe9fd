"""Naming facts checked against SQLAlchemy's own DDL compiler (no database needed)."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, ForeignKey, Index, Integer, MetaData, Table, UniqueConstraint
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from stacktune.sources.models.naming import (
    DEFAULT_CONVENTION,
    NamingColumn,
    NamingError,
    NamingSubject,
    constraint_name,
    truncate,
)

DIALECT = postgresql.dialect()


def _index_sql(table: Table) -> str:
    return " ".join(str(CreateIndex(ix).compile(dialect=DIALECT)) for ix in table.indexes)


@pytest.mark.parametrize("schema", [None, "billing"])
def test_default_ix_label_includes_schema_when_qualified(schema: str | None) -> None:
    table = Table("invoices", MetaData(), Column("customer_id", Integer, index=True), schema=schema)
    subject = NamingSubject("invoices", schema, (NamingColumn("customer_id", "customer_id"),))
    ours = constraint_name("ix", DEFAULT_CONVENTION, subject)
    assert f"INDEX {ours} ON" in _index_sql(table)
    assert ours == ("ix_billing_invoices_customer_id" if schema else "ix_invoices_customer_id")


def test_long_generated_names_are_truncated_like_sqlalchemy() -> None:
    table = Table("t" * 40, MetaData(), Column("c" * 40, Integer, index=True))
    subject = NamingSubject("t" * 40, None, (NamingColumn("c" * 40, "c" * 40),))
    ours = constraint_name("ix", DEFAULT_CONVENTION, subject)
    assert len(ours) == 63 - 8 + 5 and f"INDEX {ours} ON" in _index_sql(table)


def test_multi_column_and_referred_tokens() -> None:
    convention = {
        "uq": "uq_%(table_name)s_%(column_0N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s_%(referred_column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
    md = MetaData(naming_convention=convention)
    Table("p", md, Column("id", Integer, primary_key=True), Column("k", Integer, primary_key=True))
    child = Table(
        "child", md, Column("a", Integer), Column("b", Integer),
        UniqueConstraint("a", "b"), ForeignKeyConstraint_ab(),
    )
    ddl = str(CreateTable(child).compile(dialect=DIALECT))
    cols = (NamingColumn("a", "a"), NamingColumn("b", "b"))
    uq = constraint_name("uq", convention, NamingSubject("child", None, cols))
    fk = constraint_name("fk", convention, NamingSubject("child", None, cols, None, "p", ("id", "k")))
    assert uq == "uq_child_ab" and f"CONSTRAINT {uq} UNIQUE" in ddl
    assert fk == "fk_child_a_b_p_id" and f"CONSTRAINT {fk} FOREIGN KEY" in ddl


def ForeignKeyConstraint_ab():  # noqa: N802 - reads like the SQLAlchemy call it builds
    from sqlalchemy import ForeignKeyConstraint

    return ForeignKeyConstraint(["a", "b"], ["p.id", "p.k"])


def test_explicit_names_win_unless_convention_uses_constraint_name() -> None:
    convention = {"uq": "uq_%(table_name)s_%(column_0_name)s", "ck": "ck_%(table_name)s_%(constraint_name)s"}
    subject = NamingSubject("t", None, (NamingColumn("a", "a"),), "mine")
    assert constraint_name("uq", convention, subject) == "mine"
    assert constraint_name("ck", convention, subject) == "ck_t_mine"
    with pytest.raises(NamingError):
        constraint_name("ck", convention, NamingSubject("t", None, ()))


def test_final_names_bypass_the_convention_and_column_key_is_not_the_name() -> None:
    md = MetaData()
    table = Table("t", md, Column("db_name", Integer, key="attr", index=True))
    subject = NamingSubject("t", None, (NamingColumn("db_name", "attr"),))
    assert f"INDEX {constraint_name('ix', DEFAULT_CONVENTION, subject)} ON" in _index_sql(table)
    assert constraint_name("ix", DEFAULT_CONVENTION, NamingSubject("t", None, (), "ix_given"), final=True) == "ix_given"
    assert truncate("x" * 63) == "x" * 63


def test_unnamed_index_without_ix_convention_has_no_name() -> None:
    table = Table("t", MetaData(naming_convention={"uq": "uq_%(column_0_name)s"}), Column("a", Integer))
    Index(None, table.c.a)
    assert constraint_name("ix", {"uq": "uq_%(column_0_name)s"}, NamingSubject("t", None, ())) is None
    with pytest.raises(AssertionError):  # SQLAlchemy cannot render it either
        _index_sql(table)


def test_fk_without_convention_is_unnamed_in_sqlalchemy_ddl() -> None:
    md = MetaData()
    Table("p", md, Column("id", Integer, primary_key=True))
    child = Table("c", md, Column("p_id", ForeignKey("p.id")))
    assert "CONSTRAINT" not in str(CreateTable(child).compile(dialect=DIALECT))
    assert constraint_name("fk", DEFAULT_CONVENTION, NamingSubject("c", None, ())) is None
