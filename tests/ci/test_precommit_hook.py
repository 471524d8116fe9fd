"""`pre-commit try-repo` installs this repository's hook and fails a repository with an unindexed FK.

pre-commit pip-installs stacktune into its own environment, so this needs the package
registry. The working tree is copied into a fresh git repository first: try-repo reads
committed files (and tracked changes) only, and the test must see the tree as it is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from ci_helpers import REPO

BAD_MIGRATION = (
    "CREATE TABLE users (id bigserial PRIMARY KEY);\n"
    "CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint REFERENCES users(id));\n"
)
GIT_USER = ["-c", "user.name=stacktune-test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"]


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *GIT_USER, *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def _snapshot_of_this_repository(destination: Path) -> Path:
    listed = _git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    _git(destination, "init", "-q", "-b", "main")
    _git(destination, "add", "-A")
    _git(destination, "commit", "-q", "-m", "snapshot")
    return destination


def test_try_repo_fails_a_bad_migration(tmp_path: Path) -> None:
    hook_repo = _snapshot_of_this_repository(tmp_path / "stacktune")
    project = tmp_path / "project"
    (project / "migrations").mkdir(parents=True)
    (project / "migrations" / "001_init.sql").write_text(BAD_MIGRATION, encoding="utf-8")
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "stacktune", "--all-files"],
        cwd=project, env=env, capture_output=True, text=True, timeout=900, check=False,
    )
    output = done.stdout + done.stderr
    assert "Installing environment" in output, output
    assert done.returncode == 1, output
    assert "stacktune audit" in output and "Failed" in output, output
    assert "migrations/001_init.sql:2" in output and "orders_user_id_fkey" in output, output
