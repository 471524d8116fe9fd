"""The model/revision drift report and the several-heads finding, on the Alembic fixtures."""

from __future__ import annotations

from pathlib import Path

from stacktune.audit import AuditRequest, run_audit

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "alembic"


def test_drift_finds_model_only_and_revision_only_indexes_with_both_locations() -> None:
    result = run_audit(AuditRequest(root=FIXTURES / "linear"))
    assert result.schema_from == "both"
    by_code = {(f.code, f.location.path, f.location.line): f for f in result.findings if f.code in ("ST105", "ST106")}
    model_only = by_code[("ST105", "models.py", 27)]
    assert "ix_orders_shop_id" in model_only.message
    assert "migrations/versions/0002_orders.py:16" in model_only.message
    assert model_only.details["related"][0]["path"] == "migrations/versions/0002_orders.py"  # type: ignore[index]
    revision_only = by_code[("ST106", "migrations/versions/0002_orders.py", 29)]
    assert "ix_orders_customer_created" in revision_only.message and "models.py:23" in revision_only.message
    assert set(by_code) == {
        ("ST105", "models.py", 27),
        ("ST106", "migrations/versions/0001_users.py", 28),
        ("ST106", "migrations/versions/0002_orders.py", 29),
        ("ST106", "migrations/versions/0003_notes.py", 18),
    }


def test_fk_verdicts_follow_the_revisions_not_the_models() -> None:
    result = run_audit(AuditRequest(root=FIXTURES / "linear"))
    verdicts = {(i.table.name, i.fk.columns): i.coverage.verdict for i in result.context.coverage}
    # The model's index=True on shop_id never reached a revision: only the revisions' partial index counts.
    assert verdicts[("orders", ("shop_id",))] == "weak"
    models_only = run_audit(AuditRequest(root=FIXTURES / "linear", schema_from="models"))
    assert {(i.table.name, i.fk.columns): i.coverage.verdict for i in models_only.context.coverage}[
        ("orders", ("shop_id",))] == "covered"


def test_alembic_only_has_no_drift_findings() -> None:
    result = run_audit(AuditRequest(root=FIXTURES / "linear", schema_from="alembic"))
    assert result.schema_from == "alembic"
    assert not [f for f in result.findings if f.code in ("ST105", "ST106", "ST107", "ST108")]


def test_several_heads_is_a_finding() -> None:
    result = run_audit(AuditRequest(root=FIXTURES / "branched"))
    (heads,) = [f for f in result.findings if f.code == "ST109"]
    assert "d2" in heads.message and "e3" in heads.message
    assert heads.details["related"][0]["path"] == "alembic/versions/e3_reports.py"  # type: ignore[index]


def test_two_script_directories_share_one_alembic_version_table(tmp_path: Path) -> None:
    from sources.alembic.alembic_helpers import revision_text

    for name in ("core", "tenant"):
        (tmp_path / name / "versions").mkdir(parents=True)
        (tmp_path / name / "env.py").write_text("from alembic import context\n")
        body = f"    op.create_table('{name}_t', sa.Column('id', sa.Integer(), primary_key=True))\n"
        (tmp_path / name / "versions" / "r1.py").write_text(revision_text(f"{name}1", None, body))
    result = run_audit(AuditRequest(root=tmp_path))
    assert [f.message for f in result.findings if f.code == "ST103"] == []
    assert {t.name for t in result.context.schema.tables.values()} >= {"alembic_version", "core_t", "tenant_t"}
