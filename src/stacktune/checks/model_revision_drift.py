"""Model/revision drift: what the models declare against what the Alembic revisions create.

Only meaningful when both were read and kept apart (`--schema-from both` on an Alembic
project): AuditContext.schema is then the revisions' schema (what a database upgraded
to head has) and AuditContext.model_schema the models' create_all. Indexes match by
table, key columns and whether they have a predicate; foreign keys by table, columns
and referenced table. Names never matter: Alembic and create_all name things differently.
Tables only one side has are left out (the table itself is the drift, not its parts).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from stacktune.model.location import Location
from stacktune.model.schema import ForeignKey, Index, Schema, Table


@dataclass(frozen=True, slots=True)
class Missing:
    """An index or FK `table` has that `other` (the same table on the other side) lacks."""

    table: Table
    item: Index | ForeignKey
    other: Table

    @property
    def location(self) -> Location:
        return self.item.location or self.table.location or Location(".")

    @property
    def other_location(self) -> Location:
        return self.other.location or Location(".")

    def related(self, label: str) -> dict[str, object]:
        return {"related": [{**self.other_location.to_json(), "message": label}]}


def _index_key(index: Index) -> tuple[tuple[str | None, ...], bool]:
    return index.key_columns, index.predicate is not None


def _fk_key(fk: ForeignKey) -> tuple[tuple[str, ...], str, str]:
    return fk.columns, fk.ref_schema, fk.ref_table


def _pairs(have: Schema, lacking: Schema) -> Iterator[tuple[Table, Table]]:
    for table in have.sorted_tables():
        other = lacking.table(*table.key)
        if other is not None:
            yield table, other


def missing_indexes(have: Schema, lacking: Schema) -> list[Missing]:
    """Indexes of `have` with no index of the same shape on the same table of `lacking`."""
    out = []
    for table, other in _pairs(have, lacking):
        shapes = {_index_key(ix) for ix in other.indexes.values()}
        out += [Missing(table, ix, other) for name, ix in sorted(table.indexes.items()) if _index_key(ix) not in shapes]
    return out


def missing_foreign_keys(have: Schema, lacking: Schema) -> list[Missing]:
    out = []
    for table, other in _pairs(have, lacking):
        shapes = {_fk_key(fk) for fk in other.foreign_keys.values()}
        out += [Missing(table, fk, other) for name, fk in sorted(table.foreign_keys.items()) if _fk_key(fk) not in shapes]
    return out


def describe_fk(fk: ForeignKey) -> str:
    return f"{fk.name} ({', '.join(fk.columns)}) -> {fk.ref_table}"
