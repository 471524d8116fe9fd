"""Render a plan as the new migration files of a project's style: the one explicit list of styles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from stacktune.fixes.errors import FixError
from stacktune.fixes.fk_index_plan import FkIndexPlan
from stacktune.fixes.styles import alembic, dbmate, diesel, flyway, golang_migrate, goose, numbered
from stacktune.fixes.styles.common import MigrationTarget
from stacktune.model.finding import Edit

Renderer = Callable[[FkIndexPlan, MigrationTarget, datetime], list[Edit]]

RENDERERS: dict[str, Renderer] = {
    "numbered": numbered.render,
    "supabase": numbered.render_supabase,
    "golang-migrate": golang_migrate.render,
    "goose": goose.render,
    "dbmate": dbmate.render,
    "flyway": flyway.render,
    "diesel": diesel.render,
    "alembic": alembic.render,
}

# Styles whose runner we cannot tell to leave the transaction: CONCURRENTLY there is only a comment.
COMMENT_ONLY_NO_TRANSACTION = frozenset({"numbered", "supabase"})


def render_migration(plan: FkIndexPlan, target: MigrationTarget, now: datetime) -> tuple[Edit, ...]:
    renderer = RENDERERS.get(target.style)
    if renderer is None:
        raise FixError(f"cannot write a migration in the {target.style!r} style (known: {', '.join(RENDERERS)})")
    return tuple(renderer(plan, target, now))
