"""Truth tests: every static verdict must equal what PostgreSQL's own catalog says.

Each fixture repository is audited statically, then built for real on a fresh
database (the models' create_all, then every migration's up part in the order
its tool applies them), and the two schemas are compared FK by FK and index by
index. The planner is asked too: a covered FK's lookup must be an index lookup,
an uncovered one's must not.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from truth.harness import catalog_schema, planner_uses_index

from stacktune.audit import AuditRequest, AuditResult, run_audit
from stacktune.checks.context import AuditContext
from stacktune.live.build import build_repository
from stacktune.model.schema import Schema

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "truth"
CASES = sorted(p for p in FIXTURES.iterdir() if p.is_dir()) + [REPO / "examples" / "backend"]


def build_on_postgres(db_uri: str, result: AuditResult) -> None:
    """What a fresh deployment does: create_all from the models first, then the migrations in order."""
    report = build_repository(db_uri, result)
    assert report.failures == [] and report.notes == [], [*map(str, report.failures), *report.notes]


def verdicts(schema: Schema) -> dict[tuple[str, str, str], tuple]:
    return {
        (item.table.schema, item.table.name, item.fk.name): (
            item.fk.columns,
            (item.fk.ref_schema, item.fk.ref_table),
            item.fk.ref_columns,
            item.fk.on_delete,
            item.coverage.verdict,
            item.coverage.covered_by,
        )
        for item in AuditContext(schema).coverage
    }


def indexes(schema: Schema) -> dict[tuple[str, str], dict[str, tuple]]:
    return {
        table.key: {
            ix.name: (ix.key_columns, ix.include, ix.unique, ix.method, ix.predicate is not None, ix.constraint)
            for ix in table.indexes.values()
        }
        for table in schema.tables.values()
    }


def assert_schema_equals_catalog(static: Schema, catalog: Schema) -> None:
    """Same tables, same indexes (names, keys, kind), same FKs with the same verdicts."""
    assert sorted(static.tables) == sorted(catalog.tables)
    assert indexes(static) == indexes(catalog)
    assert verdicts(static) == verdicts(catalog)
    assert verdicts(static), "a truth fixture must declare foreign keys"


@pytest.mark.postgres
@pytest.mark.parametrize("fixture", CASES, ids=lambda p: p.name)
def test_static_audit_equals_catalog(fixture: Path, pg_database: str) -> None:
    result = run_audit(AuditRequest(root=fixture))
    assert result.diagnostics == [], [str(d) for d in result.diagnostics]
    assert [p for p in result.context.replay_problems if not p.notice] == []
    build_on_postgres(pg_database, result)
    assert_schema_equals_catalog(result.context.schema, catalog_schema(pg_database))


@pytest.mark.postgres
@pytest.mark.parametrize("fixture", CASES, ids=lambda p: p.name)
def test_planner_agrees_with_verdicts(fixture: Path, pg_database: str) -> None:
    result = run_audit(AuditRequest(root=fixture))
    build_on_postgres(pg_database, result)
    for item in result.context.coverage:
        used = planner_uses_index(pg_database, item.table.schema, item.table.name, item.fk.columns)
        verdict = item.coverage.verdict
        label = f"{item.table.qualified_name}{item.fk.columns} {verdict}: {item.coverage.reason}"
        if verdict == "covered":
            assert used is not None, label
        elif verdict == "uncovered" or "only part of the FK columns" not in item.coverage.reason:
            # A prefix of a multi-column FK is looked up and the rest filtered: the one weak
            # case the planner still serves from an index.
            assert used is None, f"{label}; planner used {used}"
