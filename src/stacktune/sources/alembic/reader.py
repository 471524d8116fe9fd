"""The Alembic source: one script directory -> its revisions' upgrade() events, in upgrade order."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stacktune.model.diagnostics import Diagnostic
from stacktune.model.events import ColumnDef, ConstraintDef, CreateTable, RelName, SchemaEvent, SourceResult
from stacktune.model.location import Location
from stacktune.sources.alembic.convention import target_convention
from stacktune.sources.alembic.discover import REVISION_FILE, AlembicProject
from stacktune.sources.alembic.graph import RevisionGraph, build_graph
from stacktune.sources.alembic.ops import ModuleScope, UpgradeReader
from stacktune.sources.alembic.revisions import RevisionFile, read_revision
from stacktune.sources.alembic.tables import Namer
from stacktune.sources.walk import relpath


@dataclass(frozen=True, slots=True)
class Head:
    revision: str
    location: Location
    branch_labels: tuple[str, ...] = ()


@dataclass(slots=True)
class AlembicSource(SourceResult):
    """A SourceResult (kind "alembic", files in upgrade order) that also knows the graph's heads."""

    heads: tuple[Head, ...] = ()

    @property
    def head(self) -> str | None:
        """The one head a new revision goes after; None when there are none or several."""
        return self.heads[0].revision if len(self.heads) == 1 else None


def revision_paths(project: AlembicProject) -> list[Path]:
    """The files Alembic loads, in its load order: version folders as configured, names sorted."""
    paths: list[Path] = []
    for folder in project.version_dirs:
        if not folder.is_dir():
            continue
        walk = sorted(folder.rglob("*.py")) if project.recursive else sorted(folder.glob("*.py"))
        paths += [p for p in walk if REVISION_FILE.match(p.name) and "__pycache__" not in p.parts]
    return paths


def read_alembic(root: Path, project: AlembicProject) -> AlembicSource:
    """Every revision's upgrade(), in the order `alembic upgrade heads` applies them, as schema events."""
    result = AlembicSource(kind="alembic", path=relpath(project.script_dir, root), style="alembic")
    files: dict[str, RevisionFile] = {}
    for path in revision_paths(project):
        rel = relpath(path, root)
        try:
            parsed = read_revision(rel, path.read_bytes())
        except OSError as exc:
            result.diagnostics.append(Diagnostic(Location(rel), f"cannot read file: {exc.strerror}"))
            continue
        if isinstance(parsed, Diagnostic):
            result.diagnostics.append(parsed)
        else:
            files[parsed.revision.revision] = parsed
    graph = build_graph([f.revision for f in files.values()])
    result.diagnostics += graph.diagnostics
    convention, problems = target_convention(root, project.env_py, project.sys_paths)
    result.diagnostics += problems
    result.events.append(_version_table(relpath(project.env_py, root)))
    for revision in graph.order:
        revision_file = files[revision]
        result.files.append(revision_file.src.path)
        result.events += _upgrade_events(revision_file, convention, result.diagnostics)
    result.heads = _heads(graph)
    return result


def _upgrade_events(file: RevisionFile, convention: dict[str, str], diagnostics: list[Diagnostic]) -> list[SchemaEvent]:
    if file.upgrade is None:
        diagnostics.append(Diagnostic(file.revision.location, "no upgrade() function: nothing read"))
        return []
    reader = UpgradeReader(file.src, Namer(convention), ModuleScope.of(file.src.tree))
    events = reader.read(file.upgrade)
    diagnostics += reader.diagnostics
    return events


def _version_table(env_py: str) -> CreateTable:
    """alembic_version, which Alembic creates before the first revision runs (runtime/migration.py).

    Alembic creates it with checkfirst=True, so a second script directory on the same database
    (one per schema, per tenant, per app) finds it there: IF NOT EXISTS is the same semantics.
    """
    return CreateTable(
        location=Location(env_py),
        if_not_exists=True,
        table=RelName(None, "alembic_version"),
        columns=(ColumnDef("version_num", "varchar", not_null=True),),
        constraints=(ConstraintDef("primary", ("version_num",), "alembic_version_pkc"),),
    )


def _heads(graph: RevisionGraph) -> tuple[Head, ...]:
    return tuple(Head(h, graph.revisions[h].location, graph.branch_labels(h)) for h in graph.heads)
