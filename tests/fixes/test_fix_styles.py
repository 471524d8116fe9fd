"""Each migration style's rendering: exact text where it matters, valid SQL/Python everywhere."""

import ast
import json
from datetime import UTC, datetime

import pytest
from fix_builders import col, context, fk, pk, table, users
from pglast import parser

from stacktune.fixes.errors import FixError
from stacktune.fixes.fk_index_plan import FkIndexPlan, PlanOptions, plan_fk_indexes
from stacktune.fixes.migration_styles import RENDERERS, render_migration
from stacktune.fixes.styles.common import MigrationTarget
from stacktune.model.events import CreateTable, RelName
from stacktune.model.location import Location

NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)

HEADER = """\
-- Indexes for foreign keys that had none, written by `stacktune fix`.
-- PostgreSQL looks up the referencing rows on every DELETE or key UPDATE of a referenced row;
-- each index below leads with its foreign key's columns so that lookup is not a table scan.
-- IF NOT EXISTS makes the file safe to run twice.
-- WHERE col IS NOT NULL (--partial, on by default): rows whose nullable foreign key is NULL
-- reference nothing and are never looked up, so the index leaves them out.
"""

BODY = """
-- orders(shop_id) -> users(id) ON DELETE NO ACTION: orders_shop_id_fkey declared at migrations/001_init.sql:8
-- indexes on orders:
--   orders_pkey btree (id) at migrations/001_init.sql:1
-- uncovered: no index on orders contains shop_id
CREATE INDEX{c} IF NOT EXISTS idx_orders_shop_id ON orders (shop_id);

-- orders(user_id) -> users(id) ON DELETE NO ACTION: orders_user_id_fkey declared at migrations/001_init.sql:7
-- indexes on orders:
--   orders_pkey btree (id) at migrations/001_init.sql:1
-- uncovered: no index on orders contains user_id
CREATE INDEX{c} IF NOT EXISTS idx_orders_user_id ON orders (user_id)
    WHERE user_id IS NOT NULL;
"""

CONCURRENT_HEADER = """\
-- CONCURRENTLY builds without blocking writes; if a build fails it leaves an INVALID index:
-- drop it (DROP INDEX CONCURRENTLY name) before running this again.
"""


def plan(*, concurrently: bool = False) -> FkIndexPlan:
    ctx = context(
        users(),
        table("orders", col("id", not_null=True), col("user_id"), col("shop_id", not_null=True),
              constraints=(pk("id"), fk("user_id", ref="users", line=7), fk("shop_id", ref="users", line=8))),
    )
    return plan_fk_indexes(ctx, PlanOptions(concurrently=concurrently))


def render(style: str, files: tuple[str, ...] = (), *, concurrently: bool = False, folder: str = "db",
           head: str | None = None) -> dict[str, str]:
    edits = render_migration(plan(concurrently=concurrently), MigrationTarget(style, folder, files, head), NOW)
    assert all(e.creates for e in edits)
    return {e.path: e.content for e in edits}


def body(concurrently: bool = False) -> str:
    return BODY.format(c=" CONCURRENTLY" if concurrently else "")


def test_numbered_continues_the_sequence_with_its_padding_and_separator() -> None:
    files = ("db/001_init.sql", "db/093_x.sql", "db/093_y.sql", "db/notes.txt")
    assert render("numbered", files) == {"db/094_add_missing_fk_indexes.sql": HEADER + body()}
    dashed = render("numbered", ("db/0001-init.sql",))
    assert list(dashed) == ["db/0002-add-missing-fk-indexes.sql"]


def test_numbered_concurrently_says_to_run_outside_a_transaction() -> None:
    (content,) = render("numbered", ("db/001_init.sql",), concurrently=True).values()
    assert content == HEADER + CONCURRENT_HEADER + (
        "-- Run this file OUTSIDE a transaction: CREATE INDEX CONCURRENTLY cannot run inside a\n"
        "-- transaction block. Send the statements one at a time (psql -f does), not as one BEGIN ... COMMIT.\n"
    ) + body(True)


def test_supabase_uses_a_timestamp() -> None:
    files = ("supabase/migrations/20240101000000_init.sql",)
    result = render("supabase", files, folder="supabase/migrations")
    assert list(result) == ["supabase/migrations/20240501120000_add_missing_fk_indexes.sql"]


