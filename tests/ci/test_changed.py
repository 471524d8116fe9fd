"""--since REF: files changed on the branch, staged, unstaged and untracked; clear errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from ci_helpers import UNINDEXED_FK_SQL, audit, copy_example

from stacktune.changed import ChangedError, changed_files, only_changed


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", *args],
        cwd=root, check=True, capture_output=True,
    )


def _repo(tmp_path: Path) -> Path:
    root = copy_example(tmp_path)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "feature")
    return root


def test_changed_since_ref_includes_commits_staged_unstaged_untracked(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    (root / "migrations" / "025_task_bookmarks.sql").write_text(UNINDEXED_FK_SQL, encoding="utf-8")
    git(root, "add", "migrations/025_task_bookmarks.sql")
    git(root, "commit", "-q", "-m", "bookmarks")
    (root / "migrations" / "024_task_soft_delete.sql").write_text("-- edited\n", encoding="utf-8")  # unstaged
    (root / "app" / "new_module.py").write_text("x = 1\n", encoding="utf-8")  # untracked
    (root / "Procfile").write_text("web: gunicorn app.main:app\n", encoding="utf-8")
    git(root, "add", "Procfile")  # staged
    assert changed_files(root, "main") == {
        "migrations/025_task_bookmarks.sql",
        "migrations/024_task_soft_delete.sql",
        "app/new_module.py",
        "Procfile",
    }


def test_only_findings_in_changed_files_while_the_rest_is_replayed(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    (root / "migrations" / "025_task_bookmarks.sql").write_text(UNINDEXED_FK_SQL, encoding="utf-8")
    result = audit(root)
    kept = only_changed(result.findings, changed_files(root, "main"))
    # The FK to users resolves only because the earlier migrations were replayed too.
    assert [(f.code, f.table, f.location.path) for f in kept] == [
        ("ST101", "task_bookmarks", "migrations/025_task_bookmarks.sql")
    ]
    assert len(result.findings) > len(kept)


def test_paths_are_relative_to_the_audited_folder_inside_a_larger_repo(tmp_path: Path) -> None:
    outer = tmp_path / "mono"
    outer.mkdir()
    root = copy_example(outer)
    git(outer, "init", "-q", "-b", "main")
    git(outer, "add", "-A")
    git(outer, "commit", "-q", "-m", "base")
    (outer / "README.md").write_text("outside the audited folder\n", encoding="utf-8")
    (root / "migrations" / "025_x.sql").write_text("SELECT 1;\n", encoding="utf-8")
    assert changed_files(root, "main") == {"migrations/025_x.sql"}


def test_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(ChangedError, match="needs a git repository"):
        changed_files(tmp_path, "main")
    root = _repo(tmp_path)
    with pytest.raises(ChangedError, match="--since no-such-branch: git knows no commit of that name"):
        changed_files(root, "no-such-branch")
