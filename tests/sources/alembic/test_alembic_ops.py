"""upgrade() bodies -> events: each op.* call, batch blocks, op.execute SQL, and what is not static."""

from __future__ import annotations

import ast
from pathlib import Path

from sources.alembic.alembic_helpers import make_project, revision_text

from stacktune.model import events as ev
from stacktune.sources.alembic import find_alembic_projects, read_alembic
from stacktune.sources.alembic.ops import ModuleScope, UpgradeReader
from stacktune.sources.alembic.tables import Namer, key_from_sql
from stacktune.sources.models.naming import DEFAULT_CONVENTION
from stacktune.sources.models.pysource import parse_source


def read_body(body: str, header: str = "", convention: dict[str, str] | None = None) -> UpgradeReader:
    text = revision_text("r1", None, body, header=header)
    src = parse_source("versions/r1.py", text.encode())
    assert not isinstance(src, type(None))
    upgrade = next(s for s in src.tree.body if isinstance(s, ast.FunctionDef) and s.name == "upgrade")
    reader = UpgradeReader(src, Namer(convention or dict(DEFAULT_CONVENTION)), ModuleScope.of(src.tree))
    reader.read(upgrade)
    return reader


def test_create_table_columns_constraints_and_column_index() -> None:
    reader = read_body(
        "    op.create_table('orders',\n"
        "        sa.Column('id', sa.BigInteger(), primary_key=True),\n"
        "        sa.Column('user_id', sa.Integer(), sa.ForeignKey('auth.users.id', ondelete='CASCADE'), index=True),\n"
        "        sa.Column('code', sa.String(10), unique=True, nullable=False),\n"
        "        sa.UniqueConstraint('user_id', 'code', name=op.f('uq_orders_user_code')),\n"
        "        schema='shop')\n"
    )
    assert reader.diagnostics == []
    table, index = reader.events
    assert isinstance(table, ev.CreateTable) and table.table == ev.RelName("shop", "orders")
    assert [(c.name, c.type_name, c.not_null) for c in table.columns] == [
        ("id", "int8", True), ("user_id", "int4", False), ("code", "varchar", True)]
    kinds = [(c.kind, c.columns, c.name) for c in table.constraints]
    assert kinds == [("primary", ("id",), None), ("unique", ("user_id", "code"), "uq_orders_user_code"),
                     ("foreign", ("user_id",), None), ("unique", ("code",), None)]
    fk = table.constraints[2]
    assert fk.ref_table == ev.RelName("auth", "users") and fk.on_delete == "CASCADE"
    assert isinstance(index, ev.CreateIndex) and index.name == "ix_shop_orders_user_id"
    assert index.location.line == table.location.line + 2


def test_create_index_options() -> None:
    reader = read_body(
        "    op.create_index('ix_a', 'orders', ['user_id', sa.text('lower(code)')], unique=True,\n"
        "                    postgresql_where=sa.text('user_id IS NOT NULL'), postgresql_using='btree',\n"
        "                    postgresql_include=['code'], if_not_exists=True, postgresql_concurrently=True)\n"
    )
    (index,) = reader.events
    assert isinstance(index, ev.CreateIndex)
    assert [k.label for k in index.keys] == ["user_id", "(lower(code))"]
    assert index.unique and index.if_not_exists and index.concurrently and index.include == ("code",)
    assert index.predicate is not None and index.predicate.not_null_columns == frozenset({"user_id"})


