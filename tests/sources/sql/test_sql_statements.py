"""Each DDL statement kind maps to the schema events PostgreSQL's semantics give it."""

from __future__ import annotations

import pytest
from sql_helpers import plain

from stacktune.model.events import (
    AddColumn,
    AddConstraint,
    AlterColumnType,
    ColumnDef,
    ConstraintDef,
    CreateIndex,
    CreateSchema,
    CreateTable,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropSchema,
    DropTable,
    IndexKey,
    LikeClause,
    Predicate,
    RelName,
    RenameColumn,
    RenameConstraint,
    RenameRelation,
    SetColumnNotNull,
    SetRelationSchema,
    SetSearchPath,
)

T = RelName(None, "t")
L = {"location": None}


def fk(columns, ref, ref_columns=(), **kw) -> ConstraintDef:
    return ConstraintDef("foreign", tuple(columns), ref_table=ref, ref_columns=tuple(ref_columns), **kw)


CREATE_TABLE_CASES = [
    pytest.param(
        "CREATE TABLE t (id serial PRIMARY KEY, big bigserial, small smallserial, n int, s varchar(20))",
        CreateTable(
            table=T,
            columns=(
                ColumnDef("id", "int4", not_null=True),
                ColumnDef("big", "int8", not_null=True),
                ColumnDef("small", "int2", not_null=True),
                ColumnDef("n", "int4"),
                ColumnDef("s", "varchar"),
            ),
            constraints=(ConstraintDef("primary", ("id",)),),
            **L,
        ),
        id="types-serials-pk",
    ),
    pytest.param(
        'CREATE TABLE IF NOT EXISTS app."Order" (u uuid NOT NULL, t text COLLATE "C", a bigint[],'
        " g int GENERATED ALWAYS AS IDENTITY, x int NULL)",
        CreateTable(
            table=RelName("app", "Order"),
            columns=(
                ColumnDef("u", "uuid", not_null=True),
                ColumnDef("t", "text", collation="C"),
                ColumnDef("a", "int8[]"),
                ColumnDef("g", "int4", not_null=True),
                ColumnDef("x", "int4"),
            ),
            if_not_exists=True,
            **L,
        ),
        id="quoted-schema-collate-array-identity",
    ),
    pytest.param(
        "CREATE TABLE t (a int REFERENCES users ON DELETE CASCADE ON UPDATE SET NULL,"
        " b int CONSTRAINT b_fk REFERENCES s.users (id) ON DELETE SET DEFAULT,"
        " c int UNIQUE, d int CHECK (d > 0), e int REFERENCES u (id) ON DELETE RESTRICT ON UPDATE NO ACTION)",
        CreateTable(
            table=T,
            columns=tuple(ColumnDef(c, "int4") for c in "abcde"),
            constraints=(
                fk(["a"], RelName(None, "users"), on_delete="CASCADE", on_update="SET NULL"),
                fk(["b"], RelName("s", "users"), ["id"], name="b_fk", on_delete="SET DEFAULT"),
                ConstraintDef("unique", ("c",)),
                ConstraintDef("check", ("d",)),
                fk(["e"], RelName(None, "u"), ["id"], on_delete="RESTRICT"),
            ),
            **L,
        ),
        id="inline-constraints-and-actions",
    ),
    pytest.param(
        "CREATE TABLE t (a int, b int, CONSTRAINT t_pk PRIMARY KEY (a, b), c int,"
        " UNIQUE (b) INCLUDE (c), CONSTRAINT positive CHECK (a > 0),"
        " FOREIGN KEY (a, b) REFERENCES p (x, y) NOT VALID,"
        " CONSTRAINT no_overlap EXCLUDE USING GIST (a WITH =, lower(c::text) text_ops WITH &&) WHERE (b IS NOT NULL))",
        CreateTable(
            table=T,
            columns=(
                ColumnDef("a", "int4", not_null=True),
                ColumnDef("b", "int4", not_null=True),
                ColumnDef("c", "int4"),
            ),
            constraints=(
                ConstraintDef("primary", ("a", "b"), name="t_pk"),
                ConstraintDef("unique", ("b",), include=("c",)),
                ConstraintDef("check", (), name="positive"),
                # CREATE TABLE ignores NOT VALID: the constraint starts valid.
                fk(["a", "b"], RelName(None, "p"), ["x", "y"]),
                ConstraintDef(
                    "exclude",
                    (),
                    name="no_overlap",
                    index_method="gist",
                    keys=(IndexKey(column="a"), IndexKey(expression="lower(CAST(c AS text))", opclass="text_ops")),
                    predicate=Predicate("b IS NOT NULL", frozenset({"b"})),
                ),
            ),
            **L,
        ),
        id="table-constraints-in-declaration-order",
    ),
    pytest.param(
        "CREATE TABLE t (LIKE a INCLUDING INDEXES, LIKE b INCLUDING ALL, LIKE c INCLUDING ALL EXCLUDING INDEXES,"
        " LIKE d, n int) INHERITS (base)",
        CreateTable(
            table=T,
            columns=(ColumnDef("n", "int4"),),
            like=(
                LikeClause(RelName(None, "a"), including_indexes=True),
                LikeClause(RelName(None, "b"), including_indexes=True),
                LikeClause(RelName(None, "c")),
                LikeClause(RelName(None, "d")),
            ),
            inherits=(RelName(None, "base"),),
            **L,
        ),
        id="like-inherits",
    ),
    pytest.param(
        "CREATE TABLE t (id int, at date) PARTITION BY RANGE (at)",
        CreateTable(table=T, columns=(ColumnDef("id", "int4"), ColumnDef("at", "date")), partitioned=True, **L),
        id="partitioned",
    ),
    pytest.param(
        "CREATE TABLE t2024 PARTITION OF t FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
        CreateTable(table=RelName(None, "t2024"), partition_of=T, **L),
        id="partition-of",
    ),
    pytest.param(
        "CREATE TABLE t AS SELECT a, b AS c, lower(d) FROM src",
        CreateTable(
            table=T, columns=(ColumnDef("a", "unknown"), ColumnDef("c", "unknown"), ColumnDef("lower", "unknown")), **L
        ),
        id="create-table-as",
    ),
    pytest.param(
        "CREATE TABLE t (x, y) AS SELECT 1, 2",
        CreateTable(table=T, columns=(ColumnDef("x", "unknown"), ColumnDef("y", "unknown")), **L),
        id="create-table-as-column-names",
    ),
    pytest.param(
        "SELECT a, b INTO t FROM src",
        CreateTable(table=T, columns=(ColumnDef("a", "unknown"), ColumnDef("b", "unknown")), **L),
        id="select-into",
    ),
]


