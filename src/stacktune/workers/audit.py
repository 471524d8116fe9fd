"""The worker audit: discover commands and settings, run every worker check."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from stacktune.model.diagnostics import Diagnostic
from stacktune.model.events import SourceResult
from stacktune.model.finding import Finding
from stacktune.workers.budget import DEFAULT_MAX_CONNECTIONS, budget, engines
from stacktune.workers.celery_version import pinned_celery
from stacktune.workers.checks import CHECKS, Facts, worker_processes
from stacktune.workers.discover import discover
from stacktune.workers.model import Setting, WorkerCommand


@dataclass
class WorkerAudit:
    commands: list[WorkerCommand]
    findings: list[Finding]
    diagnostics: list[Diagnostic]
    sources: list[SourceResult]
    settings: list[Setting] = field(default_factory=list)


def _sources(files: dict[str, str]) -> list[SourceResult]:
    by_style: dict[str, list[str]] = {}
    for path, style in files.items():
        by_style.setdefault(style, []).append(path)
    return [
        SourceResult(kind="deploy", path=paths[0], style=style, files=paths)
        for style, paths in sorted(by_style.items())
    ]


def audit_workers(
    root: Path, *, default: int = 4, max_connections: int = DEFAULT_MAX_CONNECTIONS
) -> WorkerAudit:
    """Every worker start in `root`, and what is wrong with its concurrency.

    `default` is the concurrency the fix writes (used for the connection budget);
    `max_connections` is PostgreSQL's limit (pass the live value when a database is known).
    """
    found = discover(root)
    facts = Facts(found.commands, found.settings, pinned_celery(root))
    if found.commands:
        facts = Facts(
            found.commands,
            found.settings,
            facts.celery_version,
            budget(worker_processes(facts, default), engines(root), max_connections),
        )
    findings = [finding for check in CHECKS for finding in check(facts)]
    findings.sort(key=lambda f: (f.location, f.code))
    return WorkerAudit(found.commands, findings, found.diagnostics, _sources(found.files), found.settings)
