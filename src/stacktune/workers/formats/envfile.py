"""Env files (.env, .env.production, worker.env): KEY=VALUE lines as dotenv reads them."""

from __future__ import annotations

import shlex

from stacktune.workers.formats.common import Collector
from stacktune.workers.model import SourceText

STYLE = "env"


def matches(name: str, head: bytes) -> bool:
    return name == ".env" or name.startswith(".env.") or name.endswith(".env")


def read(src: SourceText, collector: Collector) -> None:
    offset = 0
    for line in src.text.splitlines(keepends=True):
        body = line.strip()
        if body.startswith("export "):
            body = body[len("export ") :].lstrip()
        key, eq, value = body.partition("=")
        if eq and not key.startswith("#"):
            try:
                words = shlex.split(value, comments=True)
            except ValueError:
                words = [value]
            collector.setting(key.strip(), " ".join(words), offset, style=STYLE)
        offset += len(line)
