"""GitHub workflow commands: one annotation per finding, escaped per the runner's rules."""

from __future__ import annotations

from pathlib import Path

from stacktune.audit import AuditResult
from stacktune.checks.context import AuditContext
from stacktune.model.diagnostics import Diagnostic
from stacktune.model.finding import Finding
from stacktune.model.location import Location
from stacktune.model.schema import Schema
from stacktune.report import github


def _result(diagnostics: list[Diagnostic] | None = None) -> AuditResult:
    return AuditResult(Path("."), "migrations", [], AuditContext(Schema()), [], diagnostics or [])


def test_annotations_with_levels_and_positions() -> None:
    findings = [
        Finding(
            "ST101", "fk-without-index", "warning", "orders(user_id): no index", Location("migrations/001.sql", 7, 25)
        ),
        Finding("ST103", "migration-fails", "error", "fails", Location("migrations/002.sql", 1, 1)),
        Finding("ST104", "if-not-exists-skipped", "info", "skipped", Location("app/models.py", 3, 5)),
    ]
    assert github.render(_result(), findings).splitlines() == [
        "::warning file=migrations/001.sql,line=7,col=25,title=ST101 fk-without-index::orders(user_id): no index",
        "::error file=migrations/002.sql,line=1,col=1,title=ST103 migration-fails::fails",
        "::notice file=app/models.py,line=3,col=5,title=ST104 if-not-exists-skipped::skipped",
    ]


def test_escaping_of_message_and_properties() -> None:
    finding = Finding(
        "ST101", "fk-without-index", "warning", "100% sure:\r\nsee, here", Location("db/a,b:c%.sql", 2, 3),
        help="add an index",
    )
    [line] = github.render(_result(), [finding]).splitlines()
    assert line == (
        "::warning file=db/a%2Cb%3Ac%25.sql,line=2,col=3,title=ST101 fk-without-index"
        "::100%25 sure:%0D%0Asee, here%0Ahelp: add an index"
    )


def test_database_findings_and_input_problems() -> None:
    findings = [Finding("ST101", "fk-without-index", "warning", "no index", Location("<database>"))]
    output = github.render(_result([Diagnostic(Location("m.sql", 4, 1), "syntax error")]), findings)
    assert output.splitlines() == [
        "::warning title=ST101 fk-without-index::no index",
        "::warning file=m.sql,line=4,col=1,title=stacktune input problem::syntax error",
    ]
    assert github.render(_result(), []) == ""
