"""Makefile recipes: each recipe line is run by /bin/sh after make expanded its own `$(...)`,
so a shell variable must be written `$${VAR}` (GNU make manual, "Variables in Recipes")."""

from __future__ import annotations

from stacktune.workers.expansion import MAKE
from stacktune.workers.formats.common import Collector
from stacktune.workers.model import Slot, SourceText

STYLE = "makefile"


def matches(name: str, head: bytes) -> bool:
    return name in {"Makefile", "makefile", "GNUmakefile"} or name.endswith(".mk")


def read(src: SourceText, collector: Collector) -> None:
    offset = 0
    for line in src.text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.startswith("\t"):
            start = offset + 1
            while start < offset + len(body) and src.text[start] in "@-+ \t":
                start += 1
            end = offset + len(body)
            collector.shell(Slot(start, end, src.text[start:end]), style=STYLE, expansion=MAKE)
        offset += len(line)
