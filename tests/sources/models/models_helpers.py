"""Shared helpers: write model files, read them statically and by importing them, compare."""

from __future__ import annotations

import dataclasses
import textwrap
import uuid
from pathlib import Path

from stacktune.model.events import AddConstraint, CreateIndex, SchemaEvent, SourceResult
from stacktune.sources.models import read_models
from stacktune.sources.models.imported import read_imported_metadata


def write(root: Path, files: dict[str, str]) -> list[Path]:
    paths = []
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        paths.append(path)
    return paths


def read(root: Path, text: str, name: str = "models.py") -> SourceResult:
    return read_models(root, write(root, {name: text}))


def without_locations(event: SchemaEvent) -> SchemaEvent:
    """Events with every Location blanked: the import reader cannot know call lines."""
    changes: dict[str, object] = {"location": None} if hasattr(event, "location") else {}
    for f in dataclasses.fields(event):  # type: ignore[arg-type]
        value = getattr(event, f.name)
        if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
            changes[f.name] = tuple(without_locations(v) for v in value)
        elif dataclasses.is_dataclass(value) and hasattr(value, "location"):
            changes[f.name] = without_locations(value)
    return dataclasses.replace(event, **changes)  # type: ignore[type-var]


def static_and_imported(root: Path, text: str, base: str = "Base") -> tuple[list, list, SourceResult]:
    """Read one models module both ways; a fresh module name avoids sys.modules reuse."""
    module = f"models_{uuid.uuid4().hex[:12]}"
    static = read(root, text, f"{module}.py")
    imported = read_imported_metadata(root, f"{module}:{base}")
    assert imported.diagnostics == [], imported.diagnostics
    return _comparable(static.events), _comparable(imported.events), static


def _comparable(events: list[SchemaEvent]) -> list[SchemaEvent]:
    """Locations blanked; ALTERs and each table's indexes sorted: SQLAlchemy emits them from sets."""
    out: list[SchemaEvent] = []
    indexes: list[CreateIndex] = []
    alters: list[AddConstraint] = []
    for event in map(without_locations, events):
        if isinstance(event, CreateIndex):
            indexes.append(event)
            continue
        out.extend(sorted(indexes, key=lambda e: e.name or ""))
        indexes = []
        if isinstance(event, AddConstraint):
            alters.append(event)
        else:
            out.append(event)
    out.extend(sorted(indexes, key=lambda e: e.name or ""))
    return out + sorted(alters, key=lambda e: (str(e.table), e.constraint.columns))
