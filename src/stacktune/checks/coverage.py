"""The coverage rule: can PostgreSQL serve a foreign key's own lookup from an index?

On every DELETE or key UPDATE of a referenced row, PostgreSQL runs
`SELECT 1 FROM ONLY child WHERE fk_col = $1 [AND ...]`. An index serves that
lookup when it is valid, its first N key columns are exactly the FK's N columns
(any order; INCLUDE columns and expressions do not count), it has no predicate
or only one the lookup implies (`col IS NOT NULL` on FK columns), it is btree
(or hash on a single column), and its collation fits the column's.
Anything that almost fits is *weak*, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from stacktune.model.schema import ForeignKey, Index, Table

Verdict = Literal["covered", "weak", "uncovered"]


@dataclass(frozen=True, slots=True)
class Coverage:
    verdict: Verdict
    covered_by: str | None  # the index that serves the lookup (covered) or almost does (weak)
    reason: str  # why: one sentence a user can act on


@dataclass(frozen=True, slots=True)
class _Candidate:
    index: Index
    problem: str | None  # None: this index covers the FK
    rank: int  # lower is closer to covering


def assess(table: Table, fk: ForeignKey) -> Coverage:
    candidates = [c for c in (_judge(table, fk, ix) for ix in table.indexes.values()) if c is not None]
    covering = [c for c in candidates if c.problem is None]
    if covering:
        best = min(covering, key=lambda c: (len(c.index.keys), c.index.constraint is None, c.index.name))
        return Coverage("covered", best.index.name, f"index {best.index.name} leads with the FK columns")
    if candidates:
        best = min(candidates, key=lambda c: (c.rank, c.index.name))
        return Coverage("weak", best.index.name, f"index {best.index.name} {best.problem}")
    if not table.indexes:
        return Coverage("uncovered", None, f"{table.name} has no index at all")
    return Coverage("uncovered", None, f"no index on {table.name} contains {_columns(fk)}")


def _columns(fk: ForeignKey) -> str:
    return ", ".join(fk.columns)


def _judge(table: Table, fk: ForeignKey, index: Index) -> _Candidate | None:
    """None when the index has nothing to do with the FK columns."""
    wanted = set(fk.columns)
    n = len(fk.columns)
    leading = index.keys[:n]
    key_columns = {k.column for k in index.keys if k.column is not None}
    leads = len(leading) == n and {k.column for k in leading} == wanted and all(
        k.column is not None for k in leading
    )
    if not leads:
        if wanted <= key_columns:
            position = min(i for i, k in enumerate(index.keys) if k.column in wanted) + 1
            if position == 1:
                return _Candidate(index, f"starts with only part of the FK columns ({_columns(fk)})", 3)
            return _Candidate(
                index,
                f"has {_columns(fk)} only from key column {position} on, so the lookup cannot use it",
                4,
            )
        if index.keys and index.keys[0].column in wanted:
            return _Candidate(index, f"covers only part of the FK columns ({_columns(fk)})", 3)
        if wanted & set(index.include):
            return _Candidate(index, "has FK columns only in INCLUDE, which cannot be searched", 5)
        return None
    if not index.valid:
        return _Candidate(index, "is INVALID (a failed concurrent build) and is never used", 1)
    if index.method not in ("btree", "hash"):
        return _Candidate(index, f"uses {index.method}, which cannot serve an equality lookup efficiently", 2)
    if index.method == "hash" and n > 1:
        return _Candidate(index, "is a hash index, which covers a single column only", 2)
    if index.predicate is not None:
        implied = index.predicate.not_null_columns
        if implied is None or not implied <= wanted:
            return _Candidate(index, f"is partial (WHERE {index.predicate.text}), which the lookup does not imply", 1)
    for key in leading:
        column = table.columns.get(key.column or "")
        if key.collation is not None and column is not None and key.collation != (column.collation or "default"):
            return _Candidate(index, f"uses collation {key.collation} on {key.column}, not the column's", 2)
    return _Candidate(index, None, 0)
