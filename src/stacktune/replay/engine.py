"""Apply schema events to a Schema the way PostgreSQL executes the statements behind them.

A statement that would fail on a fresh database (a duplicate name, a missing
table) is skipped and recorded as a ReplayProblem with its location, as the
server would refuse it; everything after it still replays.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import singledispatchmethod

from stacktune.model import events as ev
from stacktune.model.location import Location
from stacktune.model.schema import Column, ForeignKey, Index, Schema, Table
from stacktune.replay import naming

DEFAULT_SEARCH_PATH = ("public",)


@dataclass(frozen=True, slots=True)
class ReplayProblem:
    """A statement PostgreSQL would reject when building the schema from scratch."""

    location: Location
    message: str
    notice: bool = False  # True for a silent skip (IF NOT EXISTS on an existing name): worth showing


class StatementFailed(Exception):
    pass


class MissingTable(StatementFailed):
    """The statement's table does not exist (a no-op under ALTER TABLE IF EXISTS)."""


def _t(name: str) -> str:
    return naming.truncate_identifier(name)


class Replayer:
    """Holds the schema being built plus the session state (search_path) of the runner."""

    def __init__(self, schema: Schema | None = None) -> None:
        self.schema = schema or Schema()
        self.search_path: tuple[str, ...] = DEFAULT_SEARCH_PATH
        self.problems: list[ReplayProblem] = []
        # Lookup tables kept in step with the schema: index name -> owning table, and
        # how many constraints bear each name per namespace (PostgreSQL picks unnamed
        # constraint names unique across the whole namespace).
        self._index_owners: dict[tuple[str, str], Table] = {}
        self._constraint_names: dict[str, Counter[str]] = {}
        for table in self.schema.tables.values():
            self._register_table(table)

    # -- entry points -------------------------------------------------------------------

    def run(self, events: Iterable[ev.SchemaEvent]) -> None:
        for event in events:
            try:
                self.apply(event)
            except MissingTable as failure:
                if not (event.if_table_exists or event.conditional):
                    self.problems.append(ReplayProblem(event.location, str(failure)))
            except StatementFailed as failure:
                # A conditional statement that would fail is what its guard (IF NOT EXISTS
                # (SELECT ... pg_constraint ...), an exception handler) is there to skip.
                if not event.conditional:
                    self.problems.append(ReplayProblem(event.location, str(failure)))

    def reset_session(self) -> None:
        self.search_path = DEFAULT_SEARCH_PATH

    # -- name resolution ----------------------------------------------------------------

    def _creation_schema(self, rel: ev.RelName) -> str:
        if rel.schema is not None:
            schema = _t(rel.schema)
            if schema not in self.schema.schemas:
                raise StatementFailed(f'schema "{schema}" does not exist')
            return schema
        for schema in self.search_path:
            if schema in self.schema.schemas:
                return schema
        raise StatementFailed("no schema has been selected to create in")

    def _relation_kind(self, schema: str, name: str) -> str | None:
        if (schema, name) in self.schema.tables:
            return "table"
        if self._index_owner(schema, name) is not None:
            return "index"
        return None

    def _index_owner(self, schema: str, name: str) -> Table | None:
        return self._index_owners.get((schema, name))

    # -- keeping the lookup tables in step ------------------------------------------------

    def _register_table(self, table: Table) -> None:
        for index in table.indexes.values():
            self._index_owners[(table.schema, index.name)] = table
        self._constraint_names.setdefault(table.schema, Counter()).update(table.constraint_names())

    def _unregister_table(self, table: Table) -> None:
        for name in table.indexes:
            self._index_owners.pop((table.schema, name), None)
        self._constraint_names.get(table.schema, Counter()).subtract(table.constraint_names())

    def _put_index(self, table: Table, index: Index) -> None:
        table.indexes[index.name] = index
        self._index_owners[(table.schema, index.name)] = table
        if index.constraint is not None:
            self._constraint_names.setdefault(table.schema, Counter())[index.name] += 1

    def _pop_index(self, table: Table, name: str) -> Index:
        index = table.indexes.pop(name)
        self._index_owners.pop((table.schema, name), None)
        if index.constraint is not None:
            self._constraint_names[table.schema][name] -= 1
        return index

    def _put_constraint_name(self, table: Table, name: str) -> None:
        self._constraint_names.setdefault(table.schema, Counter())[name] += 1

    def _pop_constraint_name(self, table: Table, name: str) -> None:
        self._constraint_names[table.schema][name] -= 1

    def _lookup_schemas(self, rel: ev.RelName) -> tuple[str, ...]:
        return (_t(rel.schema),) if rel.schema is not None else self.search_path

    def _find_table(self, rel: ev.RelName) -> Table | None:
        name = _t(rel.name)
        for schema in self._lookup_schemas(rel):
            table = self.schema.tables.get((schema, name))
            if table is not None:
                return table
            if self._index_owner(schema, name) is not None:
                return None  # an index hides any table further down the path
        return None

    def _table(self, rel: ev.RelName) -> Table:
        table = self._find_table(rel)
        if table is None:
            raise MissingTable(f'relation "{rel}" does not exist')
        return table

    def _find_index(self, rel: ev.RelName) -> tuple[Table, Index] | None:
        name = _t(rel.name)
        for schema in self._lookup_schemas(rel):
            if (schema, name) in self.schema.tables:
                return None
            owner = self._index_owner(schema, name)
            if owner is not None:
                return owner, owner.indexes[name]
        return None

    def _relation_taken(self, schema: str) -> Callable[[str], bool]:
        return lambda name: self._relation_kind(schema, name) is not None

    def _constraint_taken(self, schema: str) -> Callable[[str], bool]:
        """ChooseConstraintName checks the name against every constraint in the namespace."""
        names = self._constraint_names.get(schema, Counter())
        return lambda name: names[name] > 0

    # -- dispatch -------------------------------------------------------------------------

    @singledispatchmethod
    def apply(self, event: ev.Event) -> None:  # pragma: no cover - every event type is registered
        raise TypeError(f"no replay rule for {type(event).__name__}")

    @apply.register
    def _(self, event: ev.SetSearchPath) -> None:
        self.search_path = tuple(_t(s) for s in event.schemas)

    @apply.register
    def _(self, event: ev.CreateSchema) -> None:
        name = _t(event.name)
        if name in self.schema.schemas:
            if event.if_not_exists:
                return
            raise StatementFailed(f'schema "{name}" already exists')
        self.schema.schemas.add(name)

    @apply.register
    def _(self, event: ev.DropSchema) -> None:
        for raw in event.names:
            name = _t(raw)
            if name not in self.schema.schemas:
                if event.if_exists:
                    continue
                raise StatementFailed(f'schema "{name}" does not exist')
            tables = [t for t in self.schema.tables.values() if t.schema == name]
            if tables and not event.cascade:
                raise StatementFailed(f'cannot drop schema "{name}" because other objects depend on it')
            for table in tables:
                self._drop_table(table, cascade=True)
            self.schema.schemas.discard(name)

    # -- tables ---------------------------------------------------------------------------

    @apply.register
    def _(self, event: ev.CreateTable) -> None:
        schema = self._creation_schema(event.table)
        name = _t(event.table.name)
        if self._relation_kind(schema, name) is not None:
            if event.if_not_exists:
                existing = self.schema.tables.get((schema, name))
                lost = _lost_by_skipping(existing, event) if existing else ["the whole table (the name is an index)"]
                if lost:
                    where = f" (created at {_where(existing.location)})" if existing else ""
                    self.problems.append(
                        ReplayProblem(
                            event.location,
                            f'CREATE TABLE IF NOT EXISTS skipped: "{name}" already exists{where}, so'
                            f" {'; '.join(lost)} never created",
                            notice=True,
                        )
                    )
                return
            raise StatementFailed(f'relation "{name}" already exists')
        table = Table(schema, name, location=event.location, conditional=event.conditional)
        table.partitioned = event.partitioned
        parent: Table | None = None
        if event.partition_of is not None:
            parent = self._table(event.partition_of)
            table.partition_of = parent.key
            for column in parent.columns.values():
                table.columns[column.name] = replace(column)
        for source in (*event.inherits, *(like.source for like in event.like)):
            for column in self._table(source).columns.values():
                table.columns.setdefault(column.name, replace(column, location=event.location))
        for column in event.columns:
            self._add_column_to(table, column)
        # Constraints are checked against the new table before anything is created.
        for constraint in event.constraints:
            for col in constraint.columns:
                if _t(col) not in table.columns:
                    raise StatementFailed(
                        f'column "{col}" named in key does not exist'
                        if constraint.kind != "foreign"
                        else f'column "{col}" referenced in foreign key constraint does not exist'
                    )
        self.schema.tables[table.key] = table
        self._register_table(table)
        try:
            for like in event.like:
                if like.including_indexes:
                    self._copy_indexes(self._table(like.source), table, event)
            if parent is not None:
                self._copy_indexes(parent, table, event)
            # PostgreSQL's order: CHECKs with the table, then the indexes (primary key
            # first, duplicates merged), then the FKs.
            for constraint in event.constraints:
                if constraint.kind == "check":
                    self._add_check(table, constraint)
            for constraint in _merged_index_constraints(table, event.constraints):
                self._add_index_constraint(table, constraint, event)
            for constraint in event.constraints:
                if constraint.kind == "foreign":
                    self._add_foreign_key(table, constraint, event)
        except StatementFailed:
            self._unregister_table(table)
            del self.schema.tables[table.key]
            raise

    def _copy_indexes(self, source: Table, target: Table, event: ev.Event) -> None:
        for index in list(source.indexes.values()):
            if index.constraint == "primary":
                name = naming.choose_name(target.name, None, "pkey", self._relation_taken(target.schema))
            else:
                label = {"unique": "key", "exclude": "excl"}.get(index.constraint or "", "idx")
                columns = naming.index_column_names(
                    [k.column or naming.expression_column_name(k.expression or "") for k in index.keys]
                    + list(index.include)
                )
                name = naming.choose_name(
                    target.name, naming.name_addition(columns), label, self._relation_taken(target.schema)
                )
            self._put_index(target, replace(index, name=name, location=event.location))

    def _add_column_to(self, table: Table, column: ev.ColumnDef) -> None:
        name = _t(column.name)
        if name in table.columns:
            raise StatementFailed(f'column "{name}" specified more than once')
        table.columns[name] = Column(name, column.type_name, column.not_null, column.collation, column.location)

    @apply.register
    def _(self, event: ev.DropTable) -> None:
        for rel in event.tables:
            table = self._find_table(rel)
            if table is None:
                if event.if_exists:
                    continue
                raise StatementFailed(f'table "{rel}" does not exist')
            self._drop_table(table, event.cascade)

    def _drop_table(self, table: Table, cascade: bool) -> None:
        dependents = [
            (other, fk)
            for other in self.schema.tables.values()
            if other is not table
            for fk in other.foreign_keys.values()
            if (fk.ref_schema, fk.ref_table) == table.key
        ]
        partitions = [t for t in self.schema.tables.values() if t.partition_of == table.key]
        if dependents and not cascade:
            other, fk = dependents[0]
            raise StatementFailed(
                f'cannot drop table {table.name} because constraint {fk.name} on table {other.name} depends on it'
            )
        for other, fk in dependents:
            self._drop_foreign_key(other, fk.name)
        for partition in partitions:
            self._drop_table(partition, cascade)
        self._unregister_table(table)
        del self.schema.tables[table.key]

    @apply.register
    def _(self, event: ev.RenameRelation) -> None:
        new_name = _t(event.new_name)
        found_index = self._find_index(event.relation)
        table = self._find_table(event.relation)
        if table is None and found_index is None:
            if event.if_exists:
                return
            raise StatementFailed(f'relation "{event.relation}" does not exist')
        schema = table.schema if table is not None else found_index[0].schema
        if self._relation_kind(schema, new_name) is not None:
            raise StatementFailed(f'relation "{new_name}" already exists')
        if table is not None:
            old_key = table.key
            self._unregister_table(table)
            del self.schema.tables[old_key]
            table.name = new_name
            self.schema.tables[table.key] = table
            self._register_table(table)
            self._retarget_references(old_key, table.key)
            for other in self.schema.tables.values():
                if other.partition_of == old_key:
                    other.partition_of = table.key
        else:
            owner, index = found_index
            self._pop_index(owner, index.name)
            index.name = new_name
            self._put_index(owner, index)

    def _retarget_references(self, old_key: tuple[str, str], new_key: tuple[str, str]) -> None:
        for other in self.schema.tables.values():
            for fk in other.foreign_keys.values():
                if (fk.ref_schema, fk.ref_table) == old_key:
                    fk.ref_schema, fk.ref_table = new_key

    @apply.register
    def _(self, event: ev.SetRelationSchema) -> None:
        table = self._find_table(event.relation)
        if table is None:
            if event.if_exists:
                return
            raise StatementFailed(f'relation "{event.relation}" does not exist')
        new_schema = _t(event.new_schema)
        if new_schema not in self.schema.schemas:
            raise StatementFailed(f'schema "{new_schema}" does not exist')
        if self._relation_kind(new_schema, table.name) is not None:
            raise StatementFailed(f'relation "{table.name}" already exists in schema "{new_schema}"')
        old_key = table.key
        self._unregister_table(table)
        del self.schema.tables[old_key]
        table.schema = new_schema
        self.schema.tables[table.key] = table
        self._register_table(table)
        self._retarget_references(old_key, table.key)

    # -- columns --------------------------------------------------------------------------

    @apply.register
    def _(self, event: ev.AddColumn) -> None:
        table = self._table(event.table)
        name = _t(event.column.name)
        if name in table.columns:
            if event.if_not_exists:
                return
            raise StatementFailed(f'column "{name}" of relation "{table.name}" already exists')
        self._add_column_to(table, event.column)
        try:
            for constraint in event.constraints:
                self._add_constraint(table, constraint, event)
        except StatementFailed:
            del table.columns[name]
            raise

    @apply.register
    def _(self, event: ev.DropColumn) -> None:
        table = self._table(event.table)
        name = _t(event.column)
        if name not in table.columns:
            if event.if_exists:
                return
            raise StatementFailed(f'column "{name}" of relation "{table.name}" does not exist')
        doomed_indexes = [ix for ix in table.indexes.values() if _index_uses(ix, name)]
        doomed_fks = [fk for fk in table.foreign_keys.values() if name in fk.columns]
        # FKs elsewhere that depend on a unique index being dropped with this column.
        dependents = [
            (other, fk)
            for other in self.schema.tables.values()
            for fk in other.foreign_keys.values()
            if (fk.ref_schema, fk.ref_table) == table.key and name in fk.ref_columns
        ]
        if dependents and not event.cascade:
            other, fk = dependents[0]
            raise StatementFailed(
                f'cannot drop column {name} of table {table.name} because constraint {fk.name}'
                f" on table {other.name} depends on it"
            )
        for other, fk in dependents:
            self._drop_foreign_key(other, fk.name)
        for index in doomed_indexes:
            self._pop_index(table, index.name)
        for fk in doomed_fks:
            self._drop_foreign_key(table, fk.name)
        del table.columns[name]

    @apply.register
    def _(self, event: ev.RenameColumn) -> None:
        table = self._table(event.table)
        old, new = _t(event.column), _t(event.new_name)
        if old not in table.columns:
            raise StatementFailed(f'column "{old}" does not exist')
        if new in table.columns:
            raise StatementFailed(f'column "{new}" of relation "{table.name}" already exists')
        table.columns = {(new if k == old else k): v for k, v in table.columns.items()}
        table.columns[new].name = new
        for index in table.indexes.values():
            index.keys = tuple(replace(k, column=new) if k.column == old else k for k in index.keys)
            index.include = tuple(new if c == old else c for c in index.include)
            if index.predicate is not None and index.predicate.not_null_columns is not None:
                cols = frozenset(new if c == old else c for c in index.predicate.not_null_columns)
                index.predicate = replace(index.predicate, not_null_columns=cols)
        for fk in table.foreign_keys.values():
            fk.columns = tuple(new if c == old else c for c in fk.columns)
        for other in self.schema.tables.values():
            for fk in other.foreign_keys.values():
                if (fk.ref_schema, fk.ref_table) == table.key:
                    fk.ref_columns = tuple(new if c == old else c for c in fk.ref_columns)

    @apply.register
    def _(self, event: ev.AlterColumnType) -> None:
        table = self._table(event.table)
        column = table.columns.get(_t(event.column))
        if column is None:
            raise StatementFailed(f'column "{event.column}" of relation "{table.name}" does not exist')
        column.type_name = event.type_name
        if event.collation is not None:
            column.collation = event.collation

    @apply.register
    def _(self, event: ev.SetColumnNotNull) -> None:
        table = self._table(event.table)
        column = table.columns.get(_t(event.column))
        if column is None:
            raise StatementFailed(f'column "{event.column}" of relation "{table.name}" does not exist')
        column.not_null = event.not_null

    # -- constraints ----------------------------------------------------------------------

    @apply.register
    def _(self, event: ev.AddConstraint) -> None:
        self._add_constraint(self._table(event.table), event.constraint, event)

    def _add_constraint(self, table: Table, constraint: ev.ConstraintDef, event: ev.Event) -> None:
        for col in constraint.columns:
            if _t(col) not in table.columns:
                raise StatementFailed(f'column "{col}" of relation "{table.name}" does not exist')
        if constraint.kind == "foreign":
            self._add_foreign_key(table, constraint, event)
        elif constraint.kind == "check":
            self._add_check(table, constraint)
        else:
            self._add_index_constraint(table, constraint, event)

    def _add_check(self, table: Table, constraint: ev.ConstraintDef) -> None:
        if constraint.name is not None:
            name = _t(constraint.name)
            if name in table.constraint_names():
                raise StatementFailed(f'constraint "{name}" for relation "{table.name}" already exists')
        else:
            first = constraint.columns[0] if constraint.columns else None
            name = naming.choose_name(table.name, first, "check", self._constraint_taken(table.schema))
        table.other_constraints.add(name)
        self._put_constraint_name(table, name)

    def _add_index_constraint(self, table: Table, constraint: ev.ConstraintDef, event: ev.Event) -> None:
        kind = constraint.kind
        if kind == "primary" and any(ix.constraint == "primary" for ix in table.indexes.values()):
            raise StatementFailed(f'multiple primary keys for table "{table.name}" are not allowed')
        if constraint.using_index is not None:
            self._constraint_using_index(table, constraint)
            return
        if constraint.name is not None:
            name = _t(constraint.name)
            if self._relation_kind(table.schema, name) is not None:
                raise StatementFailed(f'relation "{name}" already exists')
        elif kind == "primary":
            name = naming.choose_name(table.name, None, "pkey", self._relation_or_constraint_taken(table.schema))
        else:
            keys = [k.column or naming.expression_column_name(k.expression or "") for k in constraint.keys] or [
                *constraint.columns
            ]
            columns = naming.index_column_names([*keys, *constraint.include])
            name = naming.choose_name(
                table.name,
                naming.name_addition(columns),
                "excl" if kind == "exclude" else "key",
                self._relation_or_constraint_taken(table.schema),
            )
        if kind == "primary":
            for col in constraint.columns:
                table.columns[_t(col)].not_null = True
        keys = constraint.keys or tuple(ev.IndexKey(column=_t(c)) for c in constraint.columns)
        self._put_index(table, Index(
            name=name,
            keys=keys,
            unique=kind != "exclude",
            method=constraint.index_method or "btree",
            include=tuple(_t(c) for c in constraint.include),
            predicate=constraint.predicate,
            constraint=kind,
            location=constraint.location or event.location,
            conditional=event.conditional,
        ))

    def _relation_or_constraint_taken(self, schema: str) -> Callable[[str], bool]:
        relation_taken = self._relation_taken(schema)
        constraint_taken = self._constraint_taken(schema)
        return lambda name: relation_taken(name) or constraint_taken(name)

    def _constraint_using_index(self, table: Table, constraint: ev.ConstraintDef) -> None:
        index_name = _t(constraint.using_index)
        index = table.indexes.get(index_name)
        if index is None:
            raise StatementFailed(f'index "{index_name}" does not exist')
        if index.constraint is not None:
            raise StatementFailed(f'index "{index_name}" is already associated with a constraint')
        if not index.unique:
            raise StatementFailed(f'"{index_name}" is not a unique index')
        if constraint.kind == "primary":
            for key in index.keys:
                if key.column is not None:
                    table.columns[key.column].not_null = True
        new_name = index_name
        if constraint.name is not None and _t(constraint.name) != index_name:
            new_name = _t(constraint.name)
            if self._relation_kind(table.schema, new_name) is not None:
                raise StatementFailed(f'relation "{new_name}" already exists')
        self._pop_index(table, index_name)
        index.name = new_name
        index.constraint = constraint.kind
        self._put_index(table, index)

    def _add_foreign_key(self, table: Table, constraint: ev.ConstraintDef, event: ev.Event) -> None:
        columns = tuple(_t(c) for c in constraint.columns)
        assert constraint.ref_table is not None
        referenced = self._find_table(constraint.ref_table)
        if referenced is None:
            raise StatementFailed(f'relation "{constraint.ref_table}" does not exist')
        ref_columns = tuple(_t(c) for c in constraint.ref_columns)
        if not ref_columns:
            primary = next((ix for ix in referenced.indexes.values() if ix.constraint == "primary"), None)
            if primary is None:
                raise StatementFailed(f'there is no primary key for referenced table "{referenced.name}"')
            ref_columns = tuple(k.column for k in primary.keys if k.column is not None)
        for col in ref_columns:
            if col not in referenced.columns:
                raise StatementFailed(f'column "{col}" referenced in foreign key constraint does not exist')
        if len(ref_columns) != len(columns):
            raise StatementFailed("number of referencing and referenced columns for foreign key disagree")
        if not _has_unique_index_on(referenced, ref_columns):
            raise StatementFailed(
                f'there is no unique constraint matching given keys for referenced table "{referenced.name}"'
            )
        if constraint.name is not None:
            name = _t(constraint.name)
            if name in table.constraint_names():
                raise StatementFailed(f'constraint "{name}" for relation "{table.name}" already exists')
        else:
            name = naming.choose_name(
                table.name, naming.name_addition(columns), "fkey", self._constraint_taken(table.schema)
            )
        self._put_constraint_name(table, name)
        table.foreign_keys[name] = ForeignKey(
            name=name,
            columns=columns,
            ref_schema=referenced.schema,
            ref_table=referenced.name,
            ref_columns=ref_columns,
            on_delete=constraint.on_delete,
            on_update=constraint.on_update,
            not_valid=constraint.not_valid,
            location=constraint.location or event.location,
            conditional=event.conditional,
        )

    @apply.register
    def _(self, event: ev.DropConstraint) -> None:
        table = self._table(event.table)
        name = _t(event.name)
        if name in table.foreign_keys:
            self._drop_foreign_key(table, name)
        elif name in table.other_constraints:
            table.other_constraints.discard(name)
            self._pop_constraint_name(table, name)
        elif name in table.indexes and table.indexes[name].constraint is not None:
            self._drop_index(table, table.indexes[name], cascade=event.cascade, via_constraint=True)
        elif event.if_exists:
            return
        else:
            raise StatementFailed(f'constraint "{name}" of relation "{table.name}" does not exist')

    @apply.register
    def _(self, event: ev.RenameConstraint) -> None:
        table = self._table(event.table)
        old, new = _t(event.name), _t(event.new_name)
        if new in table.constraint_names():
            raise StatementFailed(f'constraint "{new}" for relation "{table.name}" already exists')
        if old in table.foreign_keys:
            fk = table.foreign_keys.pop(old)
            fk.name = new
            table.foreign_keys[new] = fk
        elif old in table.other_constraints:
            table.other_constraints.discard(old)
            table.other_constraints.add(new)
        elif old in table.indexes and table.indexes[old].constraint is not None:
            if self._relation_kind(table.schema, new) is not None:
                raise StatementFailed(f'relation "{new}" already exists')
            index = self._pop_index(table, old)
            index.name = new
            self._put_index(table, index)
            return
        else:
            raise StatementFailed(f'constraint "{old}" for table "{table.name}" does not exist')
        self._pop_constraint_name(table, old)
        self._put_constraint_name(table, new)

    # -- indexes --------------------------------------------------------------------------

    @apply.register
    def _(self, event: ev.CreateIndex) -> None:
        table = self._table(event.table)
        keys = tuple(replace(k, column=_t(k.column)) if k.column is not None else k for k in event.keys)
        include = tuple(_t(c) for c in event.include)
        for col in [k.column for k in keys if k.column is not None] + list(include):
            if col not in table.columns:
                raise StatementFailed(f'column "{col}" does not exist')
        if event.method == "hash" and len(keys) > 1:
            raise StatementFailed('access method "hash" does not support multicolumn indexes')
        if event.name is not None:
            name = _t(event.name)
            if self._relation_kind(table.schema, name) is not None:
                if event.if_not_exists:
                    self._note_skipped_index(table, name, keys, include, event)
                    return
                raise StatementFailed(f'relation "{name}" already exists')
        else:
            columns = naming.index_column_names(
                [k.column or naming.expression_column_name(k.expression or "") for k in keys] + list(include)
            )
            name = naming.choose_name(
                table.name, naming.name_addition(columns), "idx", self._relation_taken(table.schema)
            )
        self._put_index(table, Index(
            name=name,
            keys=keys,
            unique=event.unique,
            method=event.method,
            include=include,
            predicate=event.predicate,
            location=event.location,
            conditional=event.conditional,
        ))

    def _note_skipped_index(
        self, table: Table, name: str, keys: tuple[ev.IndexKey, ...], include: tuple[str, ...], event: ev.CreateIndex
    ) -> None:
        """IF NOT EXISTS compares names only: say so when the existing object is something else."""
        owner = self._index_owner(table.schema, name)
        existing = owner.indexes[name] if owner else None
        same = (
            existing is not None
            and owner is table
            and existing.keys == keys
            and existing.include == include
            and existing.method == event.method
            and existing.unique == event.unique
            and (existing.predicate is None) == (event.predicate is None)
        )
        if same:
            return
        what = (
            f"index {existing.describe()} on {owner.qualified_name} (declared at {_where(existing.location)})"
            if existing is not None
            else "a table"
        )
        wanted = ", ".join(k.label for k in keys)
        self.problems.append(
            ReplayProblem(
                event.location,
                f'CREATE INDEX IF NOT EXISTS skipped: "{name}" already exists as {what}, so the index on'
                f" {table.qualified_name} ({wanted}) was never created",
                notice=True,
            )
        )

    @apply.register
    def _(self, event: ev.DropIndex) -> None:
        for rel in event.indexes:
            found = self._find_index(rel)
            if found is None:
                if event.if_exists:
                    continue
                raise StatementFailed(f'index "{rel}" does not exist')
            table, index = found
            if index.constraint is not None:
                raise StatementFailed(
                    f"cannot drop index {index.name} because constraint {index.name} on table"
                    f" {table.name} requires it"
                )
            self._drop_index(table, index, cascade=event.cascade, via_constraint=False)

    def _drop_index(self, table: Table, index: Index, *, cascade: bool, via_constraint: bool) -> None:
        ref_columns = index.key_columns
        dependents = [
            (other, fk)
            for other in self.schema.tables.values()
            for fk in other.foreign_keys.values()
            if (fk.ref_schema, fk.ref_table) == table.key
            and index.unique
            and set(fk.ref_columns) == set(ref_columns)
            and not _has_unique_index_on(table, fk.ref_columns, excluding=index.name)
        ]
        if dependents and not cascade:
            other, fk = dependents[0]
            raise StatementFailed(
                f"cannot drop {'constraint' if via_constraint else 'index'} {index.name} on table {table.name}"
                f" because constraint {fk.name} on table {other.name} depends on it"
            )
        for other, fk in dependents:
            self._drop_foreign_key(other, fk.name)
        self._pop_index(table, index.name)

    def _drop_foreign_key(self, table: Table, name: str) -> None:
        if table.foreign_keys.pop(name, None) is not None:
            self._pop_constraint_name(table, name)


