from __future__ import annotations

import psycopg
import pytest
from truth.harness import apply_sql, catalog_schema

from stacktune.live.catalog import DATABASE_LOCATION, read_catalog
from stacktune.model.events import IndexKey, Predicate
from stacktune.model.schema import Schema
from stacktune.pg.connect import connect

SCHEMA_SQL = """
CREATE SCHEMA app;
CREATE TABLE app.parent (
    id int PRIMARY KEY,
    code varchar(20) COLLATE "C" UNIQUE,
    a int, b int,
    UNIQUE (a, b)
);
CREATE TABLE app.child (
    id bigserial PRIMARY KEY,
    ref uuid NOT NULL,
    parent_id int,
    pa int, pb int,
    note text,
    gone int,
    "Mixed Case" text,
    CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES app.parent ON DELETE CASCADE ON UPDATE SET NULL,
    CONSTRAINT child_pair_fk FOREIGN KEY (pb, pa) REFERENCES app.parent (b, a) ON DELETE SET DEFAULT ON UPDATE RESTRICT,
    CONSTRAINT positive CHECK (id > 0),
    EXCLUDE USING btree (ref WITH =)
);
ALTER TABLE app.child DROP COLUMN gone;
CREATE INDEX child_partial ON app.child (parent_id) INCLUDE (note, pa) WHERE parent_id IS NOT NULL;
CREATE INDEX child_other_pred ON app.child (pa) WHERE note <> '';
CREATE INDEX child_expr ON app.child (lower(note) text_pattern_ops DESC, note COLLATE "C", pb);
CREATE INDEX child_brin ON app.child USING brin (parent_id);
CREATE INDEX child_hash ON app.child USING hash ("Mixed Case");
CREATE TABLE public.loose (x int, y int REFERENCES app.parent);
ALTER TABLE public.loose ADD CONSTRAINT loose_fk_nv FOREIGN KEY (x) REFERENCES app.parent NOT VALID;

CREATE TABLE app.events (id int, parent_id int REFERENCES app.parent, at date) PARTITION BY RANGE (at);
CREATE TABLE app.events_2024 PARTITION OF app.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX events_parent ON app.events (parent_id);
CREATE TABLE app.points_at_events (id int, event_id int);
"""


@pytest.fixture
def schema(pg_database: str) -> Schema:
    apply_sql(pg_database, [SCHEMA_SQL])
    return catalog_schema(pg_database)


@pytest.mark.postgres
def test_tables_and_schemas(schema: Schema) -> None:
    assert schema.schemas == {"public", "app"}
    assert set(schema.tables) == {
        ("app", "parent"),
        ("app", "child"),
        ("public", "loose"),
        ("app", "events"),
        ("app", "events_2024"),
        ("app", "points_at_events"),
    }
    assert all(t.location == DATABASE_LOCATION for t in schema.tables.values())


@pytest.mark.postgres
def test_columns_in_order_with_internal_type_names(schema: Schema) -> None:
    child = schema.table("app", "child")
    assert [(c.name, c.type_name, c.not_null) for c in child.columns.values()] == [
        ("id", "int8", True),
        ("ref", "uuid", True),
        ("parent_id", "int4", False),
        ("pa", "int4", False),
        ("pb", "int4", False),
        ("note", "text", False),
        ("Mixed Case", "text", False),
    ]
    code = schema.table("app", "parent").columns["code"]
    assert (code.type_name, code.collation) == ("varchar", "C")
    assert child.columns["note"].collation is None


@pytest.mark.postgres
def test_index_keys_include_predicate_and_method(schema: Schema) -> None:
    idx = schema.table("app", "child").indexes
    partial = idx["child_partial"]
    assert partial.keys == (IndexKey(column="parent_id"),)
    assert partial.include == ("note", "pa")
    assert partial.predicate == Predicate("parent_id IS NOT NULL", frozenset({"parent_id"}))
    assert (partial.method, partial.unique, partial.constraint, partial.valid) == ("btree", False, None, True)
    other = idx["child_other_pred"].predicate
    assert other is not None and other.not_null_columns is None and "note" in other.text
    assert idx["child_expr"].keys == (
        IndexKey(expression="lower(note)", opclass="text_pattern_ops", descending=True),
        IndexKey(column="note", collation="C"),
        IndexKey(column="pb"),
    )
    assert idx["child_expr"].key_columns == (None, "note", "pb")
    assert idx["child_brin"].method == "brin"
    assert (idx["child_hash"].method, idx["child_hash"].key_columns) == ("hash", ("Mixed Case",))


