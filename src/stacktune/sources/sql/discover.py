"""Finding the migration folders of a repository."""

from __future__ import annotations

from pathlib import Path

from stacktune.sources.sql.layouts import detect_style
from stacktune.sources.walk import iter_files


def find_migration_dirs(root: Path) -> list[Path]:
    """Folders below (or at) root that hold migrations of a known layout, sorted."""
    candidates: set[Path] = set()
    for path in iter_files(root, (".sql",)):
        candidates.add(path.parent)
        if path.name == "up.sql":
            candidates.add(path.parent.parent)  # a Diesel migration's folder of folders
    return sorted(folder for folder in candidates if detect_style(folder) is not None)
