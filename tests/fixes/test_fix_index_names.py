import re

from fix_builders import col, context, fk, index, pk, table, users

from stacktune.fixes.index_names import IndexNamer, fit_name, learn_convention, simple_part


def child(name: str = "orders", *extra: str) -> object:
    return table(name, col("id", not_null=True), col("user_id"), *(col(c) for c in extra),
                 constraints=(pk("id"), fk("user_id", ref="users")))


def test_without_examples_the_default_is_idx_table_columns() -> None:
    ctx = context(users(), child())
    namer = IndexNamer(ctx.schema)
    assert namer.choose(ctx.schema.table("public", "orders"), ("user_id",)) == "idx_orders_user_id"


def test_the_majority_affix_wins_and_constraint_indexes_do_not_vote() -> None:
    ctx = context(
        users(), child("orders", "a", "b"), child("carts", "a"),
        index("orders", "a", name="ix_orders_a"), index("orders", "b", name="ix_orders_b"),
        index("carts", "a", name="idx_carts_a"),
    )
    convention = learn_convention(ctx.schema)
    assert (convention.prefix, convention.suffix) == ("ix_", "")
    assert IndexNamer(ctx.schema).choose(ctx.schema.table("public", "carts"), ("user_id",)) == "ix_carts_user_id"


def test_suffix_convention_is_learnt() -> None:
    ctx = context(users(), child("orders", "a"), index("orders", "a", name="orders_a_idx"))
    assert IndexNamer(ctx.schema).choose(ctx.schema.table("public", "orders"), ("user_id",)) == "orders_user_id_idx"


def test_a_tables_own_stem_is_kept_like_the_seed_did() -> None:
    ctx = context(
        users(),
        table("task_audit_logs", col("id", not_null=True), col("task_id"), col("user_id"), col("created_at"),
              constraints=(pk("id"), fk("user_id", ref="users"))),
        index("task_audit_logs", "task_id", name="idx_audit_logs_task"),  # says nothing: not <stem>_<column>
        index("task_audit_logs", "created_at", name="idx_audit_logs_created_at"),
    )
    convention = learn_convention(ctx.schema)
    assert convention.stems == {("public", "task_audit_logs"): "audit_logs"}
    name = IndexNamer(ctx.schema).choose(ctx.schema.table("public", "task_audit_logs"), ("user_id",))
    assert name == "idx_audit_logs_user_id"


def test_names_never_collide_with_relations_or_each_other() -> None:
    ctx = context(
        users(), child("orders", "x"),
        index("orders", "x", name="idx_orders_user_id"),  # a name that does not say what it holds
        table("idx_orders_user_id_2", col("id")),
    )
    orders = ctx.schema.table("public", "orders")
    namer = IndexNamer(ctx.schema)
    first = namer.choose(orders, ("user_id",))
    second = namer.choose(orders, ("user_id",))
    assert first == "idx_orders_user_id_3"
    assert second == "idx_orders_user_id_4"


def test_long_names_are_cut_to_63_bytes_with_a_deterministic_digest() -> None:
    long_table = "t" * 70
    name = fit_name("idx_", f"{long_table}_user_id", "")
    assert len(name.encode()) == 63
    assert re.fullmatch(r"idx_t+_[0-9a-f]{6}", name)
    assert name == fit_name("idx_", f"{long_table}_user_id", "")
    assert name != fit_name("idx_", f"{long_table}_owner_id", "")
    suffixed = fit_name("", f"{long_table}_user_id", "_idx")
    assert suffixed.endswith("_idx") and len(suffixed.encode()) <= 63


def test_non_ascii_names_are_cut_on_character_boundaries() -> None:
    body = "用户资料" * 10 + "_user_id"  # 3 bytes per character
    name = fit_name("idx_", body, "")
    assert len(name.encode()) <= 63
    name.encode().decode()  # whole characters only
    assert name.startswith("idx_用户资料")


def test_colliding_long_names_stay_distinct_and_short() -> None:
    long_name = "a" * 70
    ctx = context(users(), table(long_name, col("id", not_null=True), col("user_id"),
                                 constraints=(pk("id"), fk("user_id", ref="users"))))
    namer = IndexNamer(ctx.schema)
    target = ctx.schema.table("public", long_name[:63])
    names = {namer.choose(target, ("user_id",)) for _ in range(3)}
    assert len(names) == 3
    assert all(len(n.encode()) <= 63 for n in names)


def test_name_parts_from_hostile_identifiers_need_no_quoting() -> None:
    assert simple_part('a"; DROP TABLE x; --') == "a_drop_table_x"
    assert simple_part("User Id") == "user_id"
    assert simple_part("用户") == "用户"
