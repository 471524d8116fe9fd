"""Names for new indexes: the project's own convention, never taken, within 63 bytes.

The convention is learnt from the indexes the project named itself (not those
owned by constraints): an affix (`idx_`, `ix_`, `index_` before, `_idx`, `_index`
after) by majority, and per table the stem its indexes use for the table name
(the seed wrote `idx_audit_logs_task` on task_audit_logs, so a new index there
is `idx_audit_logs_user_id`). Without examples: `idx_<table>_<columns>`.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from stacktune.model.schema import Index, Schema, Table
from stacktune.replay.naming import MAX_IDENTIFIER_BYTES, clip_bytes

# In order of preference when votes tie.
AFFIXES: tuple[tuple[str, str], ...] = (("idx_", ""), ("ix_", ""), ("index_", ""), ("", "_idx"), ("", "_index"))
DEFAULT_AFFIX = AFFIXES[0]
_DIGEST_CHARS = 6


@dataclass(frozen=True, slots=True)
class NameConvention:
    prefix: str = DEFAULT_AFFIX[0]
    suffix: str = DEFAULT_AFFIX[1]
    # (schema, table) -> the stem this table's own index names use for it
    stems: dict[tuple[str, str], str] = field(default_factory=dict)

    def body(self, table: Table, columns: Iterable[str]) -> str:
        """The part between the affixes: table stem and column names, joined by '_'."""
        stem = self.stems.get(table.key) or simple_part(table.name)
        parts = [stem, *(simple_part(c) for c in columns)]
        return "_".join(p for p in parts if p)


def simple_part(text: str) -> str:
    """`text` as a name part that needs no quoting where possible: lower case, other characters as '_'."""
    chars = [c if c.isalnum() or c == "_" else "_" for c in text.lower()]
    return "_".join(p for p in "".join(chars).split("_") if p)


def _affix_of(name: str) -> tuple[str, str] | None:
    for prefix, suffix in AFFIXES:
        if prefix and name.startswith(prefix) and len(name) > len(prefix):
            return prefix, suffix
        if suffix and name.endswith(suffix) and len(name) > len(suffix):
            return prefix, suffix
    return None


def _own_indexes(schema: Schema) -> Iterable[tuple[Table, Index]]:
    for table in schema.sorted_tables():
        for index in table.indexes.values():
            if index.constraint is None:
                yield table, index


def learn_convention(schema: Schema) -> NameConvention:
    votes = Counter(a for _, ix in _own_indexes(schema) if (a := _affix_of(ix.name)) is not None)
    prefix, suffix = min(votes, key=lambda a: (-votes[a], AFFIXES.index(a))) if votes else DEFAULT_AFFIX
    stems: dict[tuple[str, str], Counter[str]] = {}
    for table, index in _own_indexes(schema):
        stem = _stem_of(index, prefix, suffix)
        if stem is not None:
            stems.setdefault(table.key, Counter())[stem] += 1
    chosen = {key: min(c, key=lambda s: (-c[s], s)) for key, c in stems.items()}
    return NameConvention(prefix, suffix, chosen)


def _stem_of(index: Index, prefix: str, suffix: str) -> str | None:
    """The table stem of `<prefix><stem>_<columns><suffix>`, when the index name has that shape."""
    name = index.name
    if not (name.startswith(prefix) and name.endswith(suffix)) or len(name) <= len(prefix) + len(suffix):
        return None
    body = name[len(prefix) : len(name) - len(suffix)]
    if any(c is None for c in index.key_columns):
        return None
    tail = "_" + "_".join(c for c in index.key_columns if c is not None)
    if len(body) > len(tail) and body.endswith(tail):
        return body[: -len(tail)]
    return None


def fit_name(prefix: str, body: str, suffix: str) -> str:
    """`prefix + body + suffix`, cut inside `body` to 63 bytes with a short digest of the whole when too long."""
    name = prefix + body + suffix
    if len(name.encode()) <= MAX_IDENTIFIER_BYTES:
        return name
    digest = "_" + hashlib.sha1(name.encode()).hexdigest()[:_DIGEST_CHARS]
    room = MAX_IDENTIFIER_BYTES - len((prefix + digest + suffix).encode())
    kept = clip_bytes(body, room)
    # A combining mark left without its base would change how the cut name reads.
    while kept and unicodedata.combining(kept[-1]):
        kept = kept[:-1]
    return prefix + kept.rstrip("_") + digest + suffix


class IndexNamer:
    """Chooses index names for one run: the convention, minus every name taken so far."""

    def __init__(self, schema: Schema, convention: NameConvention | None = None) -> None:
        self.convention = convention or learn_convention(schema)
        # Indexes share the relation namespace of their schema with tables.
        self._taken: dict[str, set[str]] = {}
        for table in schema.tables.values():
            names = self._taken.setdefault(table.schema, set())
            names.add(table.name)
            names.update(table.indexes)

    def choose(self, table: Table, columns: Iterable[str]) -> str:
        taken = self._taken.setdefault(table.schema, set())
        body = self.convention.body(table, columns) or "fk"
        prefix, suffix = self.convention.prefix, self.convention.suffix
        name = fit_name(prefix, body, suffix)
        attempt = 1
        while name in taken:
            attempt += 1
            # When cut, the digest of the numbered name keeps the attempts apart.
            name = fit_name(prefix, f"{body}_{attempt}", suffix)
        taken.add(name)
        return name
