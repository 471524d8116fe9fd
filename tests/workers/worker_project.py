"""Helpers for the worker tests: write a small project, apply fixes by slicing bytes."""

from __future__ import annotations

from pathlib import Path

from stacktune.fixes.apply import apply_edits
from stacktune.workers.audit import audit_workers
from stacktune.workers.fix import worker_fixes


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def apply_round(root: Path, default: int = 4) -> int:
    """Apply one round of fixes with stacktune's own writer (it refuses overlapping edits); the fix count."""
    fixes = worker_fixes(root, audit_workers(root), default=default)
    for fix in fixes:
        assert list(fix.edits) == sorted(fix.edits, key=lambda e: (e.start, e.end))
    apply_edits(root, [edit for fix in fixes for edit in fix.edits])
    return len(fixes)