def test_alter_add_drop_rename_and_constraints() -> None:
    reader = read_body(
        "    op.add_column('orders', sa.Column('shop_id', sa.Integer(), sa.ForeignKey('shops.id'), nullable=False))\n"
        "    op.alter_column('orders', 'shop_id', nullable=True, type_=sa.BigInteger(), new_column_name='store_id')\n"
        "    op.create_foreign_key('fk_x', 'orders', 'users', ['user_id'], ['id'], referent_schema='auth')\n"
        "    op.create_unique_constraint(None, 'orders', ['code'])\n"
        "    op.create_primary_key('pk_orders', 'orders', ['id'])\n"
        "    op.drop_constraint('fk_x', 'orders', type_='foreignkey')\n"
        "    op.drop_index('ix_a', table_name='orders', schema='shop')\n"
        "    op.drop_column('orders', 'code')\n"
        "    op.rename_table('orders', 'purchases')\n"
        "    op.drop_table('purchases', if_exists=True)\n"
    )
    assert reader.diagnostics == []
    kinds = [type(e).__name__ for e in reader.events]
    assert kinds == ["AddColumn", "AddConstraint", "SetColumnNotNull", "AlterColumnType", "RenameColumn",
                     "AddConstraint", "AddConstraint", "AddConstraint", "DropConstraint", "DropIndex",
                     "DropColumn", "RenameRelation", "DropTable"]
    add = reader.events[0]
    assert isinstance(add, ev.AddColumn) and add.column.not_null and add.constraints == ()
    fk = reader.events[5]
    assert isinstance(fk, ev.AddConstraint) and fk.constraint.ref_table == ev.RelName("auth", "users")
    drop = reader.events[9]
    assert isinstance(drop, ev.DropIndex) and drop.indexes == (ev.RelName("shop", "ix_a"),)


def test_naming_convention_applies_to_unnamed_and_constraint_name_templates() -> None:
    convention = {"ix": "ix_%(column_0_label)s", "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
                  "uq": "uq_%(table_name)s_%(constraint_name)s"}
    reader = read_body(
        "    op.create_foreign_key(None, 'orders', 'users', ['user_id'], ['id'])\n"
        "    op.create_unique_constraint('code', 'orders', ['code'])\n"
        "    op.create_unique_constraint(op.f('uq_final'), 'orders', ['code'])\n",
        convention=convention,
    )
    names = [e.constraint.name for e in reader.events if isinstance(e, ev.AddConstraint)]
    assert names == ["fk_orders_user_id_users", "uq_orders_code", "uq_final"]


def test_batch_blocks_loops_helpers_and_dialect_tests() -> None:
    reader = read_body(
        "    with op.batch_alter_table('teams', schema='s') as batch_op:\n"
        "        batch_op.create_index('ix_t_lead', ['lead_id'])\n"
        "        batch_op.create_foreign_key(None, 'people', ['lead_id'], ['id'])\n"
        "    for table in TABLES:\n"
        "        _index(table)\n"
        "    if op.get_context().dialect.name != 'postgresql':\n"
        "        op.create_index('ix_never', 'x', ['y'])\n",
        header="\nTABLES = ['a', 'b']\n\n\ndef _index(table, column='user_id'):\n"
               "    op.create_index(f'ix_{table}_{column}', table, [column])\n",
    )
    assert reader.diagnostics == []
    index, fk, a, b = reader.events
    assert isinstance(index, ev.CreateIndex) and index.table == ev.RelName("s", "teams")
    assert isinstance(fk, ev.AddConstraint) and fk.table == ev.RelName("s", "teams")
    assert [(e.name, e.table.name) for e in (a, b)] == [("ix_a_user_id", "a"), ("ix_b_user_id", "b")]  # type: ignore[union-attr]


def test_backend_tests_through_a_variable_the_engine_or_the_url_are_decided_for_postgresql() -> None:
    reader = read_body(
        "    bind = op.get_bind()\n"
        "    url = str(bind.engine.url)\n"
        "    dialect = bind.dialect.name\n"
        "    if url.startswith('mysql'):\n"
        "        op.create_index('ix_mysql', 'x', ['y'])\n"
        "    elif url.startswith('postgres'):\n"
        "        op.create_index('ix_url', 'x', ['y'])\n"
        "    if dialect == 'sqlite':\n"
        "        op.create_index('ix_sqlite', 'x', ['y'])\n"
        "    if not bind.engine.name == 'postgresql':\n"
        "        op.create_index('ix_not_pg', 'x', ['y'])\n"
        "    else:\n"
        "        op.create_index('ix_engine', 'x', ['y'])\n"
    )
    assert reader.diagnostics == []
    assert all(isinstance(e, ev.CreateIndex) for e in reader.events)
    assert [(e.name, e.conditional) for e in reader.events] == [  # type: ignore[union-attr]
        ("ix_url", False), ("ix_engine", False),
    ]


