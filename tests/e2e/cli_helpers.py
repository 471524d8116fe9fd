"""Shared helpers for the CLI end-to-end tests: run the command group, copy fixtures, write migrations."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from stacktune.cli import app

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "backend"

CLEAN_MIGRATIONS = {
    "001_users.sql": "CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE);\n",
    "002_orders.sql": (
        "CREATE TABLE orders (\n"
        "    id bigserial PRIMARY KEY,\n"
        "    user_id bigint NOT NULL REFERENCES users (id)\n"
        ");\n"
        "CREATE INDEX orders_user_id_idx ON orders (user_id);\n"
    ),
}


def run(*args: str) -> Result:
    """The CLI's result; an exception escaping it fails the test with its traceback."""
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def copy_example(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLE, tmp_path / "backend"))


def write_repo(root: Path, migrations: dict[str, str | bytes]) -> Path:
    folder = root / "migrations"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in migrations.items():
        if isinstance(text, bytes):
            (folder / name).write_bytes(text)
        else:
            (folder / name).write_text(text, encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file below root with its bytes: a tree changed by nothing compares equal."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