def test_golang_migrate_writes_an_up_down_pair() -> None:
    files = ("db/000001_init.up.sql", "db/000001_init.down.sql")
    assert render("golang-migrate", files) == {
        "db/000002_add_missing_fk_indexes.up.sql": HEADER + body(),
        "db/000002_add_missing_fk_indexes.down.sql": (
            "-- Reverts 000002_add_missing_fk_indexes.up.sql: drops the indexes it created.\n"
            "DROP INDEX IF EXISTS idx_orders_user_id;\n"
            "DROP INDEX IF EXISTS idx_orders_shop_id;\n"
        ),
    }


def test_golang_migrate_concurrently_writes_one_index_per_migration() -> None:
    result = render("golang-migrate", ("db/000001_init.up.sql",), concurrently=True)
    assert sorted(result) == [
        "db/000002_add_missing_fk_indexes.down.sql", "db/000002_add_missing_fk_indexes.up.sql",
        "db/000003_add_missing_fk_indexes.down.sql", "db/000003_add_missing_fk_indexes.up.sql",
    ]
    up = result["db/000002_add_missing_fk_indexes.up.sql"]
    assert up.count("\nCREATE INDEX CONCURRENTLY") == 1
    assert result["db/000002_add_missing_fk_indexes.down.sql"].endswith(
        "DROP INDEX CONCURRENTLY IF EXISTS idx_orders_shop_id;\n"
    )


def test_goose_has_up_and_down_sections_and_no_transaction_first_when_concurrent() -> None:
    plain = render("goose", ("db/20240101000000_init.sql",))
    assert plain == {
        "db/20240501120000_add_missing_fk_indexes.sql": "-- +goose Up\n" + HEADER + body() + (
            "\n-- +goose Down\n"
            "DROP INDEX IF EXISTS idx_orders_user_id;\n"
            "DROP INDEX IF EXISTS idx_orders_shop_id;\n"
        )
    }
    (concurrent,) = render("goose", ("db/00001_init.sql",), concurrently=True).items()
    assert concurrent[0] == "db/00002_add_missing_fk_indexes.sql"
    assert concurrent[1].startswith("-- +goose NO TRANSACTION\n-- +goose Up\n")


def test_dbmate_sections_and_transaction_false() -> None:
    assert render("dbmate", ("db/20240101000000_init.sql",)) == {
        "db/20240501120000_add_missing_fk_indexes.sql": "-- migrate:up\n" + HEADER + body() + (
            "\n-- migrate:down\n"
            "DROP INDEX IF EXISTS idx_orders_user_id;\n"
            "DROP INDEX IF EXISTS idx_orders_shop_id;\n"
        )
    }
    concurrent = render("dbmate", (), concurrently=True)
    assert sorted(concurrent) == [
        "db/20240501120000_add_missing_fk_indexes.sql", "db/20240501120001_add_missing_fk_indexes.sql"
    ]
    for content in concurrent.values():
        assert content.startswith("-- migrate:up transaction:false\n")
        assert "\n-- migrate:down transaction:false\n" in content
        assert content.count("\nCREATE INDEX CONCURRENTLY") == 1


def test_flyway_writes_the_next_version_and_its_undo() -> None:
    result = render("flyway", ("db/V1__init.sql", "db/V1_1__more.sql", "db/R__views.sql"))
    assert sorted(result) == ["db/U1_2__add_missing_fk_indexes.sql", "db/V1_2__add_missing_fk_indexes.sql"]
    assert result["db/V1_2__add_missing_fk_indexes.sql"] == HEADER + body()
    assert result["db/U1_2__add_missing_fk_indexes.sql"].endswith("DROP INDEX IF EXISTS idx_orders_shop_id;\n")


def test_flyway_concurrently_adds_script_configs() -> None:
    result = render("flyway", ("db/V7__init.sql",), concurrently=True)
    assert result["db/V8__add_missing_fk_indexes.sql.conf"] == "executeInTransaction=false\n"
    assert result["db/U8__add_missing_fk_indexes.sql.conf"] == "executeInTransaction=false\n"
    assert "-- Runs outside a transaction: see V8__add_missing_fk_indexes.sql.conf.\n" in result[
        "db/V8__add_missing_fk_indexes.sql"
    ]


