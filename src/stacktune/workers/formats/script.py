"""Shell scripts (start_celery.sh, entrypoint.sh, bin/worker with a shebang)."""

from __future__ import annotations

from stacktune.workers.expansion import SHELL
from stacktune.workers.formats.common import Collector
from stacktune.workers.model import Slot, SourceText

STYLE = "shell"


def matches(name: str, head: bytes) -> bool:
    if name.endswith((".sh", ".bash")):
        return True
    first = head.split(b"\n", 1)[0]
    return "." not in name and first.startswith(b"#!") and first.rstrip().endswith((b"sh", b"bash"))


def read(src: SourceText, collector: Collector) -> None:
    collector.shell(Slot(0, len(src.text), src.text), style=STYLE, expansion=SHELL, script=True)
