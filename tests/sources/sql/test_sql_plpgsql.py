"""DDL inside DO blocks and called PL/pgSQL functions: found, located, flagged conditional."""

from __future__ import annotations

from sql_helpers import read

from stacktune.model.events import AddConstraint, CreateIndex, CreateTable, DropTable
from stacktune.model.location import Location
from stacktune.sources.sql.statements import sql_to_events

DO_BLOCK = """\
-- 外键 (foreign keys)
DO $$
BEGIN
  ALTER TABLE a ADD CONSTRAINT a_b_fk FOREIGN KEY (b) REFERENCES c (id);
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'a_d_fk') THEN
    ALTER TABLE a ADD CONSTRAINT a_d_fk FOREIGN KEY (d) REFERENCES c (id);
  END IF;
  EXECUTE 'CREATE INDEX a_b_idx ON a (b)';
  EXECUTE format('CREATE INDEX %I ON a (d)', 'dynamic_idx');
  BEGIN
    CREATE INDEX a_d_idx ON a (d);
  EXCEPTION WHEN duplicate_table THEN NULL;
  END;
  BEGIN
    CREATE TABLE plain_block (id int);
  END;
  FOR i IN 1..2 LOOP DROP TABLE IF EXISTS looped; END LOOP;
END $$;
"""


def test_do_block_statements_with_conditional_flags_and_locations() -> None:
    events = read(DO_BLOCK)
    summary = [(type(e).__name__, e.conditional, e.location.line, e.location.column) for e in events]
    assert summary == [
        ("AddConstraint", False, 4, 3),
        ("AddConstraint", True, 6, 5),  # under IF
        ("CreateIndex", False, 8, 11),  # EXECUTE of a plain literal: located at the literal
        ("CreateIndex", True, 11, 5),  # guarded by an EXCEPTION handler
        ("CreateTable", False, 15, 5),  # a plain nested block runs unconditionally
        ("DropTable", True, 17, 22),  # in a loop
    ]
    assert isinstance(events[0], AddConstraint) and events[0].constraint.name == "a_b_fk"
    assert isinstance(events[2], CreateIndex) and events[2].name == "a_b_idx"  # format(): not knowable
    assert isinstance(events[4], CreateTable) and isinstance(events[5], DropTable)


def test_repeated_statement_text_is_located_on_its_own_line() -> None:
    sql = "DO $$ BEGIN\nIF true THEN CREATE INDEX ON a (b); END IF;\nCREATE INDEX ON a (b);\nEND $$;"
    assert [(e.location.line, e.conditional) for e in read(sql)] == [(2, True), (3, False)]


def test_non_plpgsql_do_block_is_ignored() -> None:
    assert read("DO LANGUAGE plpython3u $$ plpy.execute('CREATE TABLE x (a int)') $$;") == []


def test_sql_to_events_conditional_argument_marks_everything() -> None:
    events, _ = sql_to_events("CREATE TABLE a (id int); CREATE INDEX ON a (id);", "m.sql", conditional=True)
    assert [e.conditional for e in events] == [True, True]


FUNCTION = """\
CREATE OR REPLACE FUNCTION public.add_fks() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  ALTER TABLE a ADD CONSTRAINT a_b_fk FOREIGN KEY (b) REFERENCES c (id);
  IF true THEN
    CREATE INDEX a_b_idx ON a (b);
  END IF;
END
$fn$;
"""


def test_function_body_only_counts_when_called() -> None:
    assert read(FUNCTION) == []


def test_called_function_emits_its_ddl_at_the_call() -> None:
    events = read("CREATE TABLE first (id int);\n" + FUNCTION + "SELECT public.add_fks();\nDROP FUNCTION add_fks();\n")
    assert [type(e).__name__ for e in events] == ["CreateTable", "AddConstraint", "CreateIndex"]
    assert [(e.location.line, e.conditional) for e in events[1:]] == [(4, False), (6, True)]


def test_procedure_call_and_perform_from_a_do_block() -> None:
    procedure = FUNCTION.replace("FUNCTION public.add_fks() RETURNS void", "PROCEDURE add_fks()")
    assert len(read(procedure + "CALL add_fks();")) == 2
    events = read(FUNCTION + "DO $$ BEGIN IF true THEN PERFORM add_fks(); END IF; END $$;")
    assert [e.conditional for e in events] == [True, True]  # the call itself is conditional


def test_sql_language_function_and_self_call_are_safe() -> None:
    assert read("CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ CREATE TABLE x (a int) $$; SELECT f();") == []
    recursive = (
        "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN CREATE INDEX ON a (b); PERFORM f(); END $$;"
        " SELECT f();"
    )
    assert [type(e).__name__ for e in read(recursive)] == ["CreateIndex"]


def test_plpgsql_syntax_error_is_a_diagnostic() -> None:
    events, diagnostics = sql_to_events("CREATE TABLE a (id int);\nDO $$ BEGIN IF END $$;", "m.sql")
    assert [type(e).__name__ for e in events] == ["CreateTable"]
    assert len(diagnostics) == 1
    assert diagnostics[0].location == Location("m.sql", 2, 1)
    assert diagnostics[0].message.startswith("PL/pgSQL: syntax error")
