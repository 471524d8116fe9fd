"""`--since REF`: the files a pull request changed, so only the findings they cause are reported.

Changed means: committed on this branch since it left REF (`git diff REF...HEAD`),
plus staged and unstaged changes, plus untracked files. The whole repository is
still audited (replay needs every migration); only the report is narrowed.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

from stacktune.model.finding import Finding


class ChangedError(Exception):
    """git cannot answer: not a repository, an unknown REF, git missing."""


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotePath=false", "-C", str(root), *args], capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise ChangedError("--since needs git, which is not installed") from None
    if done.returncode != 0:
        raise ChangedError(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def changed_files(root: Path, ref: str) -> frozenset[str]:
    """Paths relative to `root` (POSIX) changed since `ref`, including uncommitted and untracked files."""
    try:
        _git(root, "rev-parse", "--is-inside-work-tree")
    except ChangedError:
        raise ChangedError(f"--since needs a git repository, and {root} is not inside one") from None
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except ChangedError:
        raise ChangedError(f"--since {ref}: git knows no commit of that name") from None
    # --relative: paths relative to root, and only those below it.
    outputs = [
        _git(root, "diff", "--name-only", "--relative", "--no-renames", f"{ref}...HEAD"),
        _git(root, "diff", "--name-only", "--relative", "--no-renames", "HEAD"),
        _git(root, "ls-files", "--others", "--exclude-standard"),
    ]
    return frozenset(line for output in outputs for line in output.splitlines() if line)


def only_changed(findings: Iterable[Finding], changed: frozenset[str]) -> list[Finding]:
    """The findings located in a changed file."""
    return [finding for finding in findings if finding.location.path in changed]