@pytest.mark.postgres
def test_constraint_owned_indexes(schema: Schema) -> None:
    parent = schema.table("app", "parent").indexes
    assert (parent["parent_pkey"].constraint, parent["parent_pkey"].unique) == ("primary", True)
    assert parent["parent_a_b_key"].constraint == "unique"
    assert parent["parent_a_b_key"].key_columns == ("a", "b")
    child = schema.table("app", "child")
    exclude = child.indexes["child_ref_excl"]
    assert (exclude.constraint, exclude.unique, exclude.key_columns) == ("exclude", False, ("ref",))
    assert child.other_constraints == {"positive"}
    assert child.constraint_names() == {
        "child_parent_fk",
        "child_pair_fk",
        "positive",
        "child_pkey",
        "child_ref_excl",
    }


@pytest.mark.postgres
def test_foreign_keys_columns_order_and_actions(schema: Schema) -> None:
    fks = schema.table("app", "child").foreign_keys
    single = fks["child_parent_fk"]
    assert (single.columns, single.ref_schema, single.ref_table, single.ref_columns) == (
        ("parent_id",),
        "app",
        "parent",
        ("id",),
    )
    assert (single.on_delete, single.on_update, single.not_valid) == ("CASCADE", "SET NULL", False)
    pair = fks["child_pair_fk"]
    assert (pair.columns, pair.ref_columns) == (("pb", "pa"), ("b", "a"))
    assert (pair.on_delete, pair.on_update) == ("SET DEFAULT", "RESTRICT")
    loose = schema.table("public", "loose").foreign_keys
    assert (loose["loose_y_fkey"].on_delete, loose["loose_y_fkey"].not_valid) == ("NO ACTION", False)
    assert loose["loose_fk_nv"].not_valid is True


@pytest.mark.postgres
def test_partitions_and_their_cloned_constraints(pg_database: str, schema: Schema) -> None:
    events = schema.table("app", "events")
    part = schema.table("app", "events_2024")
    assert (events.partitioned, events.partition_of) == (True, None)
    assert (part.partitioned, part.partition_of) == (False, ("app", "events"))
    assert set(events.foreign_keys) == {"events_parent_id_fkey"}
    # The partition's clone of the parent's FK (conparentid <> 0) is not reported again.
    assert part.foreign_keys == {}
    assert events.indexes["events_parent"].key_columns == ("parent_id",)
    assert set(part.indexes) == {"events_2024_parent_id_idx"}


@pytest.mark.postgres
def test_fk_to_a_partitioned_table_is_read_once(pg_database: str) -> None:
    apply_sql(
        pg_database,
        [
            "CREATE TABLE p (id int, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
            "CREATE TABLE p1 PARTITION OF p FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
            "CREATE TABLE c (id int, p_id int, p_at date, FOREIGN KEY (p_id, p_at) REFERENCES p)",
        ],
    )
    fks = catalog_schema(pg_database).table("public", "c").foreign_keys
    assert [(fk.columns, fk.ref_table) for fk in fks.values()] == [(("p_id", "p_at"), "p")]


@pytest.mark.postgres
def test_failed_concurrent_unique_index_is_invalid(pg_database: str) -> None:
    apply_sql(pg_database, ["CREATE TABLE d (v int); INSERT INTO d VALUES (1), (1)"])
    with pytest.raises(psycopg.errors.UniqueViolation):
        apply_sql(pg_database, ["CREATE UNIQUE INDEX CONCURRENTLY d_v_key ON d (v)"], transactional=False)
    index = catalog_schema(pg_database).table("public", "d").indexes["d_v_key"]
    assert (index.valid, index.unique) == (False, True)
    assert "INVALID" in index.describe()


@pytest.mark.postgres
def test_schemas_filter(pg_database: str) -> None:
    apply_sql(pg_database, [SCHEMA_SQL])
    with connect(pg_database, read_only=True, statement_timeout_ms=5000) as conn:
        only_public = read_catalog(conn, schemas=["public"])
    assert only_public.schemas == {"public"}
    assert set(only_public.tables) == {("public", "loose")}
    # The FK still names its referenced table in the schema left out.
    assert only_public.table("public", "loose").foreign_keys["loose_y_fkey"].ref_schema == "app"


@pytest.mark.postgres
def test_temporary_and_system_tables_are_left_out(pg_database: str) -> None:
    with connect(pg_database, read_only=False, statement_timeout_ms=None) as conn:
        conn.execute("CREATE TEMPORARY TABLE scratch (id int); CREATE TABLE kept (id int)")
        schema = read_catalog(conn)
    assert set(schema.tables) == {("public", "kept")}
    assert schema.schemas == {"public"}


def test_query_files_are_exactly_the_ones_read() -> None:
    from importlib.resources import files

    from stacktune.live.catalog import load_query

    names = {p.name.removesuffix(".sql") for p in files("stacktune.live").joinpath("queries").iterdir()}
    catalog = {"schemas", "tables", "columns", "indexes", "foreign_keys", "other_constraints"}
    assert names == catalog | {"workload", "index_state", "build_progress"}  # + workload.py, apply.py
    assert all("SELECT" in load_query(name) for name in names)
