"""systemd units: ExecStart= (systemd's own word splitting, ${VAR}/$VAR from Environment=, no
shell) and Environment=."""

from __future__ import annotations

import shlex

from stacktune.workers.expansion import SYSTEMD
from stacktune.workers.formats.common import Collector
from stacktune.workers.formats.ini import entries
from stacktune.workers.model import Slot, SourceText

STYLE = "systemd"
# ExecStart= prefixes (systemd.service(5)): -, @, :, +, !, !!
_PREFIXES = "-@:+!"


def matches(name: str, head: bytes) -> bool:
    return name.endswith(".service")


def _same(value: str) -> str:
    return value


def read(src: SourceText, collector: Collector) -> None:
    for entry in entries(src.text, continuation=True):
        if entry.section != "Service":
            continue
        if entry.key == "ExecStart":
            skip = len(entry.value) - len(entry.value.lstrip(_PREFIXES))
            slot = Slot(entry.start + skip, entry.end, entry.value[skip:], _same)
            collector.string(
                slot, style=STYLE, expansion=SYSTEMD, label=src.path.rsplit("/", 1)[-1], continuation=True
            )
        elif entry.key == "Environment":
            try:
                assignments = shlex.split(entry.value)
            except ValueError as exc:
                collector.diagnose(entry.start, f"cannot read Environment=: {exc}")
                continue
            for assignment in assignments:
                key, _, value = assignment.partition("=")
                collector.setting(key, value, entry.start, style=STYLE)
