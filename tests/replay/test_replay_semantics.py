"""Replay rules that decide answers, each on a few lines of SQL (no database; the truth tests
build the same semantics on PostgreSQL)."""

from __future__ import annotations

from stacktune.replay.engine import Replayer
from stacktune.sources.sql.statements import sql_to_events


def replay_sql(sql: str) -> Replayer:
    events, diagnostics = sql_to_events(sql, "m.sql")
    assert diagnostics == []
    replayer = Replayer()
    replayer.run(events)
    return replayer


def test_alter_table_if_exists_on_a_missing_table_is_a_no_op() -> None:
    replayer = replay_sql(
        "ALTER TABLE IF EXISTS ghost ADD COLUMN x int;\n"
        "ALTER TABLE IF EXISTS ghost RENAME COLUMN a TO b;\n"
        "ALTER TABLE ghost ADD COLUMN y int;\n"
    )
    assert [(p.location.line, p.message) for p in replayer.problems] == [(3, 'relation "ghost" does not exist')]


def test_a_guarded_statement_that_would_fail_is_not_a_problem() -> None:
    replayer = replay_sql(
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p_id int);\n"
        "ALTER TABLE c ADD CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p;\n"
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'c_p') THEN\n"
        "  ALTER TABLE c ADD CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p; END IF; END $$;\n"
    )
    assert replayer.problems == []
    assert list(replayer.schema.tables[("public", "c")].foreign_keys) == ["c_p"]


def test_duplicate_key_clauses_in_one_create_table_make_one_index_named_by_the_named_one() -> None:
    replayer = replay_sql("CREATE TABLE m (id int PRIMARY KEY UNIQUE, code text UNIQUE, CONSTRAINT m_code_u UNIQUE (code));")
    assert sorted(replayer.schema.tables[("public", "m")].indexes) == ["m_code_u", "m_pkey"]


def test_checks_are_named_before_indexes_so_the_index_takes_the_next_suffix() -> None:
    replayer = replay_sql(
        "CREATE TABLE p (id int PRIMARY KEY);\n"
        "CREATE TABLE c (p_id int REFERENCES p, CONSTRAINT c_p_id_key CHECK (p_id > 0), UNIQUE (p_id));\n"
    )
    table = replayer.schema.tables[("public", "c")]
    assert sorted(table.indexes) == ["c_p_id_key1"]
    assert table.other_constraints == {"c_p_id_key"}


def test_unnamed_indexes_on_one_column_are_numbered_and_long_names_cut_to_63_bytes() -> None:
    long = "t" * 40
    replayer = replay_sql(
        f"CREATE TABLE {long} (customer_reference_identifier int);\n"
        f"CREATE INDEX ON {long} (customer_reference_identifier);\n"
        f"CREATE INDEX ON {long} (customer_reference_identifier);\n"
    )
    names = sorted(replayer.schema.tables[("public", long)].indexes)
    # As PostgreSQL 16 names them: the longer part is cut first, then the label gets a number.
    assert names == [
        "ttttttttttttttttttttttttttttt_customer_reference_identifie_idx1",
        "ttttttttttttttttttttttttttttt_customer_reference_identifier_idx",
    ]
    assert all(len(name.encode()) <= 63 for name in names)


def test_if_not_exists_compares_names_only() -> None:
    replayer = replay_sql(
        "CREATE TABLE t (a int, b int);\n"
        "CREATE INDEX ix_t ON t (a);\n"
        "CREATE INDEX IF NOT EXISTS ix_t ON t (b);\n"
    )
    index = replayer.schema.tables[("public", "t")].indexes["ix_t"]
    assert index.key_columns == ("a",)
    (notice,) = replayer.problems
    assert notice.notice and "the index on t (b) was never created" in notice.message
