"""fly.toml: [processes] commands and [env]. Fly runs process commands without a shell."""

from __future__ import annotations

from stacktune.workers.expansion import NONE
from stacktune.workers.formats.common import Collector
from stacktune.workers.formats.tomltools import (
    ParseError,
    load,
    string_slot,
    table_offset,
)
from stacktune.workers.model import SourceText

STYLE = "fly"


def matches(name: str, head: bytes) -> bool:
    return name.startswith("fly") and name.endswith(".toml")


def read(src: SourceText, collector: Collector) -> None:
    try:
        doc = load(src.text)
    except ParseError as exc:
        collector.diagnose(0, f"TOML: {exc}")
        return
    env_at = table_offset(src.text, "env")
    for key, value in (doc.get("env") or {}).items():
        collector.setting(key, str(value), env_at, style=STYLE)
    processes_at = table_offset(src.text, "processes")
    for name, value in (doc.get("processes") or {}).items():
        slot = string_slot(src.text, name, value, processes_at)
        if slot is not None:
            collector.string(slot, style=STYLE, expansion=NONE, container=True, label=name)
