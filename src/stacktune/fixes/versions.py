"""The version of the next migration, written the way the project writes its versions.

Sequences keep their zero padding (`093` -> `094`, gaps and duplicates allowed:
next is the highest + 1). Timestamps (`YYYYMMDDHHMMSS`, or Unix seconds) come
from the injected clock, and are moved past the newest existing one if the
clock is behind it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Literal

TIMESTAMP_FORMAT = "%Y%m%d%H%M%S"
_UNIX_RANGE = (10**9, 10**10)  # 2001..2286: ten digits without leading zero
_DOTTED = re.compile(r"^(.*[._])(\d+)$")

Default = Literal["sequence", "timestamp"]


def parse_timestamp(version: str) -> datetime | None:
    if len(version) != 14 or not version.isdigit():
        return None
    try:
        return datetime.strptime(version, TIMESTAMP_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def next_numbers(
    existing: Sequence[str], now: datetime, count: int = 1, *, default: Default = "sequence", width: int = 3
) -> list[str]:
    """`count` consecutive versions after every one of `existing` (digit strings)."""
    numbers = [v for v in existing if v.isdigit()]
    if not numbers:
        if default == "timestamp":
            return _timestamps(None, now, count)
        return [str(n).zfill(width) for n in range(1, count + 1)]
    highest = max(numbers, key=lambda v: (int(v), len(v)))
    stamp = parse_timestamp(highest)
    if stamp is not None:
        return _timestamps(stamp, now, count)
    if _UNIX_RANGE[0] <= int(highest) < _UNIX_RANGE[1] and not highest.startswith("0"):
        start = max(int(now.timestamp()), int(highest) + 1)
        return [str(start + n) for n in range(count)]
    return [str(int(highest) + n).zfill(len(highest)) for n in range(1, count + 1)]


def _timestamps(after: datetime | None, now: datetime, count: int) -> list[str]:
    start = now.astimezone(UTC).replace(microsecond=0)
    if after is not None and start <= after:
        start = after + timedelta(seconds=1)
    return [(start + timedelta(seconds=n)).strftime(TIMESTAMP_FORMAT) for n in range(count)]


def next_dotted(existing: Sequence[str], now: datetime) -> str:
    """Flyway: after the highest version compared part by part; a plain integer becomes the next one,
    a dotted one (`1.2`, `1_2`) gets its last part raised (`1.3`), keeping its separators."""
    if not existing:
        return "1"
    highest = max(existing, key=lambda v: tuple(int(p) for p in re.split(r"[._]", v)))
    match = _DOTTED.match(highest)
    if match is None:
        return next_numbers([highest], now)[0]
    head, last = match.groups()
    return head + str(int(last) + 1).zfill(len(last))
