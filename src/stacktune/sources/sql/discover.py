"""Finding the migration folders of a repository."""

from __future__ import annotations

from pathlib import Path

from stacktune.sources.sql.layouts import detect_style
from stacktune.sources.walk import iter_files

# Test data and samples are read only when the user points at them.
_SAMPLE_DIRS = frozenset({"tests", "test", "fixtures", "examples"})


def find_migration_dirs(root: Path) -> list[Path]:
    """Folders below (or at) root that hold migrations of a known layout, sorted."""
    candidates: set[Path] = set()
    for path in iter_files(root, (".sql",)):
        rel_parts = path.relative_to(root).parts[:-1]
        if _SAMPLE_DIRS.intersection(rel_parts):
            continue
        candidates.add(path.parent)
        if path.name == "up.sql":
            candidates.add(path.parent.parent)  # a Diesel migration's folder of folders
    return sorted(folder for folder in candidates if detect_style(folder) is not None)
