"""Dockerfile CMD/ENTRYPOINT (shell form runs `/bin/sh -c`, exec form runs no shell) and ENV."""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator

from stacktune.lazy import lazy_import
from stacktune.workers.expansion import NONE, SHELL
from stacktune.workers.formats.common import Collector
from stacktune.workers.formats.yamltools import documents
from stacktune.workers.model import ArgvList, Slot, SourceText

yaml = lazy_import("yaml")

STYLE = "dockerfile"


def matches(name: str, head: bytes) -> bool:
    return name in {"Dockerfile", "Containerfile"} or name.startswith("Dockerfile.") or name.endswith(".Dockerfile")


def _instructions(text: str) -> Iterator[tuple[str, int, int]]:
    """(INSTRUCTION, args start, args end) with backslash-newline continuations kept in place."""
    position = 0
    length = len(text)
    while position < length:
        end = text.find("\n", position)
        end = length if end == -1 else end
        line = text[position:end]
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#"):
            position = end + 1
            continue
        keyword = stripped.split(None, 1)[0]
        args_start = position + (len(line) - len(stripped)) + len(keyword)
        while args_start < end and text[args_start] in " \t":
            args_start += 1
        stop = end
        while text[position:stop].rstrip().endswith("\\") and stop < length:
            position = stop + 1
            stop = text.find("\n", position)
            stop = length if stop == -1 else stop
        yield keyword.upper(), args_start, len(text[:stop].rstrip("\r"))
        position = stop + 1


def _json_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _json(values: list[str]) -> str:
    return json.dumps(values, ensure_ascii=False)


def _exec_form(src: SourceText, start: int, end: int) -> tuple[ArgvList, list[Slot]] | None:
    """The JSON array of an exec-form instruction, with each string's span (JSON is YAML)."""
    segment = src.text[start:end]
    try:
        node = next(documents(segment), None)
    except yaml.YAMLError:
        return None
    if not isinstance(node, yaml.SequenceNode) or not all(isinstance(n, yaml.ScalarNode) for n in node.value):
        return None
    slots = [
        Slot(start + n.start_mark.index, start + n.end_mark.index, n.value, _json_string)
        for n in node.value
    ]
    argv = ArgvList(start + node.start_mark.index, start + node.end_mark.index, tuple(s.value for s in slots), _json)
    return argv, slots


def _env(src: SourceText, collector: Collector, start: int, end: int) -> None:
    try:
        parts = shlex.split(src.text[start:end].replace("\\\n", " "))
    except ValueError as exc:
        collector.diagnose(start, f"cannot read ENV: {exc}")
        return
    if len(parts) >= 2 and "=" not in parts[0]:  # legacy `ENV KEY value`
        collector.setting(parts[0], " ".join(parts[1:]), start, style=STYLE)
        return
    for part in parts:
        key, _, value = part.partition("=")
        collector.setting(key, value, start, style=STYLE)


def read(src: SourceText, collector: Collector) -> None:
    for keyword, start, end in _instructions(src.text):
        if keyword == "ENV":
            _env(src, collector, start, end)
        elif keyword in {"CMD", "ENTRYPOINT"}:
            if src.text[start:end].lstrip().startswith("["):
                found = _exec_form(src, start, end)
                if found is None:
                    collector.diagnose(start, f"{keyword} looks like exec form but is not a JSON array of strings")
                    continue
                argv, slots = found
                collector.argv((argv,), [slots], style=STYLE, expansion=NONE, container=True)
            else:
                slot = Slot(start, end, src.text[start:end])
                collector.shell(slot, style=STYLE, expansion=SHELL, container=True)
