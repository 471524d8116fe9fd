"""What to report: the audit's findings after configuration, suppressions, --since and a baseline.

The audit finds everything; this stage decides what the user sees, in one
order for every output format: config selection and severities, then
suppressions (whose own problems are findings too), then only what changed
since a git ref, then only what a baseline does not already record.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stacktune.audit import AuditResult
from stacktune.baseline import load_baseline, new_findings
from stacktune.changed import changed_files, only_changed
from stacktune.checks.registry import all_rules
from stacktune.config import Config
from stacktune.model.finding import Finding
from stacktune.suppressions import apply_suppressions


@dataclass(frozen=True, slots=True)
class TriageRequest:
    config: Config
    since: str | None = None  # a git ref: keep findings in files changed since it
    baseline: Path | None = None  # keep findings this baseline does not record


def triage(result: AuditResult, request: TriageRequest) -> list[Finding]:
    root, config = result.root, request.config
    findings = config.apply(result.findings, root)
    audited = [path for source in result.sources for path in source.files]
    outcome = apply_suppressions(findings, root, audited, all_rules(), enabled=config.enabled)
    findings = outcome.kept + config.apply(outcome.problems, root)
    if request.since:
        findings = only_changed(findings, changed_files(root, request.since))
    if request.baseline:
        findings = new_findings(findings, load_baseline(request.baseline), root)
    return sorted(findings, key=lambda f: (f.location.path, f.location.line, f.location.column, f.code))
