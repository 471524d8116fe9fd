import pytest
from fix_builders import col, context, fk, index, pk, table, users

from stacktune.fixes.fk_index_plan import PatternError, PlanOptions, plan_fk_indexes


def shop():
    """orders: user_id nullable uncovered, shop_id NOT NULL uncovered, coupon_id weak (second column)."""
    return context(
        users(),
        table("shops", col("id", not_null=True), constraints=(pk("id"),)),
        table("coupons", col("id", not_null=True), constraints=(pk("id"),)),
        table(
            "orders",
            col("id", not_null=True), col("user_id"), col("shop_id", not_null=True), col("coupon_id"),
            col("placed_at"),
            constraints=(
                pk("id"),
                fk("user_id", ref="users", line=7),
                fk("shop_id", ref="shops", line=8),
                fk("coupon_id", ref="coupons", line=9),
            ),
            line=3,
        ),
        index("orders", "placed_at", "coupon_id", name="idx_orders_placed_coupon", line=12),
    )


def by_columns(plan):
    return {ix.columns: ix for ix in plan.indexes}


def test_uncovered_fks_get_an_index_partial_only_when_nullable() -> None:
    plan = plan_fk_indexes(shop(), PlanOptions())
    found = by_columns(plan)
    assert set(found) == {("user_id",), ("shop_id",)}
    assert found[("user_id",)].predicate == "user_id IS NOT NULL"
    assert found[("shop_id",)].predicate is None
    assert found[("user_id",)].name == "idx_orders_user_id"
    assert found[("user_id",)].foreign_keys == ("orders_user_id_fkey",)


def test_a_configured_index_prefix_wins_over_the_learned_convention() -> None:
    plan = plan_fk_indexes(shop(), PlanOptions(index_prefix="fkix_"))
    assert {ix.name for ix in plan.indexes} == {"fkix_orders_user_id", "fkix_orders_shop_id"}


def test_no_partial_writes_plain_indexes() -> None:
    plan = plan_fk_indexes(shop(), PlanOptions(partial=False))
    assert all(ix.predicate is None for ix in plan.indexes)
    assert "partial" not in plan.summary()


def test_summary_and_header_say_why_the_partial_form_was_used() -> None:
    plan = plan_fk_indexes(shop(), PlanOptions())
    assert plan.summary().startswith("2 indexes for 2 foreign keys; 1 partial (WHERE col IS NOT NULL)")
    assert "--partial" in plan.summary()
    assert any("--partial" in line for line in plan.header())


def test_weak_fks_are_left_alone_unless_asked() -> None:
    plan = plan_fk_indexes(shop(), PlanOptions())
    assert ("coupon_id",) not in by_columns(plan)
    assert any(note.startswith("orders(coupon_id): weak") and "--include-weak" in note for note in plan.notes)
    weak = plan_fk_indexes(shop(), PlanOptions(include_weak=True))
    assert ("coupon_id",) in by_columns(weak)


@pytest.mark.parametrize(
    ("select", "ignore", "expected"),
    [
        (("orders.user_id",), (), {("user_id",)}),
        (("public.orders.shop_id",), (), {("shop_id",)}),
        (("orders",), ("orders.shop_id",), {("user_id",)}),
        (("ord*.*_id",), (), {("user_id",), ("shop_id",)}),
        ((), ("orders",), set()),
    ],
)
def test_select_and_ignore_narrow_the_plan(select, ignore, expected) -> None:
    plan = plan_fk_indexes(shop(), PlanOptions(select=select, ignore=ignore))
    assert set(by_columns(plan)) == expected


def test_a_select_that_matches_nothing_is_reported() -> None:
    plan = plan_fk_indexes(shop(), PlanOptions(select=("invoices.user_id",)))
    assert plan.indexes == ()
    assert plan.notes == ("--select invoices.user_id matches no foreign key to fix",)
    assert plan.summary().startswith("nothing to do")


@pytest.mark.parametrize("pattern", ["", "a..b", "a.b.c.d"])
def test_bad_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(PatternError):
        plan_fk_indexes(shop(), PlanOptions(select=(pattern,)))


def test_fks_on_the_same_columns_share_one_index_in_the_first_fks_order() -> None:
    ctx = context(
        table("pairs", col("a", not_null=True), col("b", not_null=True), constraints=(pk("a", "b"),)),
        table("pairs2", col("a", not_null=True), col("b", not_null=True), constraints=(pk("b", "a"),)),
        table(
            "links", col("id", not_null=True), col("x", not_null=True), col("y", not_null=True),
            constraints=(
                pk("id"),
                fk("y", "x", ref="pairs", ref_columns=("a", "b"), name="links_a"),
                fk("x", "y", ref="pairs2", ref_columns=("b", "a"), name="links_b"),
            ),
        ),
    )
    plan = plan_fk_indexes(ctx, PlanOptions())
    assert len(plan.indexes) == 1
    assert plan.indexes[0].columns == ("y", "x")
    assert plan.indexes[0].foreign_keys == ("links_a", "links_b")


def test_a_wider_index_serves_the_fk_on_its_leading_column() -> None:
    ctx = context(
        users(),
        table("pairs", col("a", not_null=True), col("b", not_null=True), constraints=(pk("a", "b"),)),
        table(
            "links", col("id", not_null=True), col("a"), col("b"),
            constraints=(pk("id"), fk("a", ref="users", name="links_user"),
                         fk("a", "b", ref="pairs", ref_columns=("a", "b"), name="links_pair")),
        ),
    )
    plan = plan_fk_indexes(ctx, PlanOptions())
    assert [(ix.columns, ix.predicate, ix.foreign_keys) for ix in plan.indexes] == [
        (("a", "b"), None, ("links_pair", "links_user"))
    ]


def test_evidence_names_the_fk_declaration_and_every_index_with_file_and_line() -> None:
    plan = plan_fk_indexes(shop(), PlanOptions(select=("orders.user_id",)))
    evidence = plan.indexes[0].evidence
    assert evidence[0] == (
        "orders(user_id) -> users(id) ON DELETE NO ACTION: orders_user_id_fkey declared at migrations/001_init.sql:7"
    )
    assert "indexes on orders:" in evidence
    assert "  idx_orders_placed_coupon btree (placed_at, coupon_id) at migrations/001_init.sql:12" in evidence
    assert "  orders_pkey btree (id) at migrations/001_init.sql:3" in evidence
    assert evidence[-1] == "uncovered: no index on orders contains user_id"


def test_covered_fks_are_never_planned() -> None:
    ctx = context(
        users(),
        table("orders", col("id", not_null=True), col("user_id"), constraints=(pk("id"), fk("user_id", ref="users"))),
        index("orders", "user_id", name="idx_orders_user", where_not_null=("user_id",)),
    )
    assert plan_fk_indexes(ctx, PlanOptions(include_weak=True)).indexes == ()
