"""The `project` fixture: write files into a temporary repository and audit it."""

from __future__ import annotations

from pathlib import Path

import pytest
from worker_project import write

from stacktune.workers.audit import WorkerAudit, audit_workers


@pytest.fixture
def project(tmp_path: Path):
    def make(files: dict[str, str]) -> tuple[Path, WorkerAudit]:
        root = write(tmp_path, files)
        return root, audit_workers(root)

    return make
