"""Options shared by every command that reads a repository, declared once."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from stacktune.audit import AuditRequest


def repository_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """PATH plus --migrations/--models/--schema-from/--import-models/--worker-default, as an AuditRequest.

    The decorated function receives `request: AuditRequest` instead of the separate values.
    """

    @click.argument("path", type=click.Path(path_type=Path), default=".")
    @click.option(
        "--migrations",
        type=click.Path(path_type=Path),
        multiple=True,
        help="A migrations folder (repeatable); default: discovered.",
    )
    @click.option(
        "--models", type=click.Path(path_type=Path), multiple=True, help="A models file or folder (repeatable)."
    )
    @click.option(
        "--schema-from",
        type=click.Choice(["auto", "models", "migrations", "both"]),
        default="auto",
        show_default=True,
        help="Build the schema from the models' create_all, the migrations, or both (models first).",
    )
    @click.option("--import-models", metavar="MODULE:Base", help="Import the models and read Base.metadata.")
    @click.option(
        "--worker-default",
        type=click.IntRange(min=1),
        default=4,
        show_default=True,
        help="The concurrency a rewritten worker command falls back to when CELERY_CONCURRENCY is unset.",
    )
    @functools.wraps(command)
    def wrapper(
        path: Path,
        migrations: tuple[Path, ...],
        models: tuple[Path, ...],
        schema_from: str,
        import_models: str | None,
        worker_default: int,
        **kwargs: Any,
    ) -> Any:
        request = AuditRequest(
            root=path,
            migrations=migrations,
            models=models,
            schema_from=schema_from,  # type: ignore[arg-type]
            import_models=import_models,
            worker_default=worker_default,
        )
        return command(request=request, **kwargs)

    return wrapper
