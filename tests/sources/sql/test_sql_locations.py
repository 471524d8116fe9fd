"""Locations (UTF-8 byte offsets vs characters), syntax errors and psql meta-commands."""

from __future__ import annotations

from stacktune.model.events import AddConstraint, CreateIndex, CreateTable
from stacktune.model.location import Location
from stacktune.sources.sql.statements import sql_to_events

# The seed's own migration style: Chinese comments before and between statements.
CHINESE = """\
-- 补充两处真正缺失的外键索引
-- 审计依据：逐一检查 migrations/001-093
CREATE INDEX IF NOT EXISTS idx_audit_logs_user ON task_audit_logs(user_id)
    WHERE user_id IS NOT NULL;

/* 注释 */ /* 嵌套 /* 注释 */ 结束 */ CREATE INDEX IF NOT EXISTS idx_oauth ON oauth_refresh_token(user_id);
CREATE TABLE 表 (列 int); ALTER TABLE 表 ADD CONSTRAINT 外键 FOREIGN KEY (列) REFERENCES users (id);
"""


def test_locations_after_non_ascii_comments_are_character_columns() -> None:
    events, diagnostics = sql_to_events(CHINESE, "db/094.sql")
    assert diagnostics == []
    assert [e.location for e in events] == [
        Location("db/094.sql", 3, 1),
        Location("db/094.sql", 6, 31),  # after the (nested) block comments, counted in characters
        Location("db/094.sql", 7, 1),
        Location("db/094.sql", 7, 25),
    ]
    table, constraint = events[2], events[3]
    assert isinstance(table, CreateTable) and table.columns[0].name == "列"
    assert table.columns[0].location == Location("db/094.sql", 7, 17)
    assert isinstance(constraint, AddConstraint) and constraint.constraint.name == "外键"
    assert constraint.constraint.location == Location("db/094.sql", 7, 43)


def test_custom_locate_receives_byte_offsets() -> None:
    offsets: list[int] = []

    def locate(offset: int) -> Location:
        offsets.append(offset)
        return Location("x.sql", 100 + offset)

    events, _ = sql_to_events("-- 中文\nCREATE INDEX ON t (a);", "ignored.sql", locate=locate)
    assert offsets == [len("-- 中文\n".encode())]  # 10 bytes, 6 characters
    assert events[0].location == Location("x.sql", 110)


def test_syntax_error_in_one_statement_keeps_the_others() -> None:
    sql = "CREATE TABLE a (id int);\n-- 中文\nCREAT TABLE b (id int);\nCREATE INDEX ON a (id);\n"
    events, diagnostics = sql_to_events(sql, "m.sql")
    assert [type(e) for e in events] == [CreateTable, CreateIndex]
    assert events[1].location == Location("m.sql", 4, 1)
    assert [(d.location, d.message) for d in diagnostics] == [
        (Location("m.sql", 3, 1), 'syntax error at or near "CREAT"')
    ]


def test_each_bad_statement_reported_at_its_own_line() -> None:
    sql = "CREATE TABLE a (id int);\nCREATE TABLE b (id int,);\nCREATE INDEX ON a (id);\nDROP TABEL c;\n"
    events, diagnostics = sql_to_events(sql, "m.sql")
    assert [type(e) for e in events] == [CreateTable, CreateIndex]
    assert [d.location.line for d in diagnostics] == [2, 4]


def test_unlexable_text_gives_one_diagnostic_and_no_events() -> None:
    events, diagnostics = sql_to_events("CREATE TABLE a (id int);\nSELECT 'unterminated;\n", "m.sql")
    assert events == []
    assert len(diagnostics) == 1
    assert "unterminated quoted string" in diagnostics[0].message
    assert diagnostics[0].location.line == 2


def test_error_at_end_of_input() -> None:
    events, diagnostics = sql_to_events("CREATE TABLE a (id int", "m.sql")
    assert events == []
    assert [(d.location.line, d.message) for d in diagnostics] == [(1, "syntax error at end of input")]


def test_psql_meta_commands_are_skipped_with_a_diagnostic() -> None:
    sql = "\\connect app\nSET search_path = app;\n  \\set ON_ERROR_STOP on\nCREATE TABLE a (id int);\n"
    events, diagnostics = sql_to_events(sql, "dump.sql")
    assert [type(e).__name__ for e in events] == ["SetSearchPath", "CreateTable"]
    assert events[1].location == Location("dump.sql", 4, 1)
    assert [(d.location, d.message) for d in diagnostics] == [
        (Location("dump.sql", 1, 1), "psql meta-command skipped: \\connect app"),
        (Location("dump.sql", 3, 3), "psql meta-command skipped: \\set ON_ERROR_STOP on"),
    ]


def test_backslashes_inside_sql_are_not_meta_commands() -> None:
    events, diagnostics = sql_to_events("CREATE INDEX ON t (a) WHERE a ~ E'\\\\d';", "m.sql")
    assert diagnostics == []
    assert isinstance(events[0], CreateIndex)
