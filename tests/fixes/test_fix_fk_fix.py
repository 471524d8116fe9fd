"""From an audit result to a Fix: which folder, which style, display-only for models-only projects."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fix_builders import col, context, fk, pk, result, table, users

from stacktune.fixes.errors import FixError
from stacktune.fixes.fk_fix import propose_fk_index_fix
from stacktune.fixes.fk_index_plan import PlanOptions
from stacktune.model.events import SourceResult

NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)


def ctx(path: str = "migrations/001_init.sql"):
    return context(
        users(),
        table("orders", col("id", not_null=True), col("user_id"),
              constraints=(pk("id"), fk("user_id", ref="users", line=4, path=path))),
    )


def propose(res, options: PlanOptions | None = None, **kw):
    return propose_fk_index_fix(res, options or PlanOptions(), clock=lambda: NOW, **kw)


def test_writes_into_the_only_migrations_folder() -> None:
    source = SourceResult("sql", "migrations", "numbered", ["migrations/001_init.sql"])
    proposed = propose(result(ctx(), source))
    assert proposed.fix is not None and proposed.fix.applicability == "safe"
    assert [e.path for e in proposed.fix.edits] == ["migrations/002_add_missing_fk_indexes.sql"]
    assert proposed.messages[0].startswith("1 index for 1 foreign key; 1 partial")


def test_with_several_folders_the_one_declaring_the_fks_wins() -> None:
    first = SourceResult("sql", "db/a", "numbered", ["db/a/001_x.sql"])
    second = SourceResult("sql", "db/b", "goose", ["db/b/001_init.sql"])
    proposed = propose(result(ctx("db/a/001_x.sql"), first, second))
    assert proposed.target is not None and proposed.target.folder == "db/a"
    tie = propose(result(ctx("elsewhere.sql"), first, second))
    assert tie.target is not None and tie.target.folder == "db/b"


def test_models_only_projects_get_a_display_only_hint() -> None:
    models = SourceResult("models", "app/models.py", "sqlalchemy", ["app/models.py"])
    proposed = propose(result(ctx("app/models.py"), models))
    assert proposed.target is None
    assert proposed.fix is not None and proposed.fix.applicability == "display-only" and proposed.fix.edits == ()
    assert "  app/models.py:4: add index=True to the Column orders.user_id" in proposed.messages
    assert any("--migrations-dir" in m for m in proposed.messages)


def test_migrations_dir_writes_a_first_numbered_file(tmp_path: Path) -> None:
    models = SourceResult("models", "app/models.py", "sqlalchemy", ["app/models.py"])
    proposed = propose(result(ctx("app/models.py"), models, root=tmp_path), migrations_dir="db/migrations")
    assert proposed.fix is not None
    assert [e.path for e in proposed.fix.edits] == ["db/migrations/001_add_missing_fk_indexes.sql"]
    (tmp_path / "db/migrations").mkdir(parents=True)
    (tmp_path / "db/migrations/007_old.sql").write_text("SELECT 1;\n")
    again = propose(result(ctx("app/models.py"), models, root=tmp_path), migrations_dir="db/migrations/")
    assert [e.path for e in again.fix.edits] == ["db/migrations/008_add_missing_fk_indexes.sql"]


def test_migrations_dir_must_stay_inside_the_repository() -> None:
    with pytest.raises(FixError):
        propose(result(ctx()), migrations_dir="../elsewhere")


def test_alembic_gets_the_head_passed_through() -> None:
    source = SourceResult("alembic", "alembic/versions", "alembic", ["alembic/versions/abc_init.py"])
    proposed = propose(result(ctx(), source), alembic_head="abc")
    (edit,) = proposed.fix.edits
    assert edit.path.startswith("alembic/versions/") and 'down_revision = "abc"' in edit.content


def test_concurrently_in_a_plain_file_is_unsafe_to_apply_blindly() -> None:
    source = SourceResult("sql", "migrations", "numbered", ["migrations/001_init.sql"])
    proposed = propose(result(ctx(), source), PlanOptions(concurrently=True))
    assert proposed.fix.applicability == "unsafe"
    goose = SourceResult("sql", "migrations", "goose", ["migrations/001_init.sql"])
    assert propose(result(ctx(), goose), PlanOptions(concurrently=True)).fix.applicability == "safe"


def test_nothing_to_do_gives_no_fix() -> None:
    source = SourceResult("sql", "migrations", "numbered", ["migrations/001_init.sql"])
    proposed = propose(result(ctx(), source), PlanOptions(ignore=("orders",)))
    assert proposed.fix is None and proposed.target is None
    assert proposed.messages == ("nothing to do: every selected foreign key already has an index",)
