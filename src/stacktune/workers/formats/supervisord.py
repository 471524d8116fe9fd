"""supervisord [program:x] command= (split with shlex, no shell; only %(ENV_X)s expands) and
environment=KEY="value",... ."""

from __future__ import annotations

import shlex

from stacktune.workers.expansion import SUPERVISORD
from stacktune.workers.formats.common import Collector
from stacktune.workers.formats.ini import entries
from stacktune.workers.model import Slot, SourceText

STYLE = "supervisord"


def matches(name: str, head: bytes) -> bool:
    return name.endswith((".conf", ".ini")) and b"[program:" in head


def _same(value: str) -> str:
    return value


def read(src: SourceText, collector: Collector) -> None:
    for entry in entries(src.text):
        if not entry.section.startswith("program:"):
            continue
        label = entry.section.partition(":")[2]
        if entry.key == "command":
            slot = Slot(entry.start, entry.end, entry.value, _same)
            collector.string(slot, style=STYLE, expansion=SUPERVISORD, label=label)
        elif entry.key == "environment":
            lexer = shlex.shlex(entry.value, posix=True, punctuation_chars="")
            lexer.whitespace = ","
            lexer.whitespace_split = True
            try:
                pairs = list(lexer)
            except ValueError as exc:
                collector.diagnose(entry.start, f"cannot read environment=: {exc}")
                continue
            for pair in pairs:
                key, _, value = pair.strip().partition("=")
                collector.setting(key, value, entry.start, style=STYLE)
