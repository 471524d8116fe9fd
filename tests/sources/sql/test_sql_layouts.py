"""Migration layouts: detection, apply order, up sections, duplicates, strangers."""

from __future__ import annotations

from pathlib import Path

import pytest

from stacktune.model.events import CreateIndex, CreateTable
from stacktune.model.location import Location
from stacktune.sources.sql.discover import find_migration_dirs
from stacktune.sources.sql.layouts import detect_style, ordered_migrations, read_migrations


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def names(root: Path, folder: Path, style: str) -> list[str]:
    files, _ = ordered_migrations(root, folder, style)
    return [f.path.removeprefix(folder.relative_to(root).as_posix() + "/") for f in files]


TABLE = "CREATE TABLE t{n} (id int);\n"

LAYOUTS = [
    pytest.param(
        "migrations",
        {"010_c.sql": "", "002_b.sql": "", "001_a.sql": "", "0001-x.sql": "", "20240101120000_ts.sql": ""},
        "numbered",
        ["0001-x.sql", "001_a.sql", "002_b.sql", "010_c.sql", "20240101120000_ts.sql"],  # byte-wise name sort
        id="numbered",
    ),
    pytest.param(
        "db/migrations",
        {"10_c.up.sql": "", "10_c.down.sql": "", "9_b.up.sql": "", "1_a.up.sql": "", "1_a.down.sql": ""},
        "golang-migrate",
        ["1_a.up.sql", "9_b.up.sql", "10_c.up.sql"],  # numeric order, downs ignored
        id="golang-migrate",
    ),
    pytest.param(
        "sql",
        {"10_c.sql": "-- +goose Up\n", "9_b.sql": "-- +goose Up\n", "00001_a.sql": "-- +goose Up\n"},
        "goose",
        ["00001_a.sql", "9_b.sql", "10_c.sql"],
        id="goose",
    ),
    pytest.param(
        "db/migrations",
        {"20240102_b.sql": "-- migrate:up\n", "20240101_a.sql": "-- migrate:up\n"},
        "dbmate",
        ["20240101_a.sql", "20240102_b.sql"],
        id="dbmate",
    ),
    pytest.param(
        "db/migration",
        {
            "V1.10__j.sql": "",
            "V1_1__b.sql": "",
            "V1.2__c.sql": "",
            "V2__d.sql": "",
            "V1__a.sql": "",
            "R__views.sql": "",
            "R__a_funcs.sql": "",
            "U2__undo.sql": "",
        },
        "flyway",
        ["V1__a.sql", "V1_1__b.sql", "V1.2__c.sql", "V1.10__j.sql", "V2__d.sql", "R__a_funcs.sql", "R__views.sql"],
        id="flyway",
    ),
    pytest.param(
        "migrations",
        {
            "2024-02-01-000000_b/up.sql": "",
            "2024-02-01-000000_b/down.sql": "",
            "2024-01-01-000000_a/up.sql": "",
            "2024-01-01-000000_a/down.sql": "",
            "00000000000000_diesel_initial_setup/up.sql": "",
        },
        "diesel",
        ["00000000000000_diesel_initial_setup/up.sql", "2024-01-01-000000_a/up.sql", "2024-02-01-000000_b/up.sql"],
        id="diesel",
    ),
    pytest.param(
        "supabase/migrations",
        {"20240201000000_b.sql": "", "20240101000000_a.sql": ""},
        "supabase",
        ["20240101000000_a.sql", "20240201000000_b.sql"],
        id="supabase",
    ),
]


@pytest.mark.parametrize(("where", "files", "style", "order"), LAYOUTS)
def test_layout_detection_and_order(tmp_path: Path, where: str, files: dict, style: str, order: list[str]) -> None:
    folder = write(tmp_path / where, files)
    assert detect_style(folder) == style
    assert names(tmp_path, folder, style) == order
    assert find_migration_dirs(tmp_path) == [folder]


def test_numbered_reads_files_in_order_with_whole_file_locations(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "backend" / "migrations",
        {
            "002_b.sql": "-- 中文\nCREATE INDEX ON t1 (id);\n",
            "001_a.sql": TABLE.format(n=1),
            "README.md": "docs",
            ".gitkeep": "",
        },
    )
    result = read_migrations(tmp_path, folder)
    assert (result.kind, result.path, result.style) == ("sql", "backend/migrations", "numbered")
    assert result.files == ["backend/migrations/001_a.sql", "backend/migrations/002_b.sql"]
    assert [type(e) for e in result.events] == [CreateTable, CreateIndex]
    assert result.events[1].location == Location("backend/migrations/002_b.sql", 2, 1)
    assert result.diagnostics == []


def test_strangers_are_reported_and_duplicate_numbers_run_in_name_order(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "migrations",
        {
            "042_b.sql": "",
            "042_a.sql": "",
            "043_c.sql": "",
            "seed.sql": "",
            "notes.txt": "",
        },
    )
    files, diagnostics = ordered_migrations(tmp_path, folder, "numbered")
    # A runner that sorts file names applies both 042s, a before b: not a problem.
    assert [f.path for f in files] == ["migrations/042_a.sql", "migrations/042_b.sql", "migrations/043_c.sql"]
    assert sorted(d.message for d in diagnostics) == [
        "not a migration of the numbered layout, skipped",
        "not a migration of the numbered layout, skipped",
    ]
    assert {d.location.path for d in diagnostics if "skipped" in d.message} == {
        "migrations/notes.txt",
        "migrations/seed.sql",
    }


