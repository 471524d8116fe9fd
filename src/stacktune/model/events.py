"""Schema events: what every source (SQL, models, Alembic) turns its input into.

Sources normalise their input into these small records and never touch the
schema themselves; `stacktune.replay` applies them in order with PostgreSQL's
semantics. Identifiers are stored exactly as PostgreSQL would store them:
unquoted SQL identifiers already folded to lower case, quoted ones verbatim,
not yet truncated to 63 bytes (replay does that, as the server does).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from stacktune.model.location import Location

ConstraintKind = Literal["primary", "unique", "foreign", "check", "exclude"]
# PostgreSQL's referential actions, spelled as in SQL.
FkAction = Literal["NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"]


@dataclass(frozen=True, slots=True)
class RelName:
    """A possibly schema-qualified relation name; schema None means "resolve via search_path"."""

    schema: str | None
    name: str

    def __str__(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name


@dataclass(frozen=True, slots=True)
class Predicate:
    """An index's WHERE clause.

    `not_null_columns` is set when the predicate is nothing but a conjunction of
    `col IS NOT NULL` tests (the only kind an FK lookup `col = $1` implies);
    otherwise it is None and the predicate is treated as restrictive.
    """

    text: str
    not_null_columns: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class IndexKey:
    """One key column of an index: a plain column, or an expression (deparsed SQL)."""

    column: str | None = None
    expression: str | None = None
    collation: str | None = None
    opclass: str | None = None
    descending: bool = False

    @property
    def label(self) -> str:
        return self.column if self.column is not None else f"({self.expression})"


@dataclass(frozen=True, slots=True)
class ColumnDef:
    name: str
    type_name: str  # PostgreSQL's internal name where known: int4, int8, text, uuid, varchar...
    not_null: bool = False
    collation: str | None = None
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class ConstraintDef:
    """A table constraint; inline column constraints are normalised to this form too."""

    kind: ConstraintKind
    columns: tuple[str, ...] = ()
    name: str | None = None
    ref_table: RelName | None = None
    ref_columns: tuple[str, ...] = ()  # empty: the referenced table's primary key
    on_delete: FkAction = "NO ACTION"
    on_update: FkAction = "NO ACTION"
    not_valid: bool = False
    using_index: str | None = None  # ADD CONSTRAINT ... USING INDEX name
    include: tuple[str, ...] = ()
    index_method: str | None = None  # EXCLUDE USING gist ...
    keys: tuple[IndexKey, ...] = ()  # EXCLUDE elements (columns/expressions with opclass)
    predicate: Predicate | None = None  # EXCLUDE ... WHERE (...)
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class LikeClause:
    """CREATE TABLE ... (LIKE source INCLUDING ...): what is copied matters for indexes."""

    source: RelName
    including_indexes: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    location: Location
    # True when the statement runs only under a runtime condition (an IF inside a
    # DO block, an exception handler): the verdict says so.
    conditional: bool = False
    # ALTER TABLE IF EXISTS: a missing table makes the statement a no-op, not an error.
    if_table_exists: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class SetSearchPath(Event):
    schemas: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CreateSchema(Event):
    name: str
    if_not_exists: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class DropSchema(Event):
    names: tuple[str, ...]
    if_exists: bool = False
    cascade: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class CreateTable(Event):
    table: RelName
    columns: tuple[ColumnDef, ...] = ()
    constraints: tuple[ConstraintDef, ...] = ()  # in declaration order
    if_not_exists: bool = False
    like: tuple[LikeClause, ...] = ()
    inherits: tuple[RelName, ...] = ()
    partition_of: RelName | None = None
    partitioned: bool = False  # PARTITION BY ...


@dataclass(frozen=True, slots=True, kw_only=True)
class DropTable(Event):
    tables: tuple[RelName, ...]
    if_exists: bool = False
    cascade: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class RenameRelation(Event):
    """ALTER TABLE/INDEX ... RENAME TO: PostgreSQL renames any relation kind either way."""

    relation: RelName
    new_name: str
    if_exists: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class SetRelationSchema(Event):
    relation: RelName
    new_schema: str
    if_exists: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class AddColumn(Event):
    table: RelName
    column: ColumnDef
    constraints: tuple[ConstraintDef, ...] = ()  # inline constraints on the new column
    if_not_exists: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class DropColumn(Event):
    table: RelName
    column: str
    if_exists: bool = False
    cascade: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class RenameColumn(Event):
    table: RelName
    column: str
    new_name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AlterColumnType(Event):
    table: RelName
    column: str
    type_name: str
    collation: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SetColumnNotNull(Event):
    table: RelName
    column: str
    not_null: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class AddConstraint(Event):
    table: RelName
    constraint: ConstraintDef


@dataclass(frozen=True, slots=True, kw_only=True)
class DropConstraint(Event):
    table: RelName
    name: str
    if_exists: bool = False
    cascade: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class RenameConstraint(Event):
    table: RelName
    name: str
    new_name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CreateIndex(Event):
    table: RelName
    keys: tuple[IndexKey, ...]
    name: str | None = None
    unique: bool = False
    method: str = "btree"
    include: tuple[str, ...] = ()
    predicate: Predicate | None = None
    if_not_exists: bool = False
    concurrently: bool = False
    only: bool = False  # CREATE INDEX ... ON ONLY parent (partitioned tables)


@dataclass(frozen=True, slots=True, kw_only=True)
class DropIndex(Event):
    indexes: tuple[RelName, ...]
    if_exists: bool = False
    cascade: bool = False


SchemaEvent = (
    SetSearchPath
    | CreateSchema
    | DropSchema
    | CreateTable
    | DropTable
    | RenameRelation
    | SetRelationSchema
    | AddColumn
    | DropColumn
    | RenameColumn
    | AlterColumnType
    | SetColumnNotNull
    | AddConstraint
    | DropConstraint
    | RenameConstraint
    | CreateIndex
    | DropIndex
)


@dataclass(slots=True)
class SourceResult:
    """What one source read: its events in apply order, problems met, and what it looked at."""

    kind: str  # "sql", "models", "alembic"
    path: str  # the folder or file, relative to the audited root
    style: str  # "numbered", "goose", "flyway", "sqlalchemy", ...
    files: list[str] = field(default_factory=list)
    events: list[SchemaEvent] = field(default_factory=list)
    diagnostics: list = field(default_factory=list)  # list[Diagnostic]
    # SQL the hosting platform ran before the first migration (Supabase's auth.users): its
    # events lead `events`, and `verify` runs it before building the migrations.
    prelude: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "path": self.path, "style": self.style, "files": list(self.files)}