@pytest.mark.parametrize(("sql", "expected"), CREATE_TABLE_CASES)
def test_create_table(sql: str, expected: CreateTable) -> None:
    assert plain(sql) == [expected]


ALTER_CASES = [
    pytest.param(
        "ALTER TABLE IF EXISTS ONLY t ADD COLUMN IF NOT EXISTS u bigint NOT NULL"
        " REFERENCES users (id) ON DELETE SET NULL",
        [
            AddColumn(
                table=T,
                column=ColumnDef("u", "int8", not_null=True),
                constraints=(fk(["u"], RelName(None, "users"), ["id"], on_delete="SET NULL"),),
                if_not_exists=True,
                if_table_exists=True,
                **L,
            )
        ],
        id="add-column-with-fk",
    ),
    pytest.param(
        "ALTER TABLE t ADD u int REFERENCES users",
        [AddColumn(table=T, column=ColumnDef("u", "int4"), constraints=(fk(["u"], RelName(None, "users")),), **L)],
        id="add-without-column-keyword",
    ),
    pytest.param(
        "ALTER TABLE t DROP COLUMN IF EXISTS a CASCADE, DROP b",
        [
            DropColumn(table=T, column="a", if_exists=True, cascade=True, **L),
            DropColumn(table=T, column="b", **L),
        ],
        id="drop-columns-in-order",
    ),
    pytest.param(
        'ALTER TABLE t ALTER COLUMN a TYPE varchar(10) COLLATE "C", ALTER b SET DATA TYPE bigint',
        [
            AlterColumnType(table=T, column="a", type_name="varchar", collation="C", **L),
            AlterColumnType(table=T, column="b", type_name="int8", **L),
        ],
        id="alter-type",
    ),
    pytest.param(
        "ALTER TABLE t ALTER COLUMN a SET NOT NULL, ALTER a DROP NOT NULL",
        [
            SetColumnNotNull(table=T, column="a", not_null=True, **L),
            SetColumnNotNull(table=T, column="a", not_null=False, **L),
        ],
        id="not-null",
    ),
    pytest.param(
        "ALTER TABLE s.t ADD CONSTRAINT t_fk FOREIGN KEY (a, b) REFERENCES p (x, y) ON DELETE CASCADE NOT VALID,"
        " VALIDATE CONSTRAINT t_fk",
        [
            AddConstraint(
                table=RelName("s", "t"),
                constraint=fk(
                    ["a", "b"], RelName(None, "p"), ["x", "y"], name="t_fk", on_delete="CASCADE", not_valid=True
                ),
                **L,
            )
        ],
        id="add-fk-not-valid-validate-ignored",
    ),
    pytest.param(
        "ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_idx, ADD UNIQUE USING INDEX u_idx,"
        " ADD CONSTRAINT c CHECK (a > 0) NOT VALID",
        [
            AddConstraint(table=T, constraint=ConstraintDef("primary", name="t_pkey", using_index="t_idx"), **L),
            AddConstraint(table=T, constraint=ConstraintDef("unique", using_index="u_idx"), **L),
            AddConstraint(table=T, constraint=ConstraintDef("check", name="c", not_valid=True), **L),
        ],
        id="using-index-and-check",
    ),
    pytest.param(
        "ALTER TABLE t DROP CONSTRAINT IF EXISTS a CASCADE, DROP CONSTRAINT b",
        [
            DropConstraint(table=T, name="a", if_exists=True, cascade=True, **L),
            DropConstraint(table=T, name="b", **L),
        ],
        id="drop-constraint",
    ),
    pytest.param(
        "ALTER TABLE t RENAME TO u; ALTER INDEX IF EXISTS s.i RENAME TO j; ALTER TABLE t RENAME COLUMN a TO b;"
        " ALTER TABLE t RENAME c TO d; ALTER TABLE t RENAME CONSTRAINT x TO y;"
        " ALTER TABLE IF EXISTS t SET SCHEMA archive",
        [
            RenameRelation(relation=T, new_name="u", **L),
            RenameRelation(relation=RelName("s", "i"), new_name="j", if_exists=True, **L),
            RenameColumn(table=T, column="a", new_name="b", **L),
            RenameColumn(table=T, column="c", new_name="d", **L),
            RenameConstraint(table=T, name="x", new_name="y", **L),
            SetRelationSchema(relation=T, new_schema="archive", if_exists=True, **L),
        ],
        id="renames-and-set-schema",
    ),
    pytest.param("ALTER TABLE t OWNER TO bob, ALTER a SET DEFAULT 1", [], id="irrelevant-subcommands"),
]


