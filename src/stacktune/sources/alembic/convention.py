"""The naming convention Alembic applies to op.* calls: that of env.py's `target_metadata`.

Alembic builds every constraint and index of an op.* call on a fresh
`MetaData(naming_convention=target_metadata.naming_convention)` when env.py
passes a `target_metadata` that has one (alembic/operations/schemaobj.py,
`SchemaObjects.metadata`), else on a plain `MetaData()`, whose only template is
`ix_%(column_0_label)s`. A list of MetaData has no `naming_convention`, so it
gets the plain one too. The MetaData is followed statically: through env.py's
imports to the module that defines it, read with the models source's class index.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from stacktune.model.diagnostics import Diagnostic
from stacktune.model.location import Location
from stacktune.sources.models.naming import DEFAULT_CONVENTION
from stacktune.sources.models.project import Project
from stacktune.sources.models.pysource import PySource, parse_source
from stacktune.sources.models.sa_calls import callee, keyword
from stacktune.sources.models.sa_types import dotted_name, last_name
from stacktune.sources.walk import relpath

# SQLAlchemy accepts constraint classes as convention keys too.
_CLASS_KEYS = {
    "Index": "ix", "UniqueConstraint": "uq", "ForeignKeyConstraint": "fk",
    "PrimaryKeyConstraint": "pk", "CheckConstraint": "ck",
}
_MAX_HOPS = 4  # re-exports followed (models/__init__.py -> models/base.py ...)


@dataclass(slots=True)
class _Finder:
    root: Path
    search: tuple[Path, ...]
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def parse(self, path: Path) -> PySource | None:
        try:
            parsed = parse_source(relpath(path, self.root), path.read_bytes())
        except OSError as exc:
            self.diagnostics.append(Diagnostic(Location(relpath(path, self.root)), f"cannot read: {exc.strerror}"))
            return None
        if isinstance(parsed, Diagnostic):
            self.diagnostics.append(parsed)
            return None
        return parsed

    def module_file(self, module: str, near: Path) -> Path | None:
        parts = module.split(".")
        for base in (*self.search, near, self.root, self.root / "src"):
            for candidate in (base.joinpath(*parts).with_suffix(".py"), base.joinpath(*parts, "__init__.py")):
                if candidate.is_file():
                    return candidate
        return None

    def convention(self, src: PySource, owner: str, hops: int = 0) -> dict[str, str] | None:
        """The convention of MetaData owner `owner` ("Base", "db", "metadata") as `src` sees it."""
        project = Project()
        project.add_module(src)
        found = project.convention_for(owner) or (project.class_convention(owner) if owner in project.classes else None)
        if found is not None:
            return self.read_dict(*found, project)
        if owner in project.roots or owner in project.classes or owner in project.metadata_alias:
            # Defined here without a convention: follow what it aliases (Base -> metadata) if imported.
            target = project.metadata_alias.get(owner)
            if target is None:
                return dict(DEFAULT_CONVENTION)
            owner = target.split(".")[0]
        imported = _imports(src.tree).get(owner.split(".")[0])
        if imported is None or hops >= _MAX_HOPS:
            return None
        module, name = imported
        path = self.module_file(module, Path(self.root, src.path).parent)
        if path is None:
            return None
        target_src = self.parse(path)
        if target_src is None:
            return None
        rest = owner.split(".")[1:]
        if name is None:  # `import app.models as m` then m.Base.metadata
            if not rest:
                return None
            name, rest = rest[0], rest[1:]
        return self.convention(target_src, ".".join([name, *rest]), hops + 1)

    def read_dict(self, src: PySource, node: ast.expr, project: Project) -> dict[str, str] | None:
        if isinstance(node, ast.Name):
            node = project.constants.get(node.id, node)
        if not isinstance(node, ast.Dict):
            self.diagnostics.append(src.diagnostic(node, "cannot read naming_convention statically"))
            return None
        out: dict[str, str] = {}
        for key, value in zip(node.keys, node.values, strict=True):
            name = key.value if isinstance(key, ast.Constant) else _CLASS_KEYS.get(last_name(key) or "") if key else None
            if isinstance(name, str) and isinstance(value, ast.Constant) and isinstance(value.value, str):
                out[name] = value.value
            else:
                self.diagnostics.append(src.diagnostic(value, "naming_convention entry not readable statically"))
        return out


def _imports(tree: ast.Module) -> dict[str, tuple[str, str | None]]:
    """Local name -> (module, imported name or None for `import module as x`)."""
    out: dict[str, tuple[str, str | None]] = {}
    for stmt in ast.walk(tree):
        if isinstance(stmt, ast.ImportFrom) and stmt.module and stmt.level == 0:
            for alias in stmt.names:
                out[alias.asname or alias.name] = (stmt.module, alias.name)
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    out[alias.asname] = (alias.name, None)
    return out


def _target_metadata(tree: ast.Module) -> ast.expr | None:
    """What env.py passes as target_metadata: configure(target_metadata=X), else `target_metadata = X`."""
    assigned: ast.expr | None = None
    passed: ast.expr | None = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "target_metadata" for t in node.targets):
            assigned = node.value
        elif isinstance(node, ast.Call) and callee(node) == "configure":
            value = keyword(node, "target_metadata")
            if value is not None and not (isinstance(value, ast.Name) and value.id == "target_metadata"):
                passed = value
            elif value is not None:
                passed = passed or value
    if isinstance(passed, ast.Name) and passed.id == "target_metadata":
        return assigned
    return passed if passed is not None else assigned


def target_convention(root: Path, env_py: Path, search: tuple[Path, ...]) -> tuple[dict[str, str], list[Diagnostic]]:
    """The naming convention op.* calls get in this project, and what could not be followed."""
    finder = _Finder(root, search)
    if not env_py.is_file():
        return dict(DEFAULT_CONVENTION), []
    src = finder.parse(env_py)
    if src is None:
        return dict(DEFAULT_CONVENTION), finder.diagnostics
    node = _target_metadata(src.tree)
    if node is None or (isinstance(node, ast.Constant) and node.value is None) or isinstance(node, ast.List | ast.Tuple):
        return dict(DEFAULT_CONVENTION), finder.diagnostics
    if isinstance(node, ast.Call) and callee(node) == "MetaData":
        found = keyword(node, "naming_convention")
        convention = finder.read_dict(src, found, Project()) if found is not None else dict(DEFAULT_CONVENTION)
    else:
        name = dotted_name(node)
        owner = name.removesuffix(".metadata") if name else None
        convention = finder.convention(src, owner) if owner else None
    if convention is None:
        finder.diagnostics.append(src.diagnostic(node, f"cannot follow target_metadata = {ast.unparse(node)} statically;"
                                                       " SQLAlchemy's default naming convention assumed"))
        return dict(DEFAULT_CONVENTION), finder.diagnostics
    # MetaData(naming_convention={}) falls back to the default, a non-empty one replaces it whole.
    return convention or dict(DEFAULT_CONVENTION), finder.diagnostics
