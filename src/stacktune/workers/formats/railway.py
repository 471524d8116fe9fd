"""railway.json / railway.toml: deploy.startCommand.

Railway runs the start command in exec form (no expansion) for Dockerfile and image deploys, and
in a shell for Railpack/Nixpacks builds ("Set a Start Command", Railway docs).
"""

from __future__ import annotations

import json
from pathlib import Path

from stacktune.lazy import lazy_import
from stacktune.workers.expansion import NONE, SHELL, Expansion
from stacktune.workers.formats.common import Collector
from stacktune.workers.formats.tomltools import (
    ParseError,
    load,
    string_slot,
    table_offset,
)
from stacktune.workers.formats.yamltools import documents, get, scalar, scalar_slot
from stacktune.workers.model import Slot, SourceText

yaml = lazy_import("yaml")

STYLE = "railway"


def matches(name: str, head: bytes) -> bool:
    return name in {"railway.json", "railway.toml"}


def _expansion(builder: str | None, dockerfile_path: str | None, folder: Path) -> Expansion:
    if (builder or "").upper() == "DOCKERFILE" or dockerfile_path:
        return NONE
    if builder is None and (folder / "Dockerfile").is_file():
        return NONE  # Railway builds with a Dockerfile it finds at the root
    return SHELL


def _add(collector: Collector, slot: Slot, expansion: Expansion) -> None:
    if expansion is SHELL:
        collector.shell(slot, style=STYLE, expansion=SHELL, container=True)
    else:
        collector.string(slot, style=STYLE, expansion=NONE, container=True)


def read(src: SourceText, collector: Collector) -> None:
    folder = collector.folder
    if src.path.endswith(".json"):
        try:
            doc = next(documents(src.text), None)
        except yaml.YAMLError as exc:
            collector.diagnose(0, f"JSON: {exc}")
            return
        build = get(doc, "build")
        command = get(get(doc, "deploy"), "startCommand")
        if scalar(command) is not None:
            slot = scalar_slot(command)
            slot = Slot(slot.start, slot.end, slot.value, _json_encode)
            expansion = _expansion(scalar(get(build, "builder")), scalar(get(build, "dockerfilePath")), folder)
            _add(collector, slot, expansion)
        return
    try:
        doc = load(src.text)
    except ParseError as exc:
        collector.diagnose(0, f"TOML: {exc}")
        return
    build = doc.get("build") or {}
    deploy = doc.get("deploy") or {}
    slot = string_slot(src.text, "startCommand", deploy.get("startCommand"), table_offset(src.text, "deploy"))
    if slot is not None:
        _add(collector, slot, _expansion(build.get("builder"), build.get("dockerfilePath"), folder))


def _json_encode(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)