def _merged_index_constraints(table: Table, constraints: Iterable[ev.ConstraintDef]) -> list[ev.ConstraintDef]:
    """transformIndexConstraints: the primary key first, then each PK/UNIQUE/EXCLUDE once.

    `id int PRIMARY KEY UNIQUE` makes one index; when the kept clause is unnamed
    and a duplicate is named, the index takes the duplicate's name.
    """
    backed = [c for c in constraints if c.kind in ("primary", "unique", "exclude")]
    primaries = [c for c in backed if c.kind == "primary"]
    if len(primaries) > 1:
        raise StatementFailed(f'multiple primary keys for table "{table.name}" are not allowed')
    final = primaries[:1]
    for constraint in backed:
        if constraint.kind == "primary":
            continue
        for i, prior in enumerate(final):
            if _same_index(prior, constraint):
                if prior.name is None and constraint.name is not None:
                    final[i] = replace(prior, name=constraint.name)
                break
        else:
            final.append(constraint)
    return final


def _same_index(a: ev.ConstraintDef, b: ev.ConstraintDef) -> bool:
    def shape(c: ev.ConstraintDef) -> tuple:
        keys = c.keys or tuple(ev.IndexKey(column=_t(col)) for col in c.columns)
        return (keys, tuple(_t(i) for i in c.include), c.predicate, c.index_method or "btree", c.kind == "exclude")

    return shape(a) == shape(b)