GOOSE = """\
-- +goose NO TRANSACTION
-- +goose Up
-- +goose StatementBegin
CREATE TABLE a (id int);
-- +goose StatementEnd
CREATE INDEX CONCURRENTLY a_idx ON a (id);

-- +goose Down
DROP TABLE a;
"""

DBMATE = """\
-- migrate:up transaction:false
CREATE TABLE b (id int);
CREATE INDEX CONCURRENTLY b_idx ON b (id);
-- migrate:down
DROP TABLE b;
"""


def test_goose_and_dbmate_read_only_the_up_section(tmp_path: Path) -> None:
    goose = write(tmp_path / "goose", {"001_a.sql": GOOSE, "002_plain.sql": "CREATE TABLE nope (id int);"})
    result = read_migrations(tmp_path, goose)
    assert result.style == "goose"
    assert [type(e) for e in result.events] == [CreateTable, CreateIndex]
    assert result.events[1].location == Location("goose/001_a.sql", 6, 1)
    files, _ = ordered_migrations(tmp_path, goose, "goose")
    assert files[0].no_transaction is True
    assert [d.message for d in result.diagnostics] == ["goose migration without a `-- +goose Up` annotation, skipped"]

    dbmate = write(tmp_path / "dbmate", {"20240101_b.sql": DBMATE})
    result = read_migrations(tmp_path, dbmate)
    assert result.style == "dbmate"
    assert [type(e) for e in result.events] == [CreateTable, CreateIndex]
    assert result.events[0].location == Location("dbmate/20240101_b.sql", 2, 1)
    files, _ = ordered_migrations(tmp_path, dbmate, "dbmate")
    assert files[0].no_transaction is True
    assert files[0].sections == ((len(DBMATE.splitlines()[0]) + 1, DBMATE.index("-- migrate:down")),)


def test_diesel_metadata_and_flyway_duplicates(tmp_path: Path) -> None:
    diesel = write(
        tmp_path / "diesel",
        {
            "2024-01-01-000000_a/up.sql": TABLE.format(n=1),
            "2024-01-01-000000_a/metadata.toml": "run_in_transaction = false\n",
            "2024-01-02-000000_b/up.sql": TABLE.format(n=2),
        },
    )
    files, diagnostics = ordered_migrations(tmp_path, diesel, "diesel")
    assert [(f.version, f.no_transaction) for f in files] == [("2024-01-01-000000", True), ("2024-01-02-000000", False)]
    assert diagnostics == []

    flyway = write(tmp_path / "flyway", {"V1.1__a.sql": "", "V1_1__b.sql": "", "V1.0__c.sql": ""})
    files, diagnostics = ordered_migrations(tmp_path, flyway, "flyway")
    assert [d.message for d in diagnostics] == ["duplicate migration number 1.1: V1.1__a.sql, V1_1__b.sql"]
    assert files[0].path == "flyway/V1.0__c.sql"


def test_invalid_utf8_is_replaced_and_reported(tmp_path: Path) -> None:
    folder = write(tmp_path / "migrations", {"001_a.sql": b"-- \xff\xfe bad\nCREATE TABLE a (id int);\n"})
    result = read_migrations(tmp_path, folder)
    assert [type(e) for e in result.events] == [CreateTable]
    assert result.events[0].location.line == 2
    assert len(result.diagnostics) == 1 and "not valid UTF-8" in result.diagnostics[0].message


def test_syntax_error_diagnostic_uses_whole_file_lines(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "db", {"001_a.sql": "-- migrate:up\nCREATE TABLE a (id int);\nCREAT b;\n-- migrate:down\n"}
    )
    result = read_migrations(tmp_path, folder)
    assert result.style == "dbmate"
    assert [(d.location, d.message) for d in result.diagnostics] == [
        (Location("db/001_a.sql", 3, 1), 'syntax error at or near "CREAT"')
    ]


def test_folder_without_migrations(tmp_path: Path) -> None:
    folder = write(tmp_path / "stuff", {"schema.sql": "", "notes.md": ""})
    assert detect_style(folder) is None
    result = read_migrations(tmp_path, folder)
    assert result.events == [] and len(result.diagnostics) == 1


def test_discovery_skips_samples_below_root_and_python_revisions(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "backend/migrations/001_a.sql": "",
            "alembic/versions/001_a.py": "",
            "tests/fixtures/migrations/001_a.sql": "",
            "examples/db/001_a.sql": "",
            "docs/schema.sql": "",
            "node_modules/pkg/migrations/001_a.sql": "",
        },
    )
    assert find_migration_dirs(tmp_path) == [tmp_path / "backend" / "migrations"]
    # Pointed at a sample folder itself, its migrations are found.
    assert find_migration_dirs(tmp_path / "tests" / "fixtures") == [tmp_path / "tests" / "fixtures" / "migrations"]


def test_duplicate_versions_are_reported_where_the_tool_refuses_them(tmp_path: Path) -> None:
    folder = write(tmp_path / "migrations", {"0042_a.up.sql": "", "0042_b.up.sql": "", "0043_c.up.sql": ""})
    _, diagnostics = ordered_migrations(tmp_path, folder, "golang-migrate")
    assert [d.message for d in diagnostics] == ["duplicate migration number 0042: 0042_a.up.sql, 0042_b.up.sql"]