@pytest.mark.parametrize(("sql", "expected"), ALTER_CASES)
def test_alter_table(sql: str, expected: list) -> None:
    assert plain(sql) == expected


INDEX_CASES = [
    pytest.param(
        "CREATE INDEX ON t (a)",
        CreateIndex(table=T, keys=(IndexKey(column="a"),), **L),
        id="unnamed-default-btree",
    ),
    pytest.param(
        "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix ON ONLY s.t USING HASH (a)",
        CreateIndex(
            table=RelName("s", "t"),
            keys=(IndexKey(column="a"),),
            name="ix",
            unique=True,
            method="hash",
            if_not_exists=True,
            concurrently=True,
            only=True,
            **L,
        ),
        id="all-flags",
    ),
    pytest.param(
        'CREATE INDEX ix ON t (a DESC, lower(b) COLLATE "C" text_pattern_ops, (c + 1)) INCLUDE (d, e)',
        CreateIndex(
            table=T,
            keys=(
                IndexKey(column="a", descending=True),
                IndexKey(expression="lower(b)", collation="C", opclass="text_pattern_ops"),
                IndexKey(expression="c + 1"),
            ),
            name="ix",
            include=("d", "e"),
            **L,
        ),
        id="expressions-collation-opclass-include",
    ),
    pytest.param(
        "CREATE INDEX ix ON t (a, b) WHERE a IS NOT NULL AND (b IS NOT NULL)",
        CreateIndex(
            table=T,
            keys=(IndexKey(column="a"), IndexKey(column="b")),
            name="ix",
            predicate=Predicate("a IS NOT NULL AND b IS NOT NULL", frozenset({"a", "b"})),
            **L,
        ),
        id="not-null-predicate",
    ),
    pytest.param(
        "CREATE INDEX ix ON t (a) WHERE deleted_at IS NULL",
        CreateIndex(table=T, keys=(IndexKey(column="a"),), name="ix", predicate=Predicate("deleted_at IS NULL"), **L),
        id="restrictive-predicate",
    ),
    pytest.param(
        "CREATE INDEX ix ON t (a) WHERE a IS NOT NULL OR b IS NOT NULL",
        CreateIndex(
            table=T, keys=(IndexKey(column="a"),), name="ix", predicate=Predicate("a IS NOT NULL OR b IS NOT NULL"), **L
        ),
        id="or-is-not-implied",
    ),
]


