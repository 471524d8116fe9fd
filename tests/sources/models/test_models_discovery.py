"""Model discovery and SQLModel fields: files a backend splits its models into."""

from __future__ import annotations

from pathlib import Path

from models_helpers import write

from stacktune.model.events import CreateIndex, CreateTable
from stacktune.replay.engine import replay
from stacktune.sources.models import find_model_files, read_models


def _schema(root: Path):
    result = read_models(root, find_model_files(root))
    replayer = replay([result.events])
    assert replayer.problems == [] and result.diagnostics == []
    return result, replayer.schema


def test_columns_declared_on_the_base_in_a_file_without_tables(tmp_path: Path) -> None:
    write(tmp_path, {
        "db/base.py": """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
            class Base(DeclarativeBase):
                id: Mapped[int] = mapped_column(primary_key=True)
        """,
        "db/models.py": """
            from sqlalchemy import ForeignKey
            from sqlalchemy.orm import Mapped, mapped_column
            from .base import Base
            class Parent(Base):
                __tablename__ = "parent"
            class Child(Base):
                __tablename__ = "child"
                parent_id: Mapped[int] = mapped_column(ForeignKey("parent.id"))
        """,
    })
    _, schema = _schema(tmp_path)
    assert list(schema.tables[("public", "child")].columns) == ["parent_id", "id"]
    assert [fk.columns for fk in schema.tables[("public", "child")].foreign_keys.values()] == [("parent_id",)]


def test_a_base_file_alone_is_no_models_source(tmp_path: Path) -> None:
    write(tmp_path, {"base.py": "from sqlalchemy.orm import DeclarativeBase\nclass Base(DeclarativeBase):\n    pass\n"})
    assert find_model_files(tmp_path) == []


def test_flask_models_without_tablename_are_found(tmp_path: Path) -> None:
    write(tmp_path, {"app/models.py": """
        from app import db
        class User(db.Model):
            id = db.Column(db.Integer, primary_key=True)
        class BlogPost(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            user_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    """})
    _, schema = _schema(tmp_path)
    fks = schema.tables[("public", "blog_post")].foreign_keys
    assert [(fk.columns, fk.ref_table) for fk in fks.values()] == [(("user_id",), "user")]


def test_sqlmodel_fields_and_a_non_table_base_in_another_file(tmp_path: Path) -> None:
    write(tmp_path, {
        "models/base.py": """
            from sqlmodel import Field, SQLModel
            class ItemBase(SQLModel):
                title: str = Field(index=True)
                note: str | None = None
                owner_id: int | None = Field(default=None, foreign_key="owner.id")
        """,
        "models/tables.py": """
            from typing import ClassVar
            from sqlmodel import Field, Relationship, SQLModel
            from .base import ItemBase
            class Owner(SQLModel, table=True):
                id: int | None = Field(default=None, primary_key=True)
                kind: ClassVar[str] = "owner"
                items: list["Item"] = Relationship(back_populates="owner")
            class Item(ItemBase, table=True):
                id: int | None = Field(default=None, primary_key=True)
                parent_id: int = Field(foreign_key="item.id", ondelete="CASCADE", index=True)
        """,
    })
    result, schema = _schema(tmp_path)
    item = schema.tables[("public", "item")]
    assert {name: c.not_null for name, c in item.columns.items()} == {
        "id": True, "parent_id": True, "title": True, "note": False, "owner_id": False}
    assert list(schema.tables[("public", "owner")].columns) == ["id"]
    assert sorted((fk.columns, fk.ref_table, fk.on_delete) for fk in item.foreign_keys.values()) == [
        (("owner_id",), "owner", "NO ACTION"), (("parent_id",), "item", "CASCADE")]
    indexes = sorted(e.name for e in result.events if isinstance(e, CreateIndex))
    assert indexes == ["ix_item_parent_id", "ix_item_title"]
    assert [str(e.table) for e in result.events if isinstance(e, CreateTable)] == ["owner", "item"]
