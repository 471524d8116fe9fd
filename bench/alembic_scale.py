"""How long the Alembic source takes to read 500 revisions (a linear history of typical revisions).

    uv run python bench/alembic_scale.py [--revisions 500]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from stacktune.sources.alembic import find_alembic_projects, read_alembic

_REVISION = '''"""revision {n}"""
import sqlalchemy as sa
from alembic import op

revision = "{rev}"
down_revision = {down}
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "t{n}",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("parent_id", sa.BigInteger(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()")),
        sa.ForeignKeyConstraint(["parent_id"], ["{parent}.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_t{n}_parent_id"), "t{n}", ["parent_id"], unique=False)
    with op.batch_alter_table("t{n}") as batch_op:
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))
    op.execute("CREATE INDEX t{n}_name ON t{n} (name) WHERE name <> ''")


def downgrade():
    op.drop_table("t{n}")
'''


def write_project(root: Path, count: int) -> None:
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    (root / "alembic.ini").write_text("[alembic]\nscript_location = %(here)s/migrations\n")
    (root / "migrations" / "env.py").write_text("target_metadata = None\n")
    for n in range(count):
        rev, down = f"{n:012x}", f'"{n - 1:012x}"' if n else "None"
        parent = f"t{n - 1}" if n else "t0"
        (versions / f"{rev}_r{n}.py").write_text(_REVISION.format(n=n, rev=rev, down=down, parent=parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--revisions", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_project(root, args.revisions)
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            projects, _ = find_alembic_projects(root)
            source = read_alembic(root, projects[0])
            best = min(best, time.perf_counter() - start)
        assert len(source.files) == args.revisions and not source.diagnostics, source.diagnostics[:3]
        print(f"{args.revisions} revisions, {len(source.events)} events: {best * 1000:.0f} ms (best of 5)")


if __name__ == "__main__":
    main()
