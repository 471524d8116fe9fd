"""`stacktune fix` end to end on a copy of the example backend: diff, write, idempotence, options."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from cli_helpers import copy_example, run, snapshot

NEW_MIGRATION = "migrations/025_add_missing_fk_indexes.sql"


def test_fix_without_write_shows_a_diff_and_changes_nothing(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    before = snapshot(root)
    result = run("fix", root)
    assert result.exit_code == 1
    assert f"+++ b/{NEW_MIGRATION}" in result.stdout
    assert "+CREATE INDEX IF NOT EXISTS idx_disputes_resolved_by ON disputes (resolved_by)" in result.stdout
    assert "--- a/start_celery.sh" in result.stdout
    assert snapshot(root) == before


def test_fix_write_then_nothing_to_fix_then_a_clean_audit(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    before = snapshot(root)
    written = run("fix", root, "--write")
    assert written.exit_code == 0, written.output
    after = snapshot(root)
    assert sorted(set(after) - set(before)) == [NEW_MIGRATION]
    assert sorted(p for p in before if before[p] != after[p]) == ["start_celery.sh"]
    assert after[NEW_MIGRATION].decode().count("CREATE INDEX IF NOT EXISTS") == 8
    assert subprocess.run(["bash", "-n", str(root / "start_celery.sh")], capture_output=True).returncode == 0

    again = run("fix", root, "--write")
    assert again.exit_code == 0 and "Nothing to fix." in again.stderr
    assert snapshot(root) == after

    audit = json.loads(run("audit", root, "--format", "json").stdout)
    codes = {f["code"] for f in audit["findings"]}
    assert "ST101" not in codes and "ST201" not in codes
    verdicts = [fk["verdict"] for fk in audit["foreign_keys"]]
    assert (verdicts.count("uncovered"), verdicts.count("weak")) == (0, 5)


def _migration(result_stdout: str) -> str:
    """The added lines of the new migration in a diff."""
    section = result_stdout.split(f"+++ b/{NEW_MIGRATION}", 1)[1].split("\n--- ", 1)[0]
    return "\n".join(line[1:] for line in section.splitlines() if line.startswith("+"))


def test_select_ignore_include_weak_and_no_partial(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    selected = _migration(run("fix", root, "--select", "disputes.resolved_by", "--no-workers").stdout)
    assert selected.count("CREATE INDEX") == 1 and "ON disputes (resolved_by)" in selected

    ignored = _migration(run("fix", root, "--ignore", "disputes", "--no-workers").stdout)
    assert ignored.count("CREATE INDEX") == 7 and "disputes" not in ignored.split("CREATE INDEX", 1)[1]

    weak = _migration(run("fix", root, "--include-weak").stdout)
    assert weak.count("CREATE INDEX") == 13
    assert "ON task_participants (user_id)" in weak

    partial = _migration(run("fix", root).stdout)
    plain = _migration(run("fix", root, "--no-partial").stdout)
    assert "    WHERE resolved_by IS NOT NULL;" in partial.splitlines()
    assert not [line for line in plain.splitlines() if line.lstrip().startswith("WHERE")]
    assert "ON disputes (resolved_by);" in plain


def test_no_workers_leaves_the_start_script(tmp_path: Path) -> None:
    result = run("fix", copy_example(tmp_path), "--no-workers")
    assert result.exit_code == 1
    assert "start_celery.sh" not in result.stdout.split("\n--- ")[0] and "--- a/start_celery.sh" not in result.stdout
