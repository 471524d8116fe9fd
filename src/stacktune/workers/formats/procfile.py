"""Procfile (Heroku, Dokku, Railway): `name: command`, each command run by bash (`bash -c`)."""

from __future__ import annotations

from stacktune.workers.expansion import SHELL
from stacktune.workers.formats.common import Collector
from stacktune.workers.model import Slot, SourceText

STYLE = "procfile"


def matches(name: str, head: bytes) -> bool:
    return name == "Procfile" or name.startswith("Procfile.")


def read(src: SourceText, collector: Collector) -> None:
    offset = 0
    for line in src.text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        name, colon, command = body.partition(":")
        if colon and name.strip() and not name.lstrip().startswith("#"):
            start = offset + len(name) + 1 + (len(command) - len(command.lstrip()))
            end = offset + len(body)
            # Each Procfile process is a dyno/container of its own.
            collector.shell(
                Slot(start, end, src.text[start:end]),
                style=STYLE,
                expansion=SHELL,
                container=True,
                label=name.strip(),
            )
        offset += len(line)
