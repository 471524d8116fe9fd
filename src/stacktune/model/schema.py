"""The schema a database would have: built by replay from events, or read from a live catalog.

Both paths produce this one type, so every check runs unchanged on a repository
and on a database. Objects are mutable only while replay or the catalog reader
builds them; checks treat them as read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stacktune.model.events import FkAction, IndexKey, Predicate
from stacktune.model.location import Location


@dataclass(slots=True)
class Column:
    name: str
    type_name: str
    not_null: bool = False
    collation: str | None = None
    location: Location | None = None


@dataclass(slots=True)
class Index:
    name: str
    keys: tuple[IndexKey, ...]
    unique: bool = False
    method: str = "btree"
    include: tuple[str, ...] = ()
    predicate: Predicate | None = None
    constraint: str | None = None  # "primary" / "unique" / "exclude" when a constraint owns it
    valid: bool = True  # False for an INVALID index left by a failed CREATE INDEX CONCURRENTLY
    location: Location | None = None
    conditional: bool = False

    @property
    def key_columns(self) -> tuple[str | None, ...]:
        """Key column names; None stands for an expression."""
        return tuple(k.column for k in self.keys)

    def describe(self) -> str:
        parts = ", ".join(k.label for k in self.keys)
        text = f"{self.name} {self.method} ({parts})"
        if self.include:
            text += f" INCLUDE ({', '.join(self.include)})"
        if self.predicate is not None:
            text += f" WHERE {self.predicate.text}"
        if not self.valid:
            text += " INVALID"
        return text


@dataclass(slots=True)
class ForeignKey:
    name: str
    columns: tuple[str, ...]
    ref_schema: str
    ref_table: str
    ref_columns: tuple[str, ...]
    on_delete: FkAction = "NO ACTION"
    on_update: FkAction = "NO ACTION"
    not_valid: bool = False
    location: Location | None = None
    conditional: bool = False


@dataclass(slots=True)
class Table:
    schema: str
    name: str
    columns: dict[str, Column] = field(default_factory=dict)
    indexes: dict[str, Index] = field(default_factory=dict)
    foreign_keys: dict[str, ForeignKey] = field(default_factory=dict)
    # Names of constraints that are neither FKs nor index-backed (CHECK), kept for naming.
    other_constraints: set[str] = field(default_factory=set)
    partitioned: bool = False
    partition_of: tuple[str, str] | None = None
    location: Location | None = None
    conditional: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.schema, self.name)

    @property
    def qualified_name(self) -> str:
        return self.name if self.schema == "public" else f"{self.schema}.{self.name}"

    def constraint_names(self) -> set[str]:
        names = set(self.foreign_keys) | self.other_constraints
        names.update(ix.name for ix in self.indexes.values() if ix.constraint)
        return names


@dataclass(slots=True)
class Schema:
    tables: dict[tuple[str, str], Table] = field(default_factory=dict)
    schemas: set[str] = field(default_factory=lambda: {"public"})

    def table(self, schema: str, name: str) -> Table | None:
        return self.tables.get((schema, name))

    def sorted_tables(self) -> list[Table]:
        return [self.tables[k] for k in sorted(self.tables)]