def test_diesel_writes_a_migration_folder() -> None:
    files = ("db/00000000000000_diesel_initial_setup/up.sql", "db/2024-01-01-000000_init/up.sql")
    result = render("diesel", files)
    assert result == {
        "db/2024-05-01-120000_add_missing_fk_indexes/up.sql": HEADER + body(),
        "db/2024-05-01-120000_add_missing_fk_indexes/down.sql": (
            "-- Reverts 2024-05-01-120000_add_missing_fk_indexes/up.sql.\n"
            "DROP INDEX IF EXISTS idx_orders_user_id;\n"
            "DROP INDEX IF EXISTS idx_orders_shop_id;\n"
        ),
    }
    concurrent = render("diesel", files, concurrently=True)
    assert concurrent["db/2024-05-01-120000_add_missing_fk_indexes/metadata.toml"] == "run_in_transaction = false\n"
    assert "db/2024-05-01-120001_add_missing_fk_indexes/metadata.toml" in concurrent


def test_alembic_revision_follows_the_head_and_is_deterministic() -> None:
    files = ("alembic/versions/aaa111_init.py",)
    first = render("alembic", files, head="aaa111")
    assert first == render("alembic", files, head="aaa111")
    ((path, content),) = first.items()
    revision = path.split("/")[-1].split("_")[0]
    assert path == f"alembic/versions/{revision}_add_missing_fk_indexes.py"
    assert len(revision) == 12 and int(revision, 16) >= 0
    module = ast.parse(content)
    values = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in module.body if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    assert values == {"revision": revision, "down_revision": "aaa111", "branch_labels": None, "depends_on": None}
    assert (
        "    op.create_index(\n"
        '        "idx_orders_user_id",\n'
        '        "orders",\n'
        '        ["user_id"],\n'
        "        unique=False,\n"
        '        postgresql_where=sa.text("user_id IS NOT NULL"),\n'
        "        if_not_exists=True,\n"
        "    )\n"
    ) in content
    drop = 'op.drop_index(\n        "idx_orders_shop_id",\n        table_name="orders",\n        if_exists=True,\n'
    assert drop in content


def test_alembic_concurrently_uses_autocommit_block() -> None:
    ((_, content),) = render("alembic", (), head=None, concurrently=True, folder="alembic/versions").items()
    assert "down_revision = None" in content
    assert content.count("with op.get_context().autocommit_block():") == 2
    assert content.count("postgresql_concurrently=True") == 4
    ast.parse(content)


def test_alembic_needs_the_head_when_revisions_exist() -> None:
    with pytest.raises(FixError, match="--alembic-head"):
        render("alembic", ("alembic/versions/aaa_init.py",))
    with pytest.raises(FixError, match="not an Alembic revision id"):
        render("alembic", ("alembic/versions/aaa_init.py",), head='x"\nimport os')


def test_an_unknown_style_is_an_error() -> None:
    with pytest.raises(FixError, match="liquibase"):
        render("liquibase")


@pytest.mark.parametrize("style", sorted(set(RENDERERS) - {"alembic"}))
@pytest.mark.parametrize("concurrently", [False, True])
def test_every_sql_file_parses(style: str, concurrently: bool) -> None:
    for path, content in render(style, concurrently=concurrently).items():
        if path.endswith(".sql"):
            statements = json.loads(parser.parse_sql_json(content))["stmts"]
            kinds = {next(iter(s["stmt"])) for s in statements}
            assert kinds <= {"IndexStmt", "DropStmt"}, path


def test_partitioned_tables_are_indexed_without_concurrently() -> None:
    ctx = context(
        users(),
        CreateTable(table=RelName(None, "events"), columns=(col("user_id"), col("at", not_null=True)),
                    constraints=(fk("user_id", ref="users"),), partitioned=True, location=Location("m.sql", 1)),
    )
    concurrent = plan_fk_indexes(ctx, PlanOptions(concurrently=True))
    (content,) = (e.content for e in render_migration(concurrent, MigrationTarget("goose", "db"), NOW))
    assert "\nCREATE INDEX IF NOT EXISTS idx_events_user_id ON events (user_id)" in content
    assert "\nDROP INDEX IF EXISTS idx_events_user_id;" in content
    assert "-- partitioned table: PostgreSQL cannot build this CONCURRENTLY" in content
    (module,) = (e.content for e in render_migration(concurrent, MigrationTarget("alembic", "v"), NOW))
    assert "postgresql_concurrently" not in module