@pytest.mark.parametrize(("sql", "expected"), INDEX_CASES)
def test_create_index(sql: str, expected: CreateIndex) -> None:
    assert plain(sql) == [expected]


OTHER_CASES = [
    pytest.param(
        "DROP INDEX CONCURRENTLY IF EXISTS a, s.b CASCADE",
        [DropIndex(indexes=(RelName(None, "a"), RelName("s", "b")), if_exists=True, cascade=True, **L)],
        id="drop-index",
    ),
    pytest.param(
        "DROP TABLE IF EXISTS a, s.b CASCADE; DROP TABLE c",
        [
            DropTable(tables=(RelName(None, "a"), RelName("s", "b")), if_exists=True, cascade=True, **L),
            DropTable(tables=(RelName(None, "c"),), **L),
        ],
        id="drop-table",
    ),
    pytest.param(
        "CREATE SCHEMA IF NOT EXISTS app; CREATE SCHEMA AUTHORIZATION joe; DROP SCHEMA IF EXISTS a, b CASCADE",
        [
            CreateSchema(name="app", if_not_exists=True, **L),
            CreateSchema(name="joe", **L),
            DropSchema(names=("a", "b"), if_exists=True, cascade=True, **L),
        ],
        id="schemas",
    ),
    pytest.param(
        "CREATE SCHEMA app CREATE TABLE q (a int) CREATE INDEX ON q (a)",
        [
            CreateSchema(name="app", **L),
            CreateTable(table=RelName("app", "q"), columns=(ColumnDef("a", "int4"),), **L),
            CreateIndex(table=RelName("app", "q"), keys=(IndexKey(column="a"),), **L),
        ],
        id="schema-elements",
    ),
    pytest.param(
        'SET search_path TO app, "Mixed", public; SET LOCAL search_path = other; SET search_path = "$user", public',
        [
            SetSearchPath(schemas=("app", "Mixed", "public"), **L),
            SetSearchPath(schemas=("other",), **L),
            SetSearchPath(schemas=("public",), **L),
        ],
        id="set-search-path",
    ),
    pytest.param(
        "RESET search_path; SET search_path TO DEFAULT; RESET ALL",
        [SetSearchPath(schemas=("public",), **L)] * 3,
        id="reset-search-path",
    ),
    pytest.param(
        "SELECT pg_catalog.set_config('search_path', '', false);"
        " SELECT set_config('search_path', 'App, \"Quoted\"', true)",
        [SetSearchPath(schemas=(), **L), SetSearchPath(schemas=("app", "Quoted"), **L)],
        id="set-config-as-pg-dump-writes-it",
    ),
    pytest.param(
        "INSERT INTO t VALUES (1); UPDATE t SET a = 1; GRANT SELECT ON t TO bob; COMMENT ON TABLE t IS 'x';"
        " CREATE VIEW v AS SELECT 1; CREATE TYPE e AS ENUM ('a'); CREATE EXTENSION IF NOT EXISTS pgcrypto;"
        " CREATE SEQUENCE s; BEGIN; COMMIT; SET statement_timeout = 0; SELECT 1;"
        " CREATE TEMP TABLE tmp (a int); CREATE MATERIALIZED VIEW mv AS SELECT 1; CREATE TABLE star AS SELECT * FROM t",
        [],
        id="no-events-no-diagnostics",
    ),
]


@pytest.mark.parametrize(("sql", "expected"), OTHER_CASES)
def test_other_statements(sql: str, expected: list) -> None:
    assert plain(sql) == expected
