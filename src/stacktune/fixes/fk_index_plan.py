"""Which indexes to create for the foreign keys the audit found uncovered (or weak, when asked).

The verdicts come from the coverage rule (stacktune.checks); this module only
selects, deduplicates, names and explains. Each planned index leads with its
foreign key's columns in the constraint's order, so the coverage rule accepts it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fnmatch import fnmatchcase

from stacktune.checks.context import AuditContext, FkCoverage
from stacktune.fixes.errors import FixError
from stacktune.fixes.identifiers import quote_ident
from stacktune.fixes.index_names import IndexNamer, learn_convention
from stacktune.model.location import Location
from stacktune.model.schema import ForeignKey, Table


class PatternError(FixError):
    """A --select/--ignore pattern that cannot name a foreign key."""


@dataclass(frozen=True, slots=True)
class PlanOptions:
    select: tuple[str, ...] = ()  # `table`, `table.column` or `schema.table.column`; fnmatch wildcards
    ignore: tuple[str, ...] = ()
    include_weak: bool = False
    partial: bool = True  # WHERE col IS NOT NULL on nullable single-column FKs
    concurrently: bool = False
    index_prefix: str | None = None  # `index-prefix` from the configuration; None: learned from the schema


@dataclass(frozen=True, slots=True)
class IndexToCreate:
    schema: str
    table: str
    columns: tuple[str, ...]  # the FK constraint's order
    name: str
    predicate: str | None  # SQL text of the WHERE clause, identifiers quoted
    foreign_keys: tuple[str, ...]  # constraint names this index serves
    evidence: tuple[str, ...]  # plain text lines: where the FK was declared, which indexes exist
    location: Location | None  # where the first of those FKs was declared
    # PostgreSQL cannot build an index on a partitioned table CONCURRENTLY: it is built plainly.
    partitioned: bool = False


@dataclass(frozen=True, slots=True)
class FkIndexPlan:
    indexes: tuple[IndexToCreate, ...]
    options: PlanOptions
    notes: tuple[str, ...] = ()  # what was left out and why

    @property
    def partial_count(self) -> int:
        return sum(1 for ix in self.indexes if ix.predicate is not None)

    def summary(self) -> str:
        """One line for the CLI: how many indexes, and the partial form when it was used."""
        if not self.indexes:
            return "nothing to do: every selected foreign key already has an index"
        fks = sum(len(ix.foreign_keys) for ix in self.indexes)
        text = f"{_plural(len(self.indexes), 'index', 'indexes')} for {_plural(fks, 'foreign key', 'foreign keys')}"
        if self.partial_count:
            text += (
                f"; {self.partial_count} partial (WHERE col IS NOT NULL) on nullable single-column foreign keys,"
                " as --partial is on (--no-partial for plain indexes)"
            )
        if self.options.concurrently:
            text += "; built CONCURRENTLY, outside a transaction"
        return text

    def header(self) -> list[str]:
        """The migration's opening comment, the same in every style."""
        lines = [
            "Indexes for foreign keys that had none, written by `stacktune fix`.",
            "PostgreSQL looks up the referencing rows on every DELETE or key UPDATE of a referenced row;",
            "each index below leads with its foreign key's columns so that lookup is not a table scan.",
            "IF NOT EXISTS makes the file safe to run twice.",
        ]
        if self.partial_count:
            lines += [
                "WHERE col IS NOT NULL (--partial, on by default): rows whose nullable foreign key is NULL",
                "reference nothing and are never looked up, so the index leaves them out.",
            ]
        if self.options.concurrently:
            lines += [
                "CONCURRENTLY builds without blocking writes; if a build fails it leaves an INVALID index:",
                "drop it (DROP INDEX CONCURRENTLY name) before running this again.",
            ]
        return lines


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def plan_fk_indexes(context: AuditContext, options: PlanOptions) -> FkIndexPlan:
    select = [_parse_pattern(p) for p in options.select]
    ignore = [_parse_pattern(p) for p in options.ignore]
    verdicts = ("uncovered", "weak") if options.include_weak else ("uncovered",)
    wanted: list[FkCoverage] = []
    notes: list[str] = []
    used: set[int] = set()
    for item in context.coverage:
        if item.coverage.verdict == "covered":
            continue
        hits = [i for i, p in enumerate(select) if _matches(p, item.table, item.fk)]
        used.update(hits)
        if select and not hits or any(_matches(p, item.table, item.fk) for p in ignore):
            continue
        if item.coverage.verdict not in verdicts:
            notes.append(f"{_fk_label(item)}: weak ({item.coverage.reason}), left as is without --include-weak")
            continue
        wanted.append(item)
    notes += [f"--select {pattern} matches no foreign key to fix" for i, pattern in enumerate(options.select)
              if i not in used]
    convention = learn_convention(context.schema)
    if options.index_prefix is not None:  # the configuration's convention wins over the learned one
        convention = replace(convention, prefix=options.index_prefix, suffix="")
    namer = IndexNamer(context.schema, convention)
    indexes = [_index_for(group, options, namer) for group in _dedupe(wanted)]
    return FkIndexPlan(tuple(indexes), options, tuple(notes))


