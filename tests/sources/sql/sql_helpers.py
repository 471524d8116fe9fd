"""Shared helpers for the SQL source tests: read SQL, compare events without locations."""

from __future__ import annotations

import dataclasses
from typing import Any

from stacktune.model.events import SchemaEvent
from stacktune.sources.sql.statements import sql_to_events


def without_locations(value: Any) -> Any:
    """The same event/definition tree with every `location` set to None (for equality checks)."""
    if isinstance(value, tuple):
        return tuple(without_locations(v) for v in value)
    if not dataclasses.is_dataclass(value):
        return value
    changes = {
        f.name: None if f.name == "location" else without_locations(getattr(value, f.name))
        for f in dataclasses.fields(value)
    }
    return dataclasses.replace(value, **changes)


def read(sql: str) -> list[SchemaEvent]:
    """Events of `sql`, asserting it read without diagnostics."""
    events, diagnostics = sql_to_events(sql, "m.sql")
    assert diagnostics == []
    return events


def plain(sql: str) -> list[Any]:
    return [without_locations(e) for e in read(sql)]
