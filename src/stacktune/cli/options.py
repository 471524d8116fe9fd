"""Options shared by every command that reads a repository, declared once.

The configuration file ([tool.stacktune] in pyproject.toml, or stacktune.toml)
is read here too: command-line values override it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from stacktune.audit import AuditRequest
from stacktune.cli.app import fail


def repository_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """PATH, the source options and --config; the command receives `request` and `config`."""

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
        type=click.Choice(["auto", "models", "migrations", "alembic", "both"]),
        help="Build the schema from the models' create_all, the migrations, or both (models first)."
        "  [default: auto]",
    )
    @click.option("--import-models", metavar="MODULE:Base", help="Import the models and read Base.metadata.")
    @click.option(
        "--worker-default",
        type=click.IntRange(min=1),
        help="The concurrency a rewritten worker command falls back to.  [default: 4]",
    )
    @click.option(
        "--config",
        "config_file",
        type=click.Path(path_type=Path, dir_okay=False, exists=True),
        help="The configuration file (default: stacktune.toml or pyproject.toml, nearest first).",
    )
    @functools.wraps(command)
    def wrapper(
        path: Path,
        migrations: tuple[Path, ...],
        models: tuple[Path, ...],
        schema_from: str | None,
        import_models: str | None,
        worker_default: int | None,
        config_file: Path | None,
        **kwargs: Any,
    ) -> Any:
        from stacktune.checks.registry import all_rules
        from stacktune.config import ConfigError, load_config, with_overrides

        rules = all_rules()
        try:
            config = with_overrides(
                load_config(path, rules, config_file),
                rules,
                migrations=migrations or None,
                models=models or None,
                schema_from=schema_from,
                worker_default=worker_default,
            )
        except ConfigError as error:
            raise fail(str(error)) from None
        request = AuditRequest(
            root=path,
            migrations=config.migrations,
            models=config.models,
            schema_from=config.schema_from or "auto",  # type: ignore[arg-type]
            import_models=import_models,
            worker_default=config.worker_default or 4,
        )
        return command(request=request, config=config, **kwargs)

    return wrapper