def _parse_pattern(pattern: str) -> tuple[str, str, str]:
    """(schema, table, column) globs; `*` where the pattern says nothing."""
    parts = pattern.split(".")
    if not all(parts) or len(parts) > 3:
        raise PatternError(f"{pattern!r}: expected table, table.column or schema.table.column")
    if len(parts) == 1:
        return "*", parts[0], "*"
    if len(parts) == 2:
        return "*", parts[0], parts[1]
    return parts[0], parts[1], parts[2]


def _matches(pattern: tuple[str, str, str], table: Table, fk: ForeignKey) -> bool:
    schema, name, column = pattern
    return (
        fnmatchcase(table.schema, schema)
        and fnmatchcase(table.name, name)
        and any(fnmatchcase(c, column) for c in fk.columns)
    )


def _dedupe(items: list[FkCoverage]) -> list[list[FkCoverage]]:
    """Group FKs one index serves: same column set, or a leading part of a wider planned index."""
    groups: dict[tuple[tuple[str, str], frozenset[str]], list[FkCoverage]] = {}
    for item in items:
        groups.setdefault((item.table.key, frozenset(item.fk.columns)), []).append(item)
    # Widest first, so a narrower FK joins the index whose leading columns it is.
    ordered = sorted(groups.values(), key=lambda g: -len(g[0].fk.columns))
    kept: list[list[FkCoverage]] = []
    for group in ordered:
        first = group[0]
        host = next(
            (
                k
                for k in kept
                if k[0].table.key == first.table.key
                and frozenset(k[0].fk.columns[: len(first.fk.columns)]) == frozenset(first.fk.columns)
            ),
            None,
        )
        if host is None:
            kept.append(list(group))
        else:
            host.extend(group)
    order = {id(item): n for n, item in enumerate(items)}
    return sorted(kept, key=lambda g: order[id(g[0])])


def _index_for(group: list[FkCoverage], options: PlanOptions, namer: IndexNamer) -> IndexToCreate:
    first = group[0]
    table, columns = first.table, first.fk.columns
    column = table.columns.get(columns[0]) if len(columns) == 1 else None
    nullable = column is not None and not column.not_null
    predicate = f"{quote_ident(columns[0])} IS NOT NULL" if options.partial and nullable else None
    return IndexToCreate(
        schema=table.schema,
        table=table.name,
        columns=columns,
        name=namer.choose(table, columns),
        predicate=predicate,
        foreign_keys=tuple(item.fk.name for item in group),
        evidence=tuple(_evidence(group, options)),
        location=first.fk.location,
        partitioned=table.partitioned,
    )


def _where(location: Location | None) -> str:
    return f"{location.path}:{location.line}" if location else "an unknown place"


def _fk_label(item: FkCoverage) -> str:
    return f"{item.table.qualified_name}({', '.join(item.fk.columns)})"


def _evidence(group: list[FkCoverage], options: PlanOptions) -> list[str]:
    lines = []
    for item in group:
        fk = item.fk
        ref = fk.ref_table if fk.ref_schema == item.table.schema else f"{fk.ref_schema}.{fk.ref_table}"
        lines.append(
            f"{_fk_label(item)} -> {ref}({', '.join(fk.ref_columns)}) ON DELETE {fk.on_delete}:"
            f" {fk.name} declared at {_where(fk.location)}"
            + (" (inside a condition)" if fk.conditional else "")
        )
    table = group[0].table
    if table.indexes:
        lines.append(f"indexes on {table.qualified_name}:")
        for index in sorted(table.indexes.values(), key=lambda ix: ix.name):
            lines.append(f"  {index.describe()} at {_where(index.location)}")
    lines += sorted({f"{item.coverage.verdict}: {item.coverage.reason}" for item in group})
    if options.concurrently and table.partitioned:
        lines.append("partitioned table: PostgreSQL cannot build this CONCURRENTLY; it is built plainly (locks writes)")
    return lines
