"""Suppression comments: statement, line and file scope; unknown and unused ones are findings."""

from __future__ import annotations

from pathlib import Path

from ci_helpers import UNINDEXED_FK_SQL, audit, copy_example

from stacktune.checks.registry import all_rules
from stacktune.model.finding import Finding
from stacktune.model.location import Location
from stacktune.suppressions import apply_suppressions, read_suppressions

RULES = all_rules()


def _finding(path: str, line: int, code: str = "ST101") -> Finding:
    rule = next(r for r in RULES if r.code == code)
    return rule.finding(f"finding at {line}", Location(path, line, 5))


def _run(tmp_path: Path, name: str, text: str, findings: list[Finding], **kwargs):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return apply_suppressions(findings, tmp_path, [name], RULES, **kwargs)


SQL = """-- 迁移: 订单
-- stacktune: ignore[fk-without-index]
CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    user_id bigint REFERENCES users(id)
);

CREATE TABLE items (
    id bigserial PRIMARY KEY,
    order_id bigint REFERENCES orders(id), -- stacktune: ignore[ST101]
    shop_id bigint REFERENCES shops(id)
);
-- stacktune: ignore[fk-without-index]

CREATE TABLE carts (user_id bigint REFERENCES users(id));
"""


def test_sql_statement_and_line_scope(tmp_path: Path) -> None:
    findings = [_finding("m.sql", 5), _finding("m.sql", 10), _finding("m.sql", 11), _finding("m.sql", 15)]
    outcome = _run(tmp_path, "m.sql", SQL, findings)
    # Above the statement: its whole statement. At the end of line 10: that line only.
    assert [f.location.line for f in outcome.suppressed] == [5, 10]
    # The comment separated from CREATE TABLE carts by a blank line covers nothing: unused.
    assert [f.location.line for f in outcome.kept] == [11, 15]
    assert [(p.code, p.location.line) for p in outcome.problems] == [("ST901", 13)]


def test_comment_above_a_line_inside_a_statement_and_comment_block(tmp_path: Path) -> None:
    sql = (
        "CREATE TABLE t (\n"
        "    a bigint REFERENCES x(id),\n"
        "    -- stacktune: ignore[ST101]\n"
        "    b bigint REFERENCES y(id)\n"
        ");\n"
        "/* stacktune: ignore[migration-fails] */\n"
        "-- why: legacy, see ticket 12\n"
        "CREATE INDEX i ON t (a);\n"
    )
    outcome = _run(tmp_path, "m.sql", sql, [_finding("m.sql", 2), _finding("m.sql", 4), _finding("m.sql", 8, "ST103")])
    assert [f.location.line for f in outcome.suppressed] == [4, 8]
    assert outcome.problems == []


def test_semicolons_inside_strings_and_dollar_quotes_do_not_split(tmp_path: Path) -> None:
    sql = (
        "-- stacktune: ignore[ST101]\n"
        "DO $$ BEGIN\n"
        "  ALTER TABLE t ADD CONSTRAINT c FOREIGN KEY (a) REFERENCES x(id); -- not a statement end\n"
        "END $$;\n"
        "SELECT '-- stacktune: ignore[ST102]';\n"
    )
    outcome = _run(tmp_path, "m.sql", sql, [_finding("m.sql", 3)])
    assert [f.location.line for f in outcome.suppressed] == [3]
    assert outcome.problems == [], "a directive inside a string literal is not a comment"


def test_file_scope(tmp_path: Path) -> None:
    sql = "-- stacktune: ignore-file[fk-without-index, ST104]\nCREATE TABLE a (x int);\n\n\nCREATE TABLE b (y int);\n"
    outcome = _run(tmp_path, "m.sql", sql, [_finding("m.sql", 2), _finding("m.sql", 5)])
    assert outcome.kept == []
    assert [(p.code, p.message) for p in outcome.problems] == [
        ("ST901", "unused suppression: no ST104 if-not-exists-skipped finding here")
    ]


