"""Write the fix into a repository of each layout, then audit again: the new file is read as
one of the project's own migrations, nothing is left uncovered, and a second run writes nothing."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from stacktune.audit import AuditRequest, run_audit
from stacktune.fixes.apply import apply_edits
from stacktune.fixes.fk_fix import propose_fk_index_fix
from stacktune.fixes.fk_index_plan import PlanOptions

NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)

SCHEMA = """\
CREATE TABLE users (id serial PRIMARY KEY);
CREATE TABLE "Orders" (
    id serial PRIMARY KEY,
    user_id integer REFERENCES users (id),
    owner_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE
);
"""
DOWN = 'DROP TABLE "Orders";\nDROP TABLE users;\n'

LAYOUTS: dict[str, dict[str, str]] = {
    "numbered": {"migrations/001_init.sql": SCHEMA},
    "supabase": {"supabase/migrations/20240101000000_init.sql": SCHEMA},
    "golang-migrate": {"migrations/000001_init.up.sql": SCHEMA, "migrations/000001_init.down.sql": DOWN},
    "goose": {"migrations/00001_init.sql": f"-- +goose Up\n{SCHEMA}\n-- +goose Down\n{DOWN}"},
    "dbmate": {"db/migrations/20240101000000_init.sql": f"-- migrate:up\n{SCHEMA}\n-- migrate:down\n{DOWN}"},
    "flyway": {"db/migration/V1__init.sql": SCHEMA},
    "diesel": {"migrations/2024-01-01-000000_init/up.sql": SCHEMA, "migrations/2024-01-01-000000_init/down.sql": DOWN},
}


def make_repo(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


@pytest.mark.parametrize("concurrently", [False, True], ids=["plain", "concurrently"])
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_fix_is_read_back_as_a_migration_of_the_same_style(tmp_path: Path, layout: str, concurrently: bool) -> None:
    make_repo(tmp_path, LAYOUTS[layout])
    options = PlanOptions(concurrently=concurrently)
    before = run_audit(AuditRequest(root=tmp_path))
    assert [s.style for s in before.sources] == [layout]
    proposed = propose_fk_index_fix(before, options, clock=lambda: NOW)
    assert proposed.fix is not None and len(proposed.plan.indexes) == 2
    written = apply_edits(tmp_path, proposed.fix.edits)
    assert written == [e.path for e in proposed.fix.edits]

    after = run_audit(AuditRequest(root=tmp_path))
    assert [s.style for s in after.sources] == [layout]
    # Flyway script configs (V2__x.sql.conf) sit next to the scripts; the SQL layout may mention them.
    assert [d for d in after.diagnostics if not d.location.path.endswith(".sql.conf")] == []
    assert [p for p in after.context.replay_problems if not p.notice] == []
    assert {item.coverage.verdict for item in after.context.coverage} == {"covered"}
    again = propose_fk_index_fix(after, options, clock=lambda: NOW)
    assert again.fix is None and again.plan.indexes == ()
    assert again.messages[0].startswith("nothing to do")
