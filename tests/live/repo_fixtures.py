"""Small repositories written into a temporary folder: models plus numbered SQL migrations."""

from __future__ import annotations

from pathlib import Path

MODELS = '''\
from sqlalchemy import ForeignKey, Integer, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, index=True)
'''

MIGRATIONS = {
    "001_init.sql": (
        "-- 初始表\n"
        "CREATE TABLE IF NOT EXISTS users (id int PRIMARY KEY);\n"
        "CREATE TABLE IF NOT EXISTS orders (id int PRIMARY KEY, user_id int NOT NULL REFERENCES users (id),"
        " note text NOT NULL);\n"
    ),
    "002_order_user.sql": "CREATE INDEX idx_orders_user ON orders (user_id);\n",
    "003_coupons.sql": (
        "CREATE TABLE coupons (id int PRIMARY KEY, order_id int REFERENCES orders (id));\n"
        "CREATE INDEX idx_coupons_order ON coupons (order_id) WHERE order_id IS NOT NULL;\n"
    ),
}


def write_repo(root: Path, migrations: dict[str, str] = MIGRATIONS, models: str | None = MODELS) -> Path:
    (root / "migrations").mkdir(parents=True)
    for name, text in migrations.items():
        (root / "migrations" / name).write_text(text, encoding="utf-8")
    if models is not None:
        (root / "app").mkdir()
        (root / "app" / "__init__.py").write_text("", encoding="utf-8")
        (root / "app" / "models.py").write_text(models, encoding="utf-8")
    return root
