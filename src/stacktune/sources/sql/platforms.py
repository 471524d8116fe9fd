"""What a hosting platform creates before a project's first migration runs.

Supabase provisions the `auth` and `storage` schemas in every project, and
migrations reference `auth.users (id)` as a matter of course: without these
tables every such CREATE TABLE would fail the replay and lose its keys. Only
the key columns are declared; nothing here has a foreign key of its own.
"""

from __future__ import annotations

from stacktune.model.events import AddConstraint, ConstraintDef, CreateSchema, CreateTable, RelName, SchemaEvent
from stacktune.model.location import Location
from stacktune.sources.sql.statements import sql_to_events

# The SQL each layout's platform has run first, by migration style: one statement each.
PLATFORM_SQL: dict[str, tuple[str, ...]] = {
    "supabase": (
        "CREATE SCHEMA auth",
        "CREATE TABLE auth.users (id uuid PRIMARY KEY)",
        "CREATE SCHEMA storage",
        "CREATE TABLE storage.buckets (id text PRIMARY KEY)",
        "CREATE TABLE storage.objects (id uuid PRIMARY KEY, bucket_id text)",
    ),
}


def platform_prelude(style: str, folder: str, migrations: list[SchemaEvent]) -> tuple[list[SchemaEvent], list[str]]:
    """The platform tables the migrations' foreign keys reference: their events, located at the
    folder, and their SQL (what `verify` runs before the migrations).

    Only what is referenced is added, and nothing the migrations create themselves
    (a project that builds stand-ins for them, for a plain PostgreSQL, keeps its own).
    """
    referenced = {ref for event in migrations for ref in _references(event)}
    own_tables = {e.table for e in migrations if isinstance(e, CreateTable)}
    own_schemas = {e.name for e in migrations if isinstance(e, CreateSchema)}
    parsed = []
    for sql in PLATFORM_SQL.get(style, ()):
        (event,), _ = sql_to_events(sql, folder, locate=lambda offset: Location(folder))
        parsed.append((event, sql))
    tables = [
        (event, sql)
        for event, sql in parsed
        if isinstance(event, CreateTable)
        and event.table in referenced
        and event.table not in own_tables
        and event.table.schema not in own_schemas
    ]
    schemas = {event.table.schema for event, _ in tables}
    chosen = [
        (event, sql)
        for event, sql in parsed
        if (event, sql) in tables or (isinstance(event, CreateSchema) and event.name in schemas)
    ]
    return [event for event, _ in chosen], [sql for _, sql in chosen]


def _references(event: SchemaEvent) -> list[RelName]:
    """The tables an event's foreign keys reference."""
    constraints: tuple[ConstraintDef, ...] = getattr(event, "constraints", ())
    if isinstance(event, AddConstraint):
        constraints = (event.constraint,)
    return [c.ref_table for c in constraints if c.kind == "foreign" and c.ref_table is not None]
