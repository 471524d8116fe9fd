"""Helpers for the worker tests: write a small project, apply fixes by slicing bytes."""

from __future__ import annotations

from pathlib import Path

from stacktune.workers.audit import audit_workers
from stacktune.workers.fix import worker_fixes


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def apply_round(root: Path, default: int = 4) -> int:
    """Apply one round of fixes (edits sorted from the end of each file); returns the fix count."""
    fixes = worker_fixes(root, audit_workers(root), default=default)
    by_path: dict[str, list] = {}
    for fix in fixes:
        edits = list(fix.edits)
        assert edits == sorted(edits, key=lambda e: (e.start, e.end))
        for edit in edits:
            by_path.setdefault(edit.path, []).append(edit)
    for path, edits in by_path.items():
        data = (root / path).read_bytes()
        starts = sorted((e.start, e.end) for e in edits)
        assert all(a[1] <= b[0] for a, b in zip(starts, starts[1:])), "overlapping edits"
        for edit in sorted(edits, key=lambda e: e.start, reverse=True):
            data = data[: edit.start] + edit.content.encode("utf-8") + data[edit.end :]
        (root / path).write_bytes(data)
    return len(fixes)
