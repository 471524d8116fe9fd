"""The truth fixtures cover what they claim: every migration layout, every model style, every verdict.

Fast and database-free: a guard against a fixture folder silently losing the
case it exists for (a renamed folder, a layout no longer detected).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stacktune.audit import AuditRequest, run_audit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "truth"

LAYOUTS = {
    "layout_numbered": "numbered",
    "layout_golang_migrate": "golang-migrate",
    "layout_goose": "goose",
    "layout_dbmate": "dbmate",
    "layout_flyway": "flyway",
    "layout_diesel": "diesel",
    "layout_supabase": "supabase",
}
MODELS_ONLY = ("models_classic", "models_mapped_convention", "models_mixins_inheritance")


@pytest.mark.parametrize(("folder", "style"), sorted(LAYOUTS.items()))
def test_layout_fixture_is_read_in_its_own_style(folder: str, style: str) -> None:
    result = run_audit(AuditRequest(root=FIXTURES / folder))
    assert [(s.kind, s.style) for s in result.sources] == [("sql", style)]
    assert len(result.sources[0].files) >= 2


@pytest.mark.parametrize("folder", MODELS_ONLY)
def test_model_fixture_has_models_only(folder: str) -> None:
    result = run_audit(AuditRequest(root=FIXTURES / folder))
    assert [s.kind for s in result.sources] == ["models"]
    assert result.context.coverage


def test_models_with_migrations_builds_from_both() -> None:
    result = run_audit(AuditRequest(root=FIXTURES / "models_with_migrations"))
    assert result.schema_from == "both"
    assert sorted(s.kind for s in result.sources) == ["models", "sql"]


def test_coverage_cases_yield_every_verdict() -> None:
    result = run_audit(AuditRequest(root=FIXTURES / "coverage_cases"))
    by_table = {(i.table.qualified_name, i.fk.columns): i.coverage.verdict for i in result.context.coverage}
    assert by_table[("notes", ("account_id",))] == "uncovered"
    assert by_table[("projects", ("owner_id",))] == "covered"
    assert by_table[("comments", ("task_id",))] == "weak"
    assert by_table[("sessions", ("account_id",))] == "covered"
    assert by_table[("metrics", ("project_id",))] == "weak"
    assert by_table[("audit_entries", ("account_id",))] == "weak"
    assert by_table[("memberships", ("handle", "region_code"))] == "covered"
    assert by_table[("invitations", ("handle", "region_code"))] == "weak"
    assert by_table[("project_members", ("project_id",))] == "covered"
    assert by_table[("billing.invoices", ("account_id",))] == "covered"