def _where(location: Location | None) -> str:
    return f"{location.path}:{location.line}" if location else "an earlier statement"


def _lost_by_skipping(existing: Table, event: ev.CreateTable) -> list[str]:
    """What a skipped CREATE TABLE IF NOT EXISTS spelled out that the existing table lacks."""
    lost = [f"column {c.name}" for c in event.columns if _t(c.name) not in existing.columns]
    for constraint in event.constraints:
        columns = tuple(_t(c) for c in constraint.columns)
        label = f"{constraint.kind.upper()} ({', '.join(columns)})"
        if constraint.kind == "foreign":
            ref = _t(constraint.ref_table.name) if constraint.ref_table else "?"
            if not any(
                set(fk.columns) == set(columns) and fk.ref_table == ref for fk in existing.foreign_keys.values()
            ):
                lost.append(f"FOREIGN KEY ({', '.join(columns)}) REFERENCES {ref}")
        elif constraint.kind in ("primary", "unique") and not any(
            ix.unique and ix.key_columns == columns for ix in existing.indexes.values()
        ):
            lost.append(label.replace("PRIMARY", "PRIMARY KEY"))
    return lost


def _index_uses(index: Index, column: str) -> bool:
    if column in index.key_columns or column in index.include:
        return True
    if index.predicate is not None and index.predicate.not_null_columns is not None:
        return column in index.predicate.not_null_columns
    return False


def _has_unique_index_on(table: Table, columns: tuple[str, ...], excluding: str | None = None) -> bool:
    wanted = set(columns)
    for index in table.indexes.values():
        if index.name == excluding or not index.unique or index.predicate is not None:
            continue
        if len(index.keys) == len(columns) and {k.column for k in index.keys} == wanted:
            return True
    return False


def replay(sources: Iterable[Iterable[ev.SchemaEvent]], schema: Schema | None = None) -> Replayer:
    """Replay each source's events in turn; each source starts a fresh session."""
    replayer = Replayer(schema)
    for events in sources:
        replayer.reset_session()
        replayer.run(events)
    return replayer
