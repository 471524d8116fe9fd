"""Walking a repository: one place decides which folders are never project source."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

SKIPPED_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", ".venv", "venv", "env", ".env", "node_modules", "__pycache__",
        ".mypy_cache", ".pytest_cache", ".ruff_cache", ".tox", ".nox", "site-packages",
        "dist", "build", ".idea", ".vscode", ".eggs",
    }
)


# Test data and samples: read only when the user points at them (as the audited root or
# inside it), never picked up from a repository's tests/ or examples/ by discovery.
SAMPLE_DIRS = frozenset({"tests", "test", "fixtures", "examples"})


def iter_files(root: Path, suffixes: tuple[str, ...] | None = None) -> Iterator[Path]:
    """Yield files below root in a stable order, skipping tool, vendor and sample folders."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d for d in dirnames if d not in SKIPPED_DIRS and d not in SAMPLE_DIRS and not d.endswith(".egg-info")
        )
        for name in sorted(filenames):
            if suffixes is None or name.endswith(suffixes):
                yield Path(dirpath, name)


def relpath(path: Path, root: Path) -> str:
    """The POSIX path of `path` relative to `root`, as every report prints it."""
    if path.is_relative_to(root):
        # Found by walking `root`: below it as written, no file-system call needed.
        return path.relative_to(root).as_posix()
    # The parent is resolved, not the file: a symlink (even a broken one) keeps its own name.
    try:
        return (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
