"""TOML string values with their spans: tomlkit parses, the value's own source text locates it."""

from __future__ import annotations

import json
import re

from stacktune.lazy import lazy_import
from stacktune.workers.model import Slot

tomlkit = lazy_import("tomlkit")


class ParseError(ValueError):
    """tomlkit's own parse error, re-raised with its message (its class loads lazily)."""


def load(text: str) -> dict:
    """The document; raises ParseError."""
    try:
        return tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        raise ParseError(str(exc)) from exc


def string_slot(text: str, key: str, item: object, after: int = 0) -> Slot | None:
    """Where `key = "value"` is written (first occurrence after `after`), as a rewritable slot."""
    if not isinstance(item, tomlkit.items.String):
        return None
    written = item.as_string()
    found = re.compile(rf"(?m)^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=[ \t]*{re.escape(written)}").search(text, after)
    if found is None:
        return None
    end = found.end()
    return Slot(end - len(written), end, str(item), lambda value: json.dumps(value, ensure_ascii=False))


def table_offset(text: str, header: str) -> int:
    """Offset of `[header]` in the text (0 when absent: keys at top level)."""
    found = re.search(rf"(?m)^[ \t]*\[{re.escape(header)}\]", text)
    return found.end() if found else 0


__all__ = ["ParseError", "load", "string_slot", "table_offset"]
