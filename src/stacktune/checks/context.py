"""What checks read: the replayed schema, each FK's coverage, and what replay refused."""

from __future__ import annotations

from dataclasses import dataclass, field

from stacktune.checks.coverage import Coverage, assess
from stacktune.model.events import SourceResult
from stacktune.model.schema import ForeignKey, Schema, Table
from stacktune.replay.engine import ReplayProblem


@dataclass(frozen=True, slots=True)
class FkCoverage:
    table: Table
    fk: ForeignKey
    coverage: Coverage


@dataclass(slots=True)
class AuditContext:
    schema: Schema
    replay_problems: list[ReplayProblem] = field(default_factory=list)
    _coverage: list[FkCoverage] | None = None
    # What was read (rules about a source itself, e.g. an Alembic graph with several heads).
    sources: list[SourceResult] = field(default_factory=list)
    # The models' create_all schema, when it is compared with the migrations' rather than merged.
    model_schema: Schema | None = None

    @property
    def coverage(self) -> list[FkCoverage]:
        """Every FK of the schema with its verdict, in table then constraint-name order."""
        if self._coverage is None:
            self._coverage = [
                FkCoverage(table, fk, assess(table, fk))
                for table in self.schema.sorted_tables()
                for fk in sorted(table.foreign_keys.values(), key=lambda f: f.name)
            ]
        return self._coverage
