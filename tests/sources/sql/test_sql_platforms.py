"""Platform schemas: a Supabase project's migrations run after auth/storage exist."""

from __future__ import annotations

from pathlib import Path

from stacktune.model.events import CreateTable, RelName
from stacktune.replay.engine import replay
from stacktune.sources.sql.layouts import read_migrations


def _write(root: Path, sql: str) -> Path:
    folder = root / "supabase" / "migrations"
    folder.mkdir(parents=True)
    (folder / "20240101000000_init.sql").write_text(sql, encoding="utf-8")
    return folder


def test_supabase_migrations_may_reference_auth_users(tmp_path: Path) -> None:
    folder = _write(tmp_path, "create table profiles (\n  id uuid primary key references auth.users (id),\n"
                              "  owner uuid references auth.users on delete cascade\n);\n")
    result = read_migrations(tmp_path, folder)
    replayer = replay([result.events])
    assert result.style == "supabase"
    assert replayer.problems == []
    fks = replayer.schema.tables[("public", "profiles")].foreign_keys
    assert sorted((fk.columns, fk.ref_schema, fk.ref_table) for fk in fks.values()) == [
        (("id",), "auth", "users"), (("owner",), "auth", "users")]
    # Only what the migrations reference is added: no storage tables here.
    assert sorted(replayer.schema.tables) == [("auth", "users"), ("public", "profiles")]


def test_plain_numbered_folder_gets_no_platform_tables(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "001_init.sql").write_text("create table p (id uuid references auth.users (id));\n", encoding="utf-8")
    replayer = replay([read_migrations(tmp_path, folder).events])
    assert [p.message for p in replayer.problems] == ['relation "auth.users" does not exist']


def test_a_project_that_creates_auth_itself_keeps_its_own(tmp_path: Path) -> None:
    folder = _write(tmp_path, "create schema if not exists auth;\n"
                              "create table if not exists auth.users (id bigint primary key, email text);\n"
                              "create table p (u bigint references auth.users (id));\n")
    result = read_migrations(tmp_path, folder)
    replayer = replay([result.events])
    assert replayer.problems == []
    users = [e for e in result.events if isinstance(e, CreateTable) and e.table == RelName("auth", "users")]
    assert [[c.name for c in e.columns] for e in users] == [["id", "email"]]
