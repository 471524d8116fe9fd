"""Runtime helper for a project's Celery config: the worker concurrency from the environment.

    from stacktune.celery import concurrency
    worker_concurrency = concurrency(default=4)
"""

from __future__ import annotations

import os


def concurrency(default: int = 4, *, env: str = "CELERY_CONCURRENCY") -> int:
    """The positive integer in `env`, or `default` when it is unset or empty.

    Raises ValueError naming the variable and its value, so a typo on the platform fails the
    worker's start instead of silently becoming "one process per host CPU".
    """
    if default < 1:
        raise ValueError(f"default concurrency must be a positive integer, got {default!r}")
    raw = os.environ.get(env, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{env} must be a positive integer (worker processes), got {raw!r}") from None
    if value < 1:
        raise ValueError(f"{env} must be a positive integer (worker processes), got {raw!r}")
    return value
