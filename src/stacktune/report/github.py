"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

    ::warning file=migrations/012.sql,line=7,col=25,title=ST101 fk-without-index::message

Escaping follows the runner's rules: in the message %, CR and LF are percent-encoded;
in properties also ':' and ','.
"""

from __future__ import annotations

from collections.abc import Sequence

from stacktune.audit import AuditResult
from stacktune.model.finding import Finding, Severity
from stacktune.model.location import Location

_COMMAND: dict[Severity, str] = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, location: Location, title: str, message: str) -> str:
    properties: list[tuple[str, object]] = []
    if not location.path.startswith("<"):  # "<database>": nothing in the diff to annotate
        properties += [("file", location.path), ("line", location.line), ("col", location.column)]
    properties.append(("title", title))
    rendered = ",".join(f"{name}={escape_property(str(value))}" for name, value in properties)
    return f"::{kind} {rendered}::{escape_data(message)}"


def _finding(finding: Finding) -> str:
    message = finding.message + (f"\nhelp: {finding.help}" if finding.help else "")
    return _command(_COMMAND[finding.severity], finding.location, f"{finding.code} {finding.rule}", message)


def render(result: AuditResult, findings: Sequence[Finding]) -> str:
    """One workflow command per finding, then one per input problem (as warnings)."""
    lines = [_finding(finding) for finding in findings]
    lines += [
        _command("warning", d.location, "stacktune input problem", d.message) for d in result.diagnostics
    ]
    return "\n".join(lines) + ("\n" if lines else "")
