"""Real-world migration folders (pg_dump, Rails structure.sql, Django sqlmigrate, Supabase): static = catalog.

Each fixture under tests/fixtures/real_world is audited statically, then built on a
fresh PostgreSQL, and the two must agree FK by FK and index by index. The dump with
COPY data cannot be run through the harness (COPY FROM stdin needs psql), so its
test checks the static reading only: the rows are data, never SQL.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from truth.harness import catalog_schema
from truth.test_truth import build_on_postgres, indexes, verdicts

from stacktune.audit import AuditRequest, run_audit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "real_world"
BUILDABLE = ("django_sqlmigrate", "pg_dump", "rails_structure", "supabase_app")

# What each fixture exists for: the verdicts a reader of its SQL expects.
EXPECTED = {
    "pg_dump": {
        "customers_referred_by_fkey": "uncovered",
        "coupons_created_by_fkey": "uncovered",
        "order_items_order_id_fkey": "covered",  # the composite primary key leads with it
        "order_items_product_id_fkey": "covered",  # a hash index on the single column
        "orders_coupon_code_fkey": "uncovered",  # NOT VALID still checks new rows
        "orders_customer_id_fkey": "weak",  # second column of (status, customer_id)
        "shipments_order_id_fkey": "covered",
    },
    "rails_structure": {
        "fk_rails_2fd19c0db7": "covered",  # (post_id, created_at DESC)
        "fk_rails_53d1b1f2bd": "uncovered",
        "fk_rails_5b5ddfd518": "weak",  # partial index WHERE published_at IS NOT NULL
    },
    "django_sqlmigrate": {
        "library_book_author_id_5b4a2f0b_fk_library_author_id": "covered",
        "library_book_tags_book_id_3f2e1d0c_fk_library_book_id": "covered",
        "library_book_tags_tag_id_8a9b0c1d_fk_library_tag_id": "covered",
        "library_loan_book_id_2c7e9f4a_fk_library_book_id": "covered",
        "library_loan_borrower_id_9d1e3a5b_fk_library_author_id": "covered",  # the unique_together
    },
    "supabase_app": {
        "profiles_id_fkey": "covered",
        "orders_user_id_fkey": "covered",
        "order_lines_order_id_fkey": "covered",
        "order_lines_product_id_fkey": "weak",  # BRIN
        "favorites_product_id_fkey": "covered",
        "favorites_user_id_fkey": "weak",  # second column of the primary key
    },
}


@pytest.mark.parametrize("name", BUILDABLE)
def test_fixture_reads_cleanly_with_the_expected_verdicts(name: str) -> None:
    result = run_audit(AuditRequest(root=FIXTURES / name))
    assert result.diagnostics == [], [str(d) for d in result.diagnostics]
    assert [p for p in result.context.replay_problems if not p.notice] == []
    found = {item.fk.name: item.coverage.verdict for item in result.context.coverage}
    assert found == EXPECTED[name]


@pytest.mark.postgres
@pytest.mark.parametrize("name", BUILDABLE)
def test_static_verdicts_equal_the_catalog(name: str, pg_database: str) -> None:
    result = run_audit(AuditRequest(root=FIXTURES / name))
    build_on_postgres(pg_database, result)
    catalog = catalog_schema(pg_database)
    assert sorted(result.context.schema.tables) == sorted(catalog.tables)
    assert indexes(result.context.schema) == indexes(catalog)
    assert verdicts(result.context.schema) == verdicts(catalog)


def test_dropped_django_column_takes_its_foreign_key_along() -> None:
    result = run_audit(AuditRequest(root=FIXTURES / "django_sqlmigrate"))
    book = result.context.schema.tables[("public", "library_book")]
    assert "editor_id" not in book.columns


def test_copy_rows_are_data_not_sql() -> None:
    """A row holding SQL text (here a DROP TABLE) must not change the schema, nor be reported."""
    result = run_audit(AuditRequest(root=FIXTURES / "pg_dump_with_data"))
    assert result.diagnostics == []
    assert sorted(result.context.schema.tables) == [("public", "authors"), ("public", "books")]
    assert "books_author_id_idx" not in result.context.schema.tables[("public", "books")].indexes
    (item,) = result.context.coverage
    assert (item.fk.name, item.coverage.verdict) == ("books_author_id_fkey", "uncovered")
    assert (item.fk.location.path, item.fk.location.line) == ("migrations/000_dump.sql", 50)


def test_end_of_data_marker_without_copy_is_still_reported() -> None:
    from stacktune.sources.sql.statements import sql_to_events

    sql = "CREATE TABLE t (id int PRIMARY KEY);\n\\.\nCOPY t (id) TO stdout;\n"
    events, problems = sql_to_events(sql, "m.sql")
    assert [type(e).__name__ for e in events] == ["CreateTable"]
    assert [(p.location.line, p.message) for p in problems] == [(2, "psql meta-command skipped: \\.")]
