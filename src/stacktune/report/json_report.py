"""The JSON report: a stable contract for scripts and CI (fields may be added, never removed)."""

from __future__ import annotations

import json

from stacktune.audit import AuditResult
from stacktune.checks.context import FkCoverage


def fk_to_json(item: FkCoverage) -> dict[str, object]:
    fk, table = item.fk, item.table
    location = fk.location.to_json() if fk.location else None
    return {
        "schema": table.schema,
        "table": table.name,
        "columns": list(fk.columns),
        "constraint": fk.name,
        "referenced_schema": fk.ref_schema,
        "referenced_table": fk.ref_table,
        "referenced_columns": list(fk.ref_columns),
        "on_delete": fk.on_delete,
        "on_update": fk.on_update,
        "verdict": item.coverage.verdict,
        "covered_by": item.coverage.covered_by if item.coverage.verdict == "covered" else None,
        "candidate_index": item.coverage.covered_by if item.coverage.verdict == "weak" else None,
        "reason": item.coverage.reason,
        "conditional": fk.conditional,
        "not_valid": fk.not_valid,
        "location": location,
    }


def render(result: AuditResult, *, indent: int | None = 2) -> str:
    """The report; `indent=None` is one line, written by the C encoder (several times faster)."""
    data = {
        "foreign_keys": [fk_to_json(item) for item in result.context.coverage],
        "findings": [finding.to_json() for finding in result.findings],
        "diagnostics": [d.to_json() for d in result.diagnostics],
        "sources": [source.to_json() for source in result.sources],
        "schema_from": result.schema_from,
    }
    return json.dumps(data, indent=indent, ensure_ascii=False)
