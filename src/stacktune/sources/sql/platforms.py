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

# The SQL each layout's platform has run first, by migration style.
PLATFORM_SQL: dict[str, str] = {
    "supabase": (
        "CREATE SCHEMA auth;\n"
        "CREATE TABLE auth.users (id uuid PRIMARY KEY);\n"
        "CREATE SCHEMA storage;\n"
        "CREATE TABLE storage.buckets (id text PRIMARY KEY);\n"
        "CREATE TABLE storage.objects (id uuid PRIMARY KEY, bucket_id text);\n"
    ),
}


def platform_events(style: str, folder: str, migrations: list[SchemaEvent]) -> list[SchemaEvent]:
    """The platform tables the migrations' foreign keys reference, located at the folder.

    Only what is referenced is added, and nothing the migrations create themselves
    (a project that builds stand-ins for them, for a plain PostgreSQL, keeps its own).
    """
    sql = PLATFORM_SQL.get(style)
    if sql is None:
        return []
    referenced = {ref for event in migrations for ref in _references(event)}
    own_tables = {e.table for e in migrations if isinstance(e, CreateTable)}
    own_schemas = {e.name for e in migrations if isinstance(e, CreateSchema)}
    events, _ = sql_to_events(sql, folder, locate=lambda offset: Location(folder))
    tables = [
        e for e in events
        if isinstance(e, CreateTable) and e.table in referenced and e.table not in own_tables
        and e.table.schema not in own_schemas
    ]
    schemas = {e.table.schema for e in tables}
    return [e for e in events if e in tables or (isinstance(e, CreateSchema) and e.name in schemas)]


def _references(event: SchemaEvent) -> list[RelName]:
    """The tables an event's foreign keys reference."""
    constraints: tuple[ConstraintDef, ...] = getattr(event, "constraints", ())
    if isinstance(event, AddConstraint):
        constraints = (event.constraint,)
    return [c.ref_table for c in constraints if c.kind == "foreign" and c.ref_table is not None]
