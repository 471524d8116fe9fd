"""`stacktune audit` end to end: exit statuses, the JSON contract, text, SARIF, GitHub, the baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import CLEAN_MIGRATIONS, copy_example, run, write_repo

# The JSON report's contract (fields may be added, never removed).
FK_KEYS = {"schema", "table", "columns", "constraint", "referenced_table", "verdict", "covered_by", "conditional", "location"}
FINDING_KEYS = {"code", "rule", "severity", "message", "table", "columns", "location"}
DIAGNOSTIC_KEYS = {"path", "line", "message"}
SOURCE_KEYS = {"kind", "path", "style", "files"}
LOCATION_KEYS = {"path", "line", "column"}

NEW_MIGRATION = """\
CREATE TABLE task_comments (
    id BIGSERIAL PRIMARY KEY,
    task_id BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    body TEXT NOT NULL
);
"""


def _json(*args: str | Path) -> tuple[int, dict]:
    result = run("audit", *args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def test_clean_repository_exits_0(tmp_path: Path) -> None:
    root = write_repo(tmp_path, CLEAN_MIGRATIONS)
    result = run("audit", root)
    assert result.exit_code == 0, result.output
    assert "1 foreign keys: 0 uncovered, 0 weak, 1 covered; 0 findings, 0 input problems" in result.stdout


def test_findings_exit_1(tmp_path: Path) -> None:
    root = write_repo(tmp_path, {**CLEAN_MIGRATIONS, "003_drop.sql": "DROP INDEX orders_user_id_idx;\n"})
    assert run("audit", root).exit_code == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing"], "not a directory"),
        (["--select", "ST999"], "'ST999' names no rule"),
        (["--ignore", "no-such-rule"], "'no-such-rule' names no rule"),
        (["--config", "missing.toml"], "does not exist"),
        (["--config", "bad.toml"], "invalid TOML"),
    ],
)
def test_cannot_run_exits_2(tmp_path: Path, args: list[str], message: str) -> None:
    root = write_repo(tmp_path / "repo", CLEAN_MIGRATIONS)
    (tmp_path / "bad.toml").write_text("[tool.stacktune\nselect = 1\n")
    args = [str(tmp_path / a) if a.endswith((".toml", "missing")) else a for a in args]
    path = [] if args[0].endswith("missing") else [str(root)]
    result = run("audit", *path, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_select_and_ignore_rules(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    _, selected = _json(root, "--select", "ST101")
    assert {f["code"] for f in selected["findings"]} == {"ST101"}
    _, ignored = _json(root, "--ignore", "ST1")
    assert ignored["findings"] and all(not f["code"].startswith("ST1") for f in ignored["findings"])


def test_json_contract_on_the_example(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    code, data = _json(root)
    assert code == 1
    assert {"foreign_keys", "findings", "diagnostics", "sources"} <= set(data)
    for fk in data["foreign_keys"]:
        assert FK_KEYS <= set(fk) and LOCATION_KEYS <= set(fk["location"])
        assert isinstance(fk["columns"], list) and isinstance(fk["conditional"], bool)
        assert (fk["covered_by"] is not None) == (fk["verdict"] == "covered")
    for finding in data["findings"]:
        assert FINDING_KEYS <= set(finding) and LOCATION_KEYS <= set(finding["location"])
    for source in data["sources"]:
        assert SOURCE_KEYS <= set(source)
    paths = [fk["location"]["path"] for fk in data["foreign_keys"]] + [
        f["location"]["path"] for f in data["findings"]
    ]
    paths += [s["path"] for s in data["sources"]] + [p for s in data["sources"] for p in s["files"]]
    # Relative to PATH, POSIX, and naming files that are there.
    assert all(not p.startswith("/") and (root / p).exists() for p in paths), paths
    verdicts = [fk["verdict"] for fk in data["foreign_keys"]]
    assert (len(verdicts), verdicts.count("uncovered"), verdicts.count("weak"), verdicts.count("covered")) == (
        40, 8, 5, 27,
    )
    assert data["diagnostics"] == []


def test_json_values_on_a_small_repository(tmp_path: Path) -> None:
    root = write_repo(tmp_path, {**CLEAN_MIGRATIONS, "003_bad.sql": "CREATE TABLE broken (;\n"})
    code, data = _json(root)
    assert code == 0
    (fk,) = data["foreign_keys"]
    assert {key: fk[key] for key in FK_KEYS} == {
        "schema": "public",
        "table": "orders",
        "columns": ["user_id"],
        "constraint": "orders_user_id_fkey",
        "referenced_table": "users",
        "verdict": "covered",
        "covered_by": "orders_user_id_idx",
        "conditional": False,
        "location": {"path": "migrations/002_orders.sql", "line": 3, "column": 29},  # at REFERENCES
    }
    assert data["findings"] == []
    assert data["diagnostics"] == [{"path": "migrations/003_bad.sql", "line": 1, "message": 'syntax error at or near ";"'}]
    assert [{key: s[key] for key in SOURCE_KEYS} for s in data["sources"]] == [
        {
            "kind": "sql",
            "path": "migrations",
            "style": "numbered",
            "files": ["migrations/001_users.sql", "migrations/002_orders.sql", "migrations/003_bad.sql"],
        }
    ]


def test_text_output_shows_the_table_the_evidence_and_the_summary(tmp_path: Path) -> None:
    result = run("audit", copy_example(tmp_path))
    out = result.stdout
    assert result.exit_code == 1
    assert "Foreign keys PostgreSQL cannot look up by index" in out
    assert "disputes(resolved_by)  disputes_resolved_by_fkey  declared at migrations/012_disputes.sql:7" in out
    assert "why: no index on disputes contains resolved_by" in out
    assert "start_celery.sh:10:1 ST201 worker-concurrency-hardcoded" in out
    assert out.rstrip().endswith("40 foreign keys: 8 uncovered, 5 weak, 27 covered; 17 findings, 0 input problems")


def test_sarif_and_github_formats_parse(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    sarif = run("audit", root, "--format", "sarif")
    assert sarif.exit_code == 1
    log = json.loads(sarif.stdout)
    results = log["runs"][0]["results"]
    assert log["version"] == "2.1.0" and len(results) == 17
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert "migrations/012_disputes.sql" in uris and all(not u.startswith("/") for u in uris)
    github = run("audit", root, "--format", "github", "--select", "ST101")
    lines = github.stdout.splitlines()
    assert github.exit_code == 1 and len(lines) == 8
    assert all(line.startswith("::") and "title=ST101 fk-without-index::" in line for line in lines)
    assert "::warning file=migrations/012_disputes.sql,line=7,col=" in github.stdout


def _add_comments_at_the_top(folder: Path) -> None:
    for path in sorted(folder.glob("*.sql")):
        path.write_text("-- reviewed by the DBA\n\n/* moved */\n" + path.read_text(encoding="utf-8"), encoding="utf-8")


def test_baseline_reports_only_new_findings(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    baseline = tmp_path / "baseline.json"
    written = run("audit", root, "--write-baseline", baseline)
    assert written.exit_code == 0 and "wrote 17 findings to the baseline" in written.stderr
    assert run("audit", root, "--baseline", baseline).exit_code == 0

    _add_comments_at_the_top(root / "migrations")
    assert run("audit", root, "--baseline", baseline).exit_code == 0, "moved lines are no new findings"

    (root / "migrations" / "025_task_comments.sql").write_text(NEW_MIGRATION, encoding="utf-8")
    code, data = _json(root, "--baseline", baseline)
    assert code == 1
    assert [(f["code"], f["table"], f["columns"], f["location"]["path"]) for f in data["findings"]] == [
        ("ST101", "task_comments", ["task_id"], "migrations/025_task_comments.sql")
    ]
