"""One Alembic revision file, statically: its identifiers and its `upgrade()` function.

Alembic imports each file and reads the module attributes `revision`,
`down_revision`, `branch_labels` and `depends_on`; here they are read from the
module's top-level assignments, which must be literals (they always are in
files Alembic generates).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from stacktune.model.diagnostics import Diagnostic
from stacktune.model.location import Location
from stacktune.sources.models.pysource import PySource, parse_source

_IDENTIFIERS = ("revision", "down_revision", "branch_labels", "depends_on")


@dataclass(frozen=True, slots=True)
class Revision:
    revision: str
    down_revisions: tuple[str, ...]
    depends_on: tuple[str, ...]
    branch_labels: tuple[str, ...]
    location: Location  # the `revision = ...` line


@dataclass(frozen=True, slots=True)
class RevisionFile:
    """A parsed revision: its identifiers, its source, and its upgrade() (None when absent)."""

    revision: Revision
    src: PySource
    upgrade: ast.FunctionDef | ast.AsyncFunctionDef | None


def _as_ids(value: object) -> tuple[str, ...] | None:
    """Alembic's util.to_tuple over a literal: None/() -> (), "a" -> ("a",), ("a", "b") as is."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, tuple | list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _assignments(tree: ast.Module) -> dict[str, ast.expr]:
    found: dict[str, ast.expr] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name) and target.id in _IDENTIFIERS:
                    found[target.id] = stmt.value
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
            if stmt.target.id in _IDENTIFIERS:
                found[stmt.target.id] = stmt.value
    return found


def read_revision(path: str, data: bytes) -> RevisionFile | Diagnostic:
    """The revision in `data`, or a Diagnostic saying why the file is not one Alembic could load."""
    src = parse_source(path, data)
    if isinstance(src, Diagnostic):
        return src
    values = _assignments(src.tree)
    if "revision" not in values:
        return Diagnostic(Location(path), "no `revision = ...` at module level: not an Alembic revision, skipped")
    ids: dict[str, tuple[str, ...]] = {}
    for name, node in values.items():
        try:
            value = _as_ids(ast.literal_eval(node))
        except ValueError:
            value = None
        if value is None:
            return src.diagnostic(node, f"cannot read {name} = {ast.unparse(node)} statically; revision skipped")
        ids[name] = value
    if len(ids["revision"]) != 1:
        return src.diagnostic(values["revision"], "revision must be one string; revision skipped")
    upgrade = next(
        (s for s in src.tree.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef) and s.name == "upgrade"),
        None,
    )
    revision = Revision(
        ids["revision"][0], ids.get("down_revision", ()), ids.get("depends_on", ()), ids.get("branch_labels", ()),
        src.location(values["revision"]),
    )
    return RevisionFile(revision, src, upgrade)
