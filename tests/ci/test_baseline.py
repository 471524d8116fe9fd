"""Baseline: findings keep their identity when lines move; only new ones are reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ci_helpers import UNINDEXED_FK_SQL, audit, copy_example, prepend_lines

from stacktune.baseline import BaselineError, fingerprints, load_baseline, new_findings, write_baseline
from stacktune.model.finding import Finding
from stacktune.model.location import Location


def _finding(path: str, line: int, code: str = "ST104", **details: object) -> Finding:
    return Finding(code, "rule", "warning", f"message at line {line}", Location(path, line, 1), details=details)


def test_example_baseline_then_one_new_fk_even_after_lines_move(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    before = audit(root)
    assert before.findings, "the example backend has findings to baseline"
    baseline_file = tmp_path / "baseline.json"
    write_baseline(baseline_file, before.findings, root)
    baseline = load_baseline(baseline_file)

    # Next audit, nothing changed: nothing new, so the audit would exit 0.
    assert new_findings(audit(root).findings, baseline, root) == []

    (root / "migrations" / "025_task_bookmarks.sql").write_text(UNINDEXED_FK_SQL, encoding="utf-8")
    # Unrelated lines move in files that hold baselined findings (SQL and Python).
    for moved in ("migrations/001_initial_schema.sql", "migrations/012_disputes.sql"):
        prepend_lines(root / moved, "-- reformatted\n\n\n")
    prepend_lines(root / "app" / "models.py", "# reformatted\n\n")
    after = audit(root)
    fresh = new_findings(after.findings, baseline, root)
    assert [(f.code, f.table, f.columns, f.location.path) for f in fresh] == [
        ("ST101", "task_bookmarks", ("owner_id",), "migrations/025_task_bookmarks.sql")
    ]
    assert len(after.findings) == len(before.findings) + 1


def test_fingerprint_ignores_line_number_but_not_statement_text(tmp_path: Path) -> None:
    (tmp_path / "m.sql").write_text("SELECT 1;\nCREATE INDEX a ON t (x);\n", encoding="utf-8")
    (tmp_path / "n.sql").write_text("\n\n\nCREATE   INDEX a\tON t (x);\nCREATE INDEX b ON t (y);\n", encoding="utf-8")
    [original] = fingerprints([_finding("m.sql", 2)], tmp_path)
    moved = fingerprints([_finding("n.sql", 4)], tmp_path)
    assert moved != [original], "another file is another finding"
    (tmp_path / "m.sql").write_text("-- header\n\nSELECT 1;\nCREATE  INDEX a ON t (x);\n", encoding="utf-8")
    assert fingerprints([_finding("m.sql", 4)], tmp_path) == [original]
    [other_line] = fingerprints([_finding("n.sql", 5)], tmp_path)
    assert other_line not in moved


def test_fk_findings_are_known_by_constraint(tmp_path: Path) -> None:
    first = _finding("x.sql", 3, code="ST101", constraint="orders_user_id_fkey")
    same = _finding("x.sql", 30, code="ST101", constraint="orders_user_id_fkey")
    other = _finding("x.sql", 3, code="ST101", constraint="orders_shop_id_fkey")
    a, _, c = fingerprints([first, same, other], tmp_path)
    assert a != c
    assert fingerprints([same], tmp_path) == [a]


def test_identical_findings_are_numbered_in_file_order(tmp_path: Path) -> None:
    (tmp_path / "s.sh").write_text("celery worker -c 2\ncelery worker -c 2\n", encoding="utf-8")
    one, two = fingerprints([_finding("s.sh", 2), _finding("s.sh", 1)], tmp_path)
    assert one != two
    # The first occurrence keeps its identity when a third copy is added below.
    (tmp_path / "s.sh").write_text("celery worker -c 2\ncelery worker -c 2\ncelery worker -c 2\n", encoding="utf-8")
    first, *_ = fingerprints([_finding("s.sh", 1), _finding("s.sh", 2), _finding("s.sh", 3)], tmp_path)
    assert first == two


def test_database_findings_use_their_message(tmp_path: Path) -> None:
    a = _finding("<database>", 1, code="ST103")
    b = Finding("ST103", "rule", "error", "another message", Location("<database>"))
    assert len(set(fingerprints([a, b], tmp_path))) == 2


def test_baseline_file_is_readable_json_and_errors_are_clear(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    (tmp_path / "m.sql").write_text("SELECT 1;\n", encoding="utf-8")
    write_baseline(path, [_finding("m.sql", 1)], tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["tool"] == "stacktune" and data["findings"][0]["path"] == "m.sql"
    assert len(load_baseline(path).fingerprints) == 1
    with pytest.raises(BaselineError, match="cannot read baseline"):
        load_baseline(tmp_path / "missing.json")
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(BaselineError, match="not a stacktune baseline"):
        load_baseline(path)
    path.write_text('{"tool": "other"}', encoding="utf-8")
    with pytest.raises(BaselineError, match="not a stacktune baseline"):
        load_baseline(path)
