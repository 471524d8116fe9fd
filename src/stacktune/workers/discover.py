"""Walking a repository and handing each file to the first reader that claims it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from stacktune.model.diagnostics import Diagnostic
from stacktune.model.location import Location
from stacktune.sources.walk import iter_files, relpath
from stacktune.workers.formats import (
    compose,
    dockerfile,
    envfile,
    fly,
    kubernetes,
    makefile,
    procfile,
    pyconfig,
    railway,
    render,
    script,
    supervisord,
    systemd,
)
from stacktune.workers.formats.common import Collector
from stacktune.workers.model import Setting, SourceText, WorkerCommand

# Order matters: the first reader whose `matches` accepts a file reads it (render.yaml and
# compose files are YAML too, so Kubernetes, the catch-all for YAML, comes last).
READERS = (
    procfile, dockerfile, compose, railway, fly, render, supervisord, systemd, makefile, envfile,
    script, pyconfig, kubernetes,
)
_MAX_BYTES = 2_000_000
_HEAD = 8192


@dataclass(slots=True)
class Discovery:
    commands: list[WorkerCommand] = field(default_factory=list)
    settings: list[Setting] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # path -> style of every file that held something


def _reader(name: str, head: bytes):  # noqa: ANN202 - a module from READERS
    return next((r for r in READERS if r.matches(name, head)), None)


def discover(root: Path) -> Discovery:
    found = Discovery()
    for path in iter_files(root):
        try:
            if path.stat().st_size > _MAX_BYTES:
                continue
            with path.open("rb") as handle:
                head = handle.read(_HEAD)
            reader = _reader(path.name, head)
            if reader is None:
                continue
            data = path.read_bytes()
        except OSError as exc:
            found.diagnostics.append(Diagnostic(Location(relpath(path, root)), f"unreadable: {exc.strerror}"))
            continue
        rel = relpath(path, root)
        try:
            src = SourceText(rel, data)
        except UnicodeDecodeError as exc:
            found.diagnostics.append(Diagnostic(Location(rel), f"not UTF-8: {exc.reason}"))
            continue
        collector = Collector(src, path.parent)
        reader.read(src, collector)
        found.commands.extend(collector.result.commands)
        found.settings.extend(collector.result.settings)
        found.diagnostics.extend(collector.diagnostics)
        if collector.result.commands or collector.result.settings:
            found.files[rel] = reader.STYLE
    return found
