"""Writing small Alembic projects for the source tests."""

from __future__ import annotations

from pathlib import Path

ENV_PY = "from alembic import context\n"


def revision_text(rev: str, down: str | tuple[str, ...] | None, body: str = "    pass\n", *,
                  depends_on: str | tuple[str, ...] | None = None, labels: str | None = None,
                  header: str = "") -> str:
    return (
        "import sqlalchemy as sa\nfrom alembic import op\n" + header
        + f"\nrevision = {rev!r}\ndown_revision = {down!r}\nbranch_labels = {labels!r}\n"
        f"depends_on = {depends_on!r}\n\n\ndef upgrade():\n{body}\n\ndef downgrade():\n    pass\n"
    )


def make_project(root: Path, revisions: dict[str, str], ini: str | None = None, env: str = ENV_PY) -> Path:
    """root/alembic.ini (script_location = migrations), migrations/env.py, migrations/versions/<name>."""
    (root / "migrations" / "versions").mkdir(parents=True, exist_ok=True)
    (root / "alembic.ini").write_text(ini or "[alembic]\nscript_location = %(here)s/migrations\npath_separator = os\n")
    (root / "migrations" / "env.py").write_text(env)
    for name, text in revisions.items():
        (root / "migrations" / "versions" / name).write_text(text)
    return root
