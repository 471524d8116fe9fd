"""Shared helpers for the CI-integration tests: a private copy of the example backend."""

from __future__ import annotations

import shutil
from pathlib import Path

from stacktune.audit import AuditRequest, AuditResult, run_audit

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "backend"

# A migration that adds one foreign key and no index for it.
UNINDEXED_FK_SQL = """CREATE TABLE IF NOT EXISTS task_bookmarks (
    id SERIAL PRIMARY KEY,
    owner_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE
);
"""


def copy_example(destination: Path) -> Path:
    target = destination / "backend"
    shutil.copytree(EXAMPLE, target)
    return target


def audit(root: Path) -> AuditResult:
    return run_audit(AuditRequest(root=root))


def prepend_lines(path: Path, text: str) -> None:
    """Move every line of `path` down without changing what it means."""
    path.write_text(text + path.read_text(encoding="utf-8"), encoding="utf-8")
