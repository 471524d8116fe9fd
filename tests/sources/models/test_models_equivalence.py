"""The static reader must emit exactly what SQLAlchemy's own create_all() sends.

Each case is imported for real (the import reader runs create_all on a mock PostgreSQL
engine) and read statically; the events must be equal, locations aside.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from models_helpers import static_and_imported

CASES: dict[str, str] = {
    "declarative_columns": """
        from sqlalchemy import Column, Integer, String, Text, ForeignKey, BigInteger, Boolean, DateTime, CheckConstraint
        from sqlalchemy.orm import declarative_base
        Base = declarative_base()
        class User(Base):
            __tablename__ = "users"
            id = Column(BigInteger, primary_key=True)
            email = Column("email_address", String(200), unique=True, nullable=False)
            name = Column(Text, index=True)
            active = Column(Boolean, CheckConstraint("active"), nullable=False)
            __table_args__ = (CheckConstraint("id > 0"),)
            seen = Column(DateTime(timezone=True))
        class Post(Base):
            __tablename__ = "posts"
            id = Column(Integer, primary_key=True)
            author_id = Column(ForeignKey("users.id", ondelete="CASCADE", name="posts_author_fk"), nullable=False)
            editor_id = Column("editor", BigInteger, ForeignKey(User.id, onupdate="set null"))
            slug = Column(String, unique=True, index=True)
            other = Column(Integer, key="other_key", index=True)
    """,
    "mapped_column_sa2": """
        from typing import Optional
        import uuid
        from sqlalchemy import ForeignKey, String
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
        class Base(DeclarativeBase):
            pass
        class Org(Base):
            __tablename__ = "orgs"
            id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
            name: Mapped[str] = mapped_column(String(50))
            note: Mapped[Optional[str]]
            size: Mapped[int | None] = mapped_column(index=True)
            rank: Mapped[int]
        class Member(Base):
            __tablename__ = "members"
            id: Mapped[int] = mapped_column(primary_key=True)
            org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orgs.id"))
            boss_id: Mapped[Optional[int]] = mapped_column(ForeignKey("members.id"), nullable=False)
            nick: Mapped[str | None] = mapped_column("nickname", unique=True)
    """,
    "table_args_and_indexes": """
        from sqlalchemy import (Column, Integer, String, ForeignKey, Index, UniqueConstraint, CheckConstraint,
                                PrimaryKeyConstraint, ForeignKeyConstraint, text, func)
        from sqlalchemy.orm import declarative_base
        Base = declarative_base()
        class A(Base):
            __tablename__ = "a"
            x = Column(Integer)
            y = Column(Integer)
            label = Column(String)
            __table_args__ = (
                PrimaryKeyConstraint("x", "y", name="a_pk"),
                UniqueConstraint("label", name="a_label_uq"),
                CheckConstraint("x > 0", name="a_x_positive"),
                {"schema": "app"},
            )
        class B(Base):
            __tablename__ = "b"
            id = Column(Integer, primary_key=True)
            ax = Column(Integer)
            ay = Column(Integer)
            email = Column(String)
            deleted = Column(Integer)
            __table_args__ = (
                ForeignKeyConstraint(["ax", "ay"], ["app.a.x", "app.a.y"], ondelete="CASCADE"),
                Index("ix_b_ax_ay", "ax", "ay"),
                Index("ix_b_live", "ax", postgresql_where=text("deleted IS NULL")),
                Index("ix_b_email_lower", func.lower(email), unique=True),
                Index("ix_b_email_ops", "email", postgresql_ops={"email": "text_pattern_ops"}),
                Index("ix_b_inc", "ay", postgresql_include=["email"], postgresql_using="btree"),
                UniqueConstraint("email"),
            )
        Index("ix_b_module", B.deleted, B.__table__.c.ay)
    """,
    "mixins_and_inheritance": """
        from sqlalchemy import Column, Integer, String, ForeignKey, DateTime
        from sqlalchemy.orm import declarative_base, declared_attr
        Base = declarative_base()
        class Timestamps:
            created = Column(DateTime, index=True)
        class OwnedMixin:
            @declared_attr
            def owner_id(cls):
                return Column(Integer, ForeignKey("users.id"), index=True)
            @declared_attr
            def __table_args__(cls):
                return ({"schema": None},)
        class Model(Base):
            __abstract__ = True
            id = Column(Integer, primary_key=True)
        class User(Model):
            __tablename__ = "users"
            name = Column(String)
        class Doc(Timestamps, OwnedMixin, Model):
            __tablename__ = "docs"
            kind = Column(String)
            __mapper_args__ = {"polymorphic_on": kind}
        class Memo(Doc):
            subject = Column(String, index=True)
            __mapper_args__ = {"polymorphic_identity": "memo"}
        class Report(Doc):
            __tablename__ = "reports"
            id = Column(Integer, ForeignKey("docs.id"), primary_key=True)
            pages = Column(Integer)
            __mapper_args__ = {"polymorphic_identity": "report"}
    """,
    "naming_convention": """
        from sqlalchemy import Column, Integer, String, ForeignKey, MetaData, Index, UniqueConstraint, CheckConstraint
        from sqlalchemy.orm import DeclarativeBase
        NAMING = {
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s_%(referred_column_0_name)s",
            "pk": "pk_%(table_name)s",
        }
        class Base(DeclarativeBase):
            metadata = MetaData(naming_convention=NAMING)
        class Account(Base):
            __tablename__ = "accounts"
            id = Column(Integer, primary_key=True)
            code = Column(String, unique=True)
        class VeryLongNamedTransactionLedgerEntry(Base):
            __tablename__ = "very_long_named_transaction_ledger_entries_for_accounts"
            id = Column(Integer, primary_key=True)
            account_identifier_reference = Column(Integer, ForeignKey("accounts.id"), index=True)
            a = Column(Integer)
            b = Column(Integer)
            __table_args__ = (UniqueConstraint("a", "b"), CheckConstraint("a < b", name="a_lt_b"),
                              Index(None, "b"))
    """,
    "association_table_and_cycle": """
        from sqlalchemy import Column, Integer, ForeignKey, Table
        from sqlalchemy.orm import declarative_base
        Base = declarative_base()
        tags = Table("post_tags", Base.metadata,
                     Column("post_id", ForeignKey("posts.id"), primary_key=True),
                     Column("tag_id", Integer, ForeignKey("tags.id"), primary_key=True, index=True),
                     schema=None)
        class Tag(Base):
            __tablename__ = "tags"
            id = Column(Integer, primary_key=True)
        class Post(Base):
            __tablename__ = "posts"
            id = Column(Integer, primary_key=True)
            latest_rev_id = Column(Integer, ForeignKey("revisions.id"))
            tag_id = Column(Integer, ForeignKey("tags.id"))
        class Revision(Base):
            __tablename__ = "revisions"
            id = Column(Integer, primary_key=True)
            post_id = Column(Integer, ForeignKey("posts.id"))
        class Node(Base):
            __tablename__ = "nodes"
            id = Column(Integer, primary_key=True)
            parent_id = Column(Integer, ForeignKey("nodes.id"))
            other_id = Column(Integer, ForeignKey("zeds.id", use_alter=True))
        class Zed(Base):
            __tablename__ = "zeds"
            id = Column(Integer, primary_key=True)
    """,
    "flask_style": """
        from flask_sqlalchemy_stub import db
        class UserAccount(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            email = db.Column(db.String(120), unique=True, nullable=False)
        class Address(db.Model):
            __tablename__ = "addresses"
            id = db.Column(db.Integer, primary_key=True)
            user_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=False)
            __table_args__ = (db.Index("ix_addr_user", "user_id"),)
    """,
}

# A tiny Flask-SQLAlchemy lookalike, so the Flask spelling can be imported without Flask.
FLASK_STUB = """
import re
import sqlalchemy
from sqlalchemy.orm import DeclarativeBase, declared_attr
class _Base(DeclarativeBase):
    @declared_attr.directive
    def __tablename__(cls):
        return re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\\1", cls.__name__).lower().lstrip("_")
class _DB:
    Model = _Base
    def __getattr__(self, name):
        return getattr(sqlalchemy, name)
db = _DB()
"""


@pytest.mark.parametrize("case", sorted(CASES))
def test_static_equals_sqlalchemy(tmp_path: Path, case: str) -> None:
    base = "Base"
    if case == "flask_style":
        (tmp_path / "flask_sqlalchemy_stub.py").write_text(FLASK_STUB)
        base = "db"  # the stub's db.Model carries the metadata
    static, imported, result = static_and_imported(tmp_path, CASES[case], base)
    assert [type(e).__name__ for e in static] == [type(e).__name__ for e in imported]
    for mine, theirs in zip(static, imported, strict=True):
        assert mine == theirs
    assert [d for d in result.diagnostics if "not among the models" not in d.message] == []
