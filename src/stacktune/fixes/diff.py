"""What `stacktune fix` would change, as a unified diff (the output without --write)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path

from stacktune.fixes.apply import edited_bytes
from stacktune.model.finding import Edit


def render_diff(root: Path, edits: Sequence[Edit]) -> str:
    groups: dict[str, list[Edit]] = {}
    for edit in edits:
        groups.setdefault(edit.path, []).append(edit)
    return "".join(_file_diff(root, path, group) for path, group in groups.items())


def _file_diff(root: Path, path: str, edits: list[Edit]) -> str:
    if any(e.creates for e in edits):
        before, after, source = "", "".join(e.content for e in edits), "/dev/null"
    else:
        original = (root / path).read_bytes()
        before = original.decode("utf-8", errors="replace")
        after = edited_bytes(original, edits).decode("utf-8", errors="replace")
        source = f"a/{path}"
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), fromfile=source, tofile=f"b/{path}"
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
