"""What a concurrency or autoscale value means to Celery."""

from __future__ import annotations

import re
from typing import Literal

from stacktune.workers.expansion import references

Kind = Literal["number", "variable", "auto", "invalid"]
_DEFAULT = re.compile(r"\$\{[A-Za-z_]\w*:?-([^}]*)\}")


def classify(value: str) -> tuple[Kind, str]:
    """(kind, reason) for a --concurrency / worker_concurrency value as written."""
    text = value.strip()
    # Any expansion syntax ($VAR, $$VAR for make/compose, $(VAR) for k8s, %(ENV_X)s for
    # supervisord) is resolved at run time; where it is not expanded is another check's job.
    if references(text) or "$" in text or "%(ENV_" in text:
        default = _DEFAULT.search(text)
        if default and classify(default.group(1))[0] == "invalid":
            return "invalid", f"its default {default.group(1)!r} is not a positive integer"
        return "variable", ""
    if text.lower() == "auto":
        return "auto", ""
    if not text:
        return "invalid", "it is empty (Celery falls back to the CPU count)"
    try:
        number = int(text)
    except ValueError:
        return "invalid", f"{text!r} is not an integer"
    if number < 0:
        return "invalid", f"{number} is negative"
    if number == 0:
        return "invalid", "0 means 'use the CPU count' to Celery"
    return "number", ""


def default_of(value: str) -> int | None:
    """The number a value resolves to when its variables are unset: `2`, `${X:-4}` -> 4."""
    kind, _ = classify(value)
    if kind == "number":
        return int(value)
    found = _DEFAULT.search(value)
    return int(found.group(1)) if kind == "variable" and found else None


def autoscale_problem(value: str) -> str | None:
    """Why an --autoscale value is malformed (Celery wants MAX[,MIN] integers), or None."""
    if "$" in value or "%(ENV_" in value:
        return None
    parts = value.split(",")
    if len(parts) > 2:
        return f"{value!r} has {len(parts)} parts; --autoscale takes MAX,MIN"
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        return f"{value!r} is not MAX,MIN integers"
    if any(n < 0 for n in numbers):
        return f"{value!r} has a negative bound"
    return None
