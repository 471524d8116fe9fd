"""The SARIF 2.1.0 report, for GitHub code scanning and editors.

One reportingDescriptor per rule (with its docs page and default level); results carry
file:line:column regions and stable partialFingerprints from stacktune.baseline, so a
result whose line moved is still the same result.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from stacktune import __version__
from stacktune.audit import AuditResult
from stacktune.baseline import fingerprints
from stacktune.checks.rule import Rule
from stacktune.model.diagnostics import Diagnostic
from stacktune.model.finding import Finding, Severity
from stacktune.model.location import Location
from stacktune.rules_doc import PROJECT_URL, docs_url
from stacktune.rules_doc import render as render_rule_doc

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "stacktuneFingerprint/v1"
_LEVEL: dict[Severity, str] = {"error": "error", "warning": "warning", "info": "note"}
_ROOT = "%SRCROOT%"


def _descriptor(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.why},
        "helpUri": docs_url(rule),
        "help": {"text": f"{rule.title}. See {docs_url(rule)}", "markdown": render_rule_doc(rule)},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"tags": ["stacktune"], "fix": rule.fix},
    }


def _physical(location: Location) -> dict[str, object]:
    return {
        "artifactLocation": {"uri": location.path, "uriBaseId": _ROOT},
        "region": {"startLine": location.line, "startColumn": location.column},
    }


def _has_file(location: Location) -> bool:
    return not location.path.startswith("<")  # "<database>", "<unknown>": no file to point at


def _result(finding: Finding, rule_index: int | None, fingerprint: str) -> dict[str, object]:
    message = finding.message + (f"\nhelp: {finding.help}" if finding.help else "")
    result: dict[str, object] = {
        "ruleId": finding.code,
        "level": _LEVEL[finding.severity],
        "message": {"text": message},
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    if _has_file(finding.location):
        result["locations"] = [{"physicalLocation": _physical(finding.location)}]
    else:
        result["locations"] = [{"logicalLocations": [{"name": finding.location.path}]}]
    if finding.details:
        result["properties"] = {"details": finding.details, "rule": finding.rule}
    return result


def _notification(diagnostic: Diagnostic) -> dict[str, object]:
    notification: dict[str, object] = {"level": "warning", "message": {"text": diagnostic.message}}
    if _has_file(diagnostic.location):
        notification["locations"] = [{"physicalLocation": _physical(diagnostic.location)}]
    return notification


def render(result: AuditResult, findings: Sequence[Finding], rules: Sequence[Rule]) -> str:
    """The SARIF log for `findings` (the audit's, after config, suppressions and baseline)."""
    index = {rule.code: i for i, rule in enumerate(rules)}
    results = [
        _result(finding, index.get(finding.code), fingerprint)
        for finding, fingerprint in zip(findings, fingerprints(findings, result.root), strict=True)
    ]
    run = {
        "tool": {
            "driver": {
                "name": "stacktune",
                "version": __version__,
                "informationUri": PROJECT_URL,
                "rules": [_descriptor(rule) for rule in rules],
            }
        },
        "originalUriBaseIds": {_ROOT: {"uri": result.root.resolve().as_uri() + "/"}},
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [_notification(d) for d in result.diagnostics],
            }
        ],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False)
