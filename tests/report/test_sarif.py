"""SARIF 2.1.0: valid against the official schema, one rule per check, stable fingerprints."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from stacktune.audit import AuditRequest, AuditResult, run_audit
from stacktune.checks.context import AuditContext
from stacktune.checks.registry import all_rules
from stacktune.model.diagnostics import Diagnostic
from stacktune.model.finding import Finding
from stacktune.model.location import Location
from stacktune.model.schema import Schema
from stacktune.report import sarif
from stacktune.rules_doc import docs_url

DATA = Path(__file__).parent / "data"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "backend"
RULES = all_rules()


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def _log(result: AuditResult, findings: list[Finding] | None = None) -> dict:
    return json.loads(sarif.render(result, result.findings if findings is None else findings, RULES))


def _errors(validator: jsonschema.Draft4Validator, log: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]


def test_example_backend_validates(validator: jsonschema.Draft4Validator) -> None:
    result = run_audit(AuditRequest(root=EXAMPLE))
    log = _log(result)
    assert _errors(validator, log) == []
    run = log["runs"][0]
    descriptors = run["tool"]["driver"]["rules"]
    assert [d["id"] for d in descriptors] == [rule.code for rule in RULES]
    assert all(d["helpUri"] == docs_url(rule) for d, rule in zip(descriptors, RULES, strict=True))
    fk = next(d for d in descriptors if d["id"] == "ST101")
    assert fk["defaultConfiguration"] == {"level": "warning"} and fk["name"] == "fk-without-index"
    assert len(run["results"]) == len(result.findings) > 0
    for sarif_result, finding in zip(run["results"], result.findings, strict=True):
        assert descriptors[sarif_result["ruleIndex"]]["id"] == sarif_result["ruleId"] == finding.code
        region = sarif_result["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == (finding.location.line, finding.location.column)
        uri = sarif_result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri == finding.location.path and (EXAMPLE / uri).is_file()
    fingerprints = [r["partialFingerprints"][sarif.FINGERPRINT_KEY] for r in run["results"]]
    assert len(set(fingerprints)) == len(fingerprints)


def test_fingerprints_survive_moved_lines(tmp_path: Path) -> None:
    root = tmp_path / "backend"
    shutil.copytree(EXAMPLE, root)
    before = _log(run_audit(AuditRequest(root=root)))["runs"][0]["results"]
    for path in sorted((root / "migrations").glob("*.sql")):
        path.write_text("-- moved\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    after = _log(run_audit(AuditRequest(root=root)))["runs"][0]["results"]

    def by_fingerprint(results: list[dict]) -> dict[str, tuple[str, int]]:
        return {
            r["partialFingerprints"][sarif.FINGERPRINT_KEY]: (
                r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]
            )
            for r in results
        }

    old, new = by_fingerprint(before), by_fingerprint(after)
    assert old.keys() == new.keys()
    moved = [fp for fp in old if new[fp][1] == old[fp][1] + 2]
    assert moved, "the migrations' findings moved down two lines and kept their fingerprints"


def test_levels_database_locations_and_diagnostics(validator: jsonschema.Draft4Validator, tmp_path: Path) -> None:
    result = AuditResult(
        root=tmp_path,
        schema_from="database",
        sources=[],
        context=AuditContext(Schema()),
        findings=[],
        diagnostics=[Diagnostic(Location("m.sql", 2, 1), 'syntax error at or near "TABLEX"')],
    )
    findings = [
        Finding("ST104", "if-not-exists-skipped", "info", "skipped", Location("m.sql", 4, 1)),
        Finding("ST101", "fk-without-index", "error", "no index", Location("<database>"), help="add one",
                details={"constraint": "c"}),
    ]
    log = _log(result, findings)
    assert _errors(validator, log) == []
    first, second = log["runs"][0]["results"]
    assert first["level"] == "note" and second["level"] == "error"
    assert second["locations"] == [{"logicalLocations": [{"name": "<database>"}]}]
    assert second["message"]["text"] == "no index\nhelp: add one"
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["message"]["text"] == 'syntax error at or near "TABLEX"'
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