def test_unknown_and_empty_suppressions(tmp_path: Path) -> None:
    sql = "-- stacktune: ignore[fk-without-indexes, ST101]\nCREATE TABLE a (x int);\nSELECT 1; -- stacktune: ignore\n"
    outcome = _run(tmp_path, "m.sql", sql, [_finding("m.sql", 2)])
    assert outcome.kept == []
    assert [(p.code, p.location.line, p.location.column) for p in outcome.problems] == [
        ("ST902", 1, 4),
        ("ST902", 3, 14),
    ]
    assert "'fk-without-indexes' is not a stacktune rule" in outcome.problems[0].message


def test_unused_is_not_reported_for_a_rule_that_did_not_run(tmp_path: Path) -> None:
    sql = "-- stacktune: ignore[ST102]\nCREATE TABLE a (x int);\n"
    assert _run(tmp_path, "m.sql", sql, [], enabled=lambda code: code != "ST102").problems == []
    assert [p.code for p in _run(tmp_path, "m.sql", sql, []).problems] == ["ST901"]


def test_python_comments_from_tokenize(tmp_path: Path) -> None:
    source = (
        "class Order(Base):\n"
        "    # stacktune: ignore[fk-without-index]\n"
        "    user_id = Column(\n"
        "        Integer, ForeignKey('users.id'),\n"
        "    )\n"
        "    shop_id = Column(Integer, ForeignKey('shops.id'))  # stacktune: ignore[ST101]\n"
        "    note = '# stacktune: ignore[ST102]'\n"
        "    tag_id = Column(Integer, ForeignKey('tags.id'))\n"
    )
    findings = [_finding("models.py", 4), _finding("models.py", 6), _finding("models.py", 8)]
    outcome = _run(tmp_path, "models.py", source, findings)
    assert [f.location.line for f in outcome.suppressed] == [4, 6]
    assert outcome.problems == []


def test_shell_comments_outside_quotes(tmp_path: Path) -> None:
    script = (
        "#!/usr/bin/env bash\n"
        "# stacktune: ignore[worker-concurrency-hardcoded]\n"
        "celery -A app worker \\\n"
        "  --concurrency=2\n"
        'echo "# stacktune: ignore[ST207]"\n'
        "celery -A app worker -c 2 # stacktune: ignore[ST201, worker-start-without-exec]\n"
    )
    findings = [_finding("start.sh", 4, "ST201"), _finding("start.sh", 6, "ST201"), _finding("start.sh", 6, "ST207")]
    outcome = _run(tmp_path, "start.sh", script, findings)
    assert outcome.kept == []
    assert outcome.problems == [], "the quoted directive on line 5 is not a comment"


def test_unreadable_syntax_means_no_suppressions() -> None:
    assert read_suppressions("m.sql", "-- stacktune: ignore[ST101]\nSELECT 'open", RULES) == []
    assert read_suppressions("m.py", "# stacktune: ignore[ST101]\nx = (", RULES) == []


def test_example_backend_suppressed_and_unused(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    migration = root / "migrations" / "025_task_bookmarks.sql"
    migration.write_text("-- stacktune: ignore[fk-without-index]\n" + UNINDEXED_FK_SQL, encoding="utf-8")
    (root / "migrations" / "026_nothing.sql").write_text(
        "-- stacktune: ignore[fk-without-index]\nCREATE INDEX idx_tags_name ON tags (name);\n", encoding="utf-8"
    )
    result = audit(root)
    files = [f for source in result.sources for f in source.files]
    outcome = apply_suppressions(result.findings, root, files, RULES)
    assert [(f.code, f.location.path) for f in outcome.suppressed] == [("ST101", "migrations/025_task_bookmarks.sql")]
    assert len(outcome.kept) == len(result.findings) - 1
    assert [(p.code, p.location.path, p.location.line) for p in outcome.problems] == [
        ("ST901", "migrations/026_nothing.sql", 1)
    ]
