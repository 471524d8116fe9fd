"""`stacktune worker size`: how many worker processes this container or host can carry."""

from __future__ import annotations

from pathlib import Path

import click

from stacktune.cli.app import fail


@click.group()
def worker() -> None:
    """Celery worker commands."""


@worker.command()
@click.argument("path", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--database-url", metavar="URL", help="Read max_connections from this PostgreSQL (else 100).")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Worker containers.")
@click.option(
    "--process-memory-mb",
    type=click.IntRange(min=16),
    default=None,
    help="Memory one worker process needs (default: the sizing model's estimate).",
)
def size(path: Path, database_url: str | None, workers: int, process_memory_mb: int | None) -> None:
    """Recommend a worker concurrency from the CPU quota and memory limit (cgroup v2/v1, else the host),
    and check it against PostgreSQL's connection budget: workers x processes x the SQLAlchemy pool
    (pool_size + max_overflow of the project's create_engine calls) against max_connections.
    """
    from stacktune.pg.connect import ConnectionFailed
    from stacktune.workers.budget import (
        DEFAULT_MAX_CONNECTIONS,
        budget,
        engines,
        live_max_connections,
    )
    from stacktune.workers.sizing import recommend

    options = {"process_memory": process_memory_mb * 2**20} if process_memory_mb else {}
    advice = recommend(**options)
    click.echo(f"recommended concurrency: {advice.concurrency}")
    click.echo(f"  CPUs: {advice.cpus:g} (limits read from {advice.cpu_source})")
    memory = f"{advice.memory_limit / 2**20:.0f} MiB" if advice.memory_limit else "unknown"
    click.echo(f"  memory: {memory} ({advice.memory_source})")
    for reason in advice.reasons:
        click.echo(f"  - {reason}")
    max_connections = DEFAULT_MAX_CONNECTIONS
    if database_url:
        try:
            max_connections = live_max_connections(database_url)
        except ConnectionFailed as error:
            raise fail(f"cannot read max_connections: {error}") from None
    found = engines(path)
    plan = budget(workers * advice.concurrency, found, max_connections)
    source = "the database" if database_url else "PostgreSQL's default"
    if not found:
        click.echo("connection budget: no create_engine call found, nothing to check")
        return
    click.echo(
        f"connection budget: {plan.processes} processes x {plan.per_process} connections = {plan.demand}"
        f" of {plan.available} usable (max_connections {max_connections}, from {source})"
    )
    for engine in found:
        click.echo(f"  {engine.location}: pool_size {engine.pool_size} + max_overflow {engine.max_overflow}")
    if plan.exceeded:
        click.echo("  over budget: lower the concurrency or the pool, or put PgBouncer in front", err=True)
