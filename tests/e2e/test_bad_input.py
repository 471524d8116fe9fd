"""Bad input never stops the audit: each problem is a diagnostic with path:line and the parser's words."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import CLEAN_MIGRATIONS, run, write_repo

ITEMS = "CREATE TABLE items (id bigserial PRIMARY KEY, owner_id bigint NOT NULL REFERENCES users (id));\n"


def _audit(root: Path) -> tuple[int, dict]:
    result = run("audit", root, "--format", "json")
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def _diagnostics(data: dict) -> list[tuple[str, int, str]]:
    return [(d["path"], d["line"], d["message"]) for d in data["diagnostics"]]


def _fks(data: dict) -> list[tuple[str, str]]:
    return sorted((fk["table"], fk["verdict"]) for fk in data["foreign_keys"])


def test_syntax_error_keeps_the_other_migrations(tmp_path: Path) -> None:
    broken = "CREATE TABLE notes (id int PRIMARY KEY);\n\nCREATE TABLE oops (id int PRIMARY KEY,, name text);\n"
    root = write_repo(tmp_path, {**CLEAN_MIGRATIONS, "003_broken.sql": broken, "004_items.sql": ITEMS})
    code, data = _audit(root)
    assert code == 1
    assert _diagnostics(data) == [("migrations/003_broken.sql", 3, 'syntax error at or near ","')]
    assert _fks(data) == [("items", "uncovered"), ("orders", "covered")]


def test_syntax_error_in_text_output_names_the_place(tmp_path: Path) -> None:
    root = write_repo(tmp_path, {**CLEAN_MIGRATIONS, "003_broken.sql": "ALTER TABLE orders ADD COLUMN;\n"})
    result = run("audit", root)
    assert result.exit_code == 0
    assert 'migrations/003_broken.sql:1: syntax error at or near ";"' in result.stdout
    assert "1 foreign keys: 0 uncovered, 0 weak, 1 covered; 0 findings, 1 input problems" in result.stdout


def test_unknown_file_in_a_migrations_folder(tmp_path: Path) -> None:
    root = write_repo(tmp_path, {**CLEAN_MIGRATIONS, "seed_data.sql": "INSERT INTO users (email) VALUES ('a');\n"})
    code, data = _audit(root)
    assert code == 0
    assert _diagnostics(data) == [("migrations/seed_data.sql", 1, "not a migration of the numbered layout, skipped")]


def test_models_file_that_is_not_python(tmp_path: Path) -> None:
    root = write_repo(tmp_path, {**CLEAN_MIGRATIONS, "003_items.sql": ITEMS})
    (root / "app").mkdir()
    (root / "app" / "models.py").write_text(
        "from sqlalchemy.orm import DeclarativeBase, mapped_column\n\n"
        "class Base(DeclarativeBase):\n    pass\n\n"
        "class Post(Base):\n    __tablename__ = 'posts'\n    id = mapped_column(primary_key=True\n",
        encoding="utf-8",
    )
    code, data = _audit(root)
    assert code == 1
    assert _diagnostics(data) == [("app/models.py", 8, "invalid Python: '(' was never closed")]
    assert ("items", "uncovered") in _fks(data)


def test_empty_repository_says_so_and_exits_0(tmp_path: Path) -> None:
    result = run("audit", tmp_path)
    assert result.exit_code == 0
    assert "found no SQL migrations and no SQLAlchemy models here" in result.stdout
    assert "0 foreign keys: 0 uncovered, 0 weak, 0 covered; 0 findings, 1 input problems" in result.stdout


def test_broken_symlink_and_folder_named_like_migrations(tmp_path: Path) -> None:
    root = write_repo(tmp_path, {**CLEAN_MIGRATIONS, "005_items.sql": ITEMS})
    (root / "migrations" / "003_gone.sql").symlink_to(tmp_path / "nowhere.sql")
    (root / "migrations" / "004_folder.sql").mkdir()
    code, data = _audit(root)
    assert code == 1
    assert _diagnostics(data) == [
        ("migrations/003_gone.sql", 1, "unreadable: No such file or directory"),
        ("migrations/004_folder.sql", 1, "unreadable: Is a directory"),
    ]
    assert _fks(data) == [("items", "uncovered"), ("orders", "covered")]


def test_binary_file_named_sql(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
    root = write_repo(tmp_path, {**CLEAN_MIGRATIONS, "003_logo.sql": png, "004_items.sql": ITEMS})
    code, data = _audit(root)
    assert code == 1
    problems = _diagnostics(data)
    assert problems[0] == ("migrations/003_logo.sql", 1, "not valid UTF-8 (invalid start byte at byte 0); bad bytes replaced")
    assert all(path == "migrations/003_logo.sql" for path, _, _ in problems)
    assert any("syntax error" in message for _, _, message in problems)
    assert ("items", "uncovered") in _fks(data)


def test_non_utf8_sql_is_read_with_the_bad_bytes_replaced(tmp_path: Path) -> None:
    latin1 = "-- Notizen für später\nCREATE TABLE notes (id int PRIMARY KEY, user_id bigint REFERENCES users (id));\n"
    root = write_repo(tmp_path, {**CLEAN_MIGRATIONS, "003_notes.sql": latin1.encode("latin-1")})
    code, data = _audit(root)
    assert code == 1
    assert _diagnostics(data) == [
        ("migrations/003_notes.sql", 1, "not valid UTF-8 (invalid start byte at byte 12); bad bytes replaced")
    ]
    (notes,) = [fk for fk in data["foreign_keys"] if fk["table"] == "notes"]
    assert notes["verdict"] == "uncovered" and notes["location"]["line"] == 2


def test_do_block_in_another_language_does_not_stop_the_rest(tmp_path: Path) -> None:
    do = (
        "DO LANGUAGE plperl $$ elog(NOTICE, 'warming up'); $$;\n"
        "DO $$ BEGIN CREATE INDEX items_owner_idx ON items (owner_id); END $$;\n"
    )
    root = write_repo(tmp_path, {**CLEAN_MIGRATIONS, "003_items.sql": ITEMS, "004_do.sql": do})
    code, data = _audit(root)
    assert code == 0
    assert sorted((fk["table"], fk["verdict"], fk["covered_by"]) for fk in data["foreign_keys"]) == [
        ("items", "covered", "items_owner_idx"),
        ("orders", "covered", "orders_user_id_idx"),
    ]


def test_connection_refused_exits_2_without_the_password() -> None:
    result = run("audit", "--database-url", "postgresql://alice:Hunter2-secret@127.0.0.1:1/shop")
    assert result.exit_code == 2
    assert "cannot read the database" in result.stderr and "Connection refused" in result.stderr
    assert "Hunter2-secret" not in result.output
    assert "Traceback" not in result.output
