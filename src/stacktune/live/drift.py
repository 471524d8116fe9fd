"""`stacktune drift`: what the repository says the database has, against what it has.

Indexes are matched by definition (keys, INCLUDE, method, uniqueness,
predicate), not by name, so a renamed index is reported as a rename; foreign
keys by columns and referenced table. Each missing object names the file:line
that declares it; a migration (SQL file or Alembic revision) whose objects are
all missing looks never applied.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pglast.parser import ParseError, parse_sql_json

from stacktune.audit import AuditResult
from stacktune.model.diagnostics import Diagnostic
from stacktune.model.events import IndexKey, Predicate
from stacktune.model.location import Location
from stacktune.model.schema import ForeignKey, Index, Schema, Table
from stacktune.sources.alembic.revisions import read_revision

DriftKind = Literal[
    "missing-table",
    "missing-index",
    "missing-foreign-key",
    "renamed-index",
    "changed-index",
    "unapplied-migration",
    "extra-table",
    "extra-index",
    "extra-foreign-key",
]


@dataclass(frozen=True, slots=True)
class Drift:
    kind: DriftKind
    table: str
    name: str
    message: str
    location: Location | None = None  # where the repository declares it

    @property
    def missing(self) -> bool:
        return self.kind.startswith("missing") or self.kind == "unapplied-migration"

    def describe(self) -> str:
        where = f"{self.location.path}:{self.location.line}: " if self.location else ""
        return f"{where}{self.message}"

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "table": self.table,
            "name": self.name,
            "message": self.message,
            "location": self.location.to_json() if self.location else None,
        }


def compare(repo: AuditResult, database: Schema) -> list[Drift]:
    model_files = {f for s in repo.sources if s.kind == "models" for f in s.files}
    # In the order they are applied: SQL files, then Alembic revisions in upgrade order.
    migration_files = [f for s in repo.sources if s.kind in ("sql", "alembic") for f in s.files]
    revision_files = {f for s in repo.sources if s.kind == "alembic" for f in s.files}
    found: list[Drift] = []
    for key, table in sorted(repo.context.schema.tables.items()):
        live = database.tables.get(key)
        if live is None:
            what = f"table {table.qualified_name}"
            found.append(_missing(table, "missing-table", table.name, what, table.location, model_files))
            continue
        found += _index_drift(table, live, model_files)
        found += _fk_drift(table, live, model_files)
    for key, live in sorted(database.tables.items()):
        if key not in repo.context.schema.tables:
            what = f"table {live.qualified_name} is in the database only"
            found.append(Drift("extra-table", live.qualified_name, live.name, what))
    unapplied = _unapplied(repo.context.schema, found, migration_files)
    return [_unapplied_drift(repo, path, objects, path in revision_files) for path, objects in unapplied] + found


def _missing(
    table: Table, kind: DriftKind, name: str, what: str, location: Location | None, model_files: set[str]
) -> Drift:
    if location is not None and location.path in model_files:
        why = "declared in the models but never created (create_all skips tables that already exist)"
    else:
        why = "declared in the repository, missing from the database"
    return Drift(kind, table.qualified_name, name, f"{what}: {why}", location)


def _index_drift(repo: Table, live: Table, model_files: set[str]) -> list[Drift]:
    found: list[Drift] = []
    remaining = {name: index for name, index in live.indexes.items()}
    by_shape: dict[tuple, list[str]] = defaultdict(list)
    for name, index in live.indexes.items():
        by_shape[index_shape(index)].append(name)
    for index in sorted(repo.indexes.values(), key=lambda ix: ix.name):
        names = [n for n in by_shape.get(index_shape(index), []) if n in remaining]
        if index.name in names:
            del remaining[index.name]
        elif names:
            del remaining[names[0]]
            found.append(
                Drift("renamed-index", repo.qualified_name, index.name,
                      f"index {index.name} exists in the database as {names[0]}", index.location)
            )
        elif index.name in remaining:
            other = remaining.pop(index.name)
            found.append(
                Drift("changed-index", repo.qualified_name, index.name,
                      f"index {index.describe()} is in the database as {other.describe()}", index.location)
            )
        else:
            what = f"index {index.describe()} on {repo.qualified_name}"
            found.append(_missing(repo, "missing-index", index.name, what, index.location, model_files))
    for index in remaining.values():
        found.append(Drift("extra-index", live.qualified_name, index.name,
                           f"index {index.describe()} is in the database only"))
    return found


def _fk_drift(repo: Table, live: Table, model_files: set[str]) -> list[Drift]:
    found: list[Drift] = []
    remaining = list(live.foreign_keys.values())
    for fk in sorted(repo.foreign_keys.values(), key=lambda f: f.name):
        match = next((other for other in remaining if _fk_shape(other) == _fk_shape(fk)), None)
        if match is not None:
            remaining.remove(match)
            continue
        what = f"foreign key {fk.name} {repo.qualified_name}({', '.join(fk.columns)}) -> {fk.ref_schema}.{fk.ref_table}"
        found.append(_missing(repo, "missing-foreign-key", fk.name, what, fk.location, model_files))
    for fk in remaining:
        what = f"foreign key {fk.name} ({', '.join(fk.columns)}) -> {fk.ref_table} is in the database only"
        found.append(Drift("extra-foreign-key", live.qualified_name, fk.name, what))
    return found


def _unapplied(schema: Schema, found: list[Drift], migration_files: list[str]) -> list[tuple[str, list[str]]]:
    """(file, the objects it creates) for each migration every object of which is missing
    (a missing table takes its own along), in the order the migrations are applied."""
    missing_tables = {d.table for d in found if d.kind == "missing-table"}
    missing_names = {(d.table, d.name) for d in found if d.kind in ("missing-index", "missing-foreign-key")}
    wanted = set(migration_files)
    declared: dict[str, list[str]] = defaultdict(list)
    absent: dict[str, int] = defaultdict(int)
    for table in schema.tables.values():
        gone = table.qualified_name in missing_tables
        things = [
            ("table", table.qualified_name, table),
            *(("index", ix.name, ix) for ix in table.indexes.values()),
            *(("foreign key", fk.name, fk) for fk in table.foreign_keys.values()),
        ]
        for kind, name, thing in things:
            location = thing.location
            if location is None or location.path not in wanted:
                continue
            declared[location.path].append(f"{kind} {name}")
            if gone or (thing is not table and (table.qualified_name, name) in missing_names):
                absent[location.path] += 1
    return [(path, declared[path]) for path in migration_files if declared[path] and absent[path] == len(declared[path])]


def _unapplied_drift(repo: AuditResult, path: str, objects: list[str], is_revision: bool) -> Drift:
    what = f"none of what it creates exists ({', '.join(objects)})"
    revision = _revision_at(repo, path) if is_revision else None
    if revision is None:
        return Drift("unapplied-migration", "", path, f"migration {path} looks never applied: {what}", Location(path))
    name, location = revision
    return Drift("unapplied-migration", "", path, f"revision {name} looks never applied: {what}", location)


def _revision_at(repo: AuditResult, path: str) -> tuple[str, Location] | None:
    """The revision id of an Alembic file and its `revision = ...` line (None if it cannot be read again)."""
    try:
        parsed = read_revision(path, (repo.root / path).read_bytes())
    except OSError:
        return None
    if isinstance(parsed, Diagnostic):  # the static audit already reported it
        return None
    return parsed.revision.revision, parsed.revision.location


def _fk_shape(fk: ForeignKey) -> tuple:
    return (fk.columns, fk.ref_schema, fk.ref_table, fk.ref_columns)


def index_shape(index: Index) -> tuple:
    """What makes two indexes the same index, whatever their names."""
    return (
        tuple(_key_shape(k) for k in index.keys),
        index.include,
        index.method,
        index.unique,
        _predicate_shape(index.predicate),
    )


def _key_shape(key: IndexKey) -> tuple:
    expression = _expression_shape(key.expression) if key.expression is not None else None
    return (key.column, expression, key.collation, key.opclass, key.descending)


def _predicate_shape(predicate: Predicate | None) -> object:
    if predicate is None:
        return None
    if predicate.not_null_columns is not None:
        return ("not null", tuple(sorted(predicate.not_null_columns)))
    return _expression_shape(predicate.text)


@cache
def _expression_shape(text: str) -> str:
    """The parse tree of an expression without positions: spacing and parentheses do not count."""
    try:
        tree = json.loads(parse_sql_json(f"SELECT {text}"))
    except ParseError:
        return text
    return json.dumps(_without_locations(tree), sort_keys=True)


def _without_locations(node: Any) -> Any:
    """The tree minus positions and type casts: the server prints the implicit casts it added
    (`status::text = 'open'::text` for `status = 'open'`), so casts cannot tell indexes apart."""
    if isinstance(node, dict):
        if set(node) == {"TypeCast"}:
            return _without_locations(node["TypeCast"]["arg"])
        return {k: _without_locations(v) for k, v in node.items() if k not in ("location", "stmt_location", "stmt_len")}
    if isinstance(node, list):
        return [_without_locations(v) for v in node]
    return node
