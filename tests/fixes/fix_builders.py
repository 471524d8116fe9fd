"""Small hand-built schemas for the fix tests: events replayed the way the audit does."""

from __future__ import annotations

from pathlib import Path

from stacktune.audit import AuditResult
from stacktune.checks.context import AuditContext
from stacktune.model.events import (
    ColumnDef,
    ConstraintDef,
    CreateIndex,
    CreateTable,
    IndexKey,
    Predicate,
    RelName,
    SchemaEvent,
    SourceResult,
)
from stacktune.model.location import Location
from stacktune.replay.engine import replay

PATH = "migrations/001_init.sql"


def col(name: str, *, not_null: bool = False, type_name: str = "int4") -> ColumnDef:
    return ColumnDef(name, type_name, not_null=not_null)


def pk(*columns: str) -> ConstraintDef:
    return ConstraintDef("primary", columns)


def fk(*columns: str, ref: str, ref_columns: tuple[str, ...] = ("id",), name: str | None = None, line: int = 1,
       path: str = PATH, on_delete: str = "NO ACTION", ref_schema: str | None = None) -> ConstraintDef:
    return ConstraintDef(
        "foreign", columns, name=name, ref_table=RelName(ref_schema, ref), ref_columns=ref_columns,
        on_delete=on_delete, location=Location(path, line),  # type: ignore[arg-type]
    )


def table(name: str, *columns: ColumnDef, constraints: tuple[ConstraintDef, ...] = (), schema: str | None = None,
          line: int = 1, path: str = PATH) -> CreateTable:
    return CreateTable(table=RelName(schema, name), columns=columns, constraints=constraints,
                       location=Location(path, line))


def index(on: str, *columns: str, name: str | None = None, where_not_null: tuple[str, ...] | None = None,
          where: str | None = None, schema: str | None = None, line: int = 1, path: str = PATH,
          method: str = "btree") -> CreateIndex:
    predicate = None
    if where_not_null is not None:
        predicate = Predicate(" AND ".join(f"{c} IS NOT NULL" for c in where_not_null), frozenset(where_not_null))
    elif where is not None:
        predicate = Predicate(where)
    return CreateIndex(table=RelName(schema, on), keys=tuple(IndexKey(column=c) for c in columns), name=name,
                       predicate=predicate, method=method, location=Location(path, line))


def users() -> CreateTable:
    return table("users", col("id", not_null=True), constraints=(pk("id"),))


def context(*events: SchemaEvent) -> AuditContext:
    replayer = replay([list(events)])
    assert [p for p in replayer.problems if not p.notice] == [], replayer.problems
    return AuditContext(replayer.schema, replayer.problems)


def result(ctx: AuditContext, *sources: SourceResult, root: Path = Path(".")) -> AuditResult:
    return AuditResult(root, "migrations", list(sources), ctx, [])