def test_execute_sql_is_read_by_the_sql_source_at_the_call_line() -> None:
    reader = read_body(
        "    conn = op.get_bind()\n"
        "    op.execute('''\n"
        "        CREATE INDEX ix_sql ON orders (user_id);\n"
        "        ALTER TABLE orders ADD CONSTRAINT fk_sql FOREIGN KEY (shop_id) REFERENCES shops (id);\n"
        "    ''')\n"
        "    conn.execute(sa.text('DROP INDEX ix_old'))\n"
        "    op.execute(orders.update().values(x=1))\n"
    )
    assert reader.diagnostics == []
    create, add, drop = reader.events
    assert isinstance(create, ev.CreateIndex) and isinstance(add, ev.AddConstraint) and isinstance(drop, ev.DropIndex)
    assert create.location == add.location and create.location.line == 12


def test_what_is_not_static_is_a_diagnostic_and_the_rest_goes_on() -> None:
    reader = read_body(
        "    op.create_index('ix_a', get_table(), ['x'])\n"
        "    for t in tables():\n"
        "        op.drop_table(t)\n"
        "    if context.get_x_argument():\n"
        "        op.create_index('ix_maybe', 'orders', ['user_id'])\n"
        "    op.execute(f'CREATE INDEX ix_{suffix} ON t (x)')\n"
        "    helper_from_elsewhere()\n"
        "    op.create_index('ix_ok', 'orders', ['user_id'])\n"
    )
    lines = sorted(d.location.line for d in reader.diagnostics)
    assert lines == [11, 12, 14, 16, 17]
    maybe, ok = reader.events
    assert isinstance(maybe, ev.CreateIndex) and maybe.conditional and maybe.name == "ix_maybe"
    assert isinstance(ok, ev.CreateIndex) and not ok.conditional


def test_key_from_sql_reads_elements_as_postgresql_does() -> None:
    assert key_from_sql("user_id DESC").column == "user_id"
    assert key_from_sql("(user_id)").column == "user_id"
    assert key_from_sql("lower(email)").expression == "lower(email)"


def test_discovery_ini_env_only_and_version_locations(tmp_path: Path) -> None:
    make_project(tmp_path / "svc", {"a.py": revision_text("a", None)})
    other = tmp_path / "db" / "alembic"
    (other / "versions").mkdir(parents=True)
    (other / "env.py").write_text("")
    (tmp_path / "tests" / "migrations" / "versions").mkdir(parents=True)
    (tmp_path / "tests" / "migrations" / "env.py").write_text("")
    (tmp_path / "tox.ini").write_text("[tox]\nenvlist = py311\n")
    projects, problems = find_alembic_projects(tmp_path)
    assert problems == []
    assert [p.script_dir.relative_to(tmp_path.resolve()).as_posix() if p.script_dir.is_absolute()
            else p.script_dir.relative_to(tmp_path).as_posix() for p in projects] == ["db/alembic", "svc/migrations"]


def test_revision_files_without_identifiers_or_upgrade(tmp_path: Path) -> None:
    root = make_project(tmp_path, {
        "a.py": revision_text("a", None, "    op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True))\n"),
        "helpers.py": "X = 1\n",
        "b.py": "revision = compute()\n",
        "c.py": "revision = 'c'\ndown_revision = 'a'\n",
        "broken.py": "def upgrade(:\n",
    })
    source = read_alembic(root, find_alembic_projects(root)[0][0])
    messages = {Path(d.location.path).name: d.message for d in source.diagnostics}
    assert set(messages) == {"helpers.py", "b.py", "c.py", "broken.py"}
    assert "no upgrade()" in messages["c.py"] and "invalid Python" in messages["broken.py"]
    assert [Path(f).name for f in source.files] == ["a.py", "c.py"]
    assert source.head == "c"
