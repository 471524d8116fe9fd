"""`stacktune verify`: build the repository on a throwaway PostgreSQL and compare, FK by FK.

The static audit (sources + replay) says what each foreign key's coverage will
be; the server, after running the same models and migrations, says what it is.
Any difference is a bug in stacktune or an input it misread: reported, never hidden.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from stacktune.audit import AuditRequest, AuditResult, run_audit
from stacktune.checks.context import AuditContext, FkCoverage
from stacktune.live.build import BuildReport, build_repository
from stacktune.live.catalog import read_catalog
from stacktune.model.location import Location
from stacktune.pg.connect import connect
from stacktune.pg.server import throwaway_server

DifferenceKind = Literal["verdict", "index", "only-in-repository", "only-in-database"]
FkIdentity = tuple[str, str, tuple[str, ...], str, str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class FkDifference:
    kind: DifferenceKind
    table: str
    columns: tuple[str, ...]
    constraint: str
    static: str | None  # the repository's verdict (and index), None when it has no such FK
    live: str | None  # the server's
    location: Location | None  # where the repository declares the FK

    def describe(self) -> str:
        where = f"{self.location.path}:{self.location.line}: " if self.location else ""
        what = f"{self.table}({', '.join(self.columns)}) [{self.constraint}]"
        if self.kind == "only-in-repository":
            return f"{where}{what}: the repository declares it, the built database has no such foreign key"
        if self.kind == "only-in-database":
            return f"{what}: the built database has it, the static audit does not"
        return f"{where}{what}: static says {self.static}, the database says {self.live}"


@dataclass(slots=True)
class VerifyReport:
    audit: AuditResult
    build: BuildReport
    compared: int = 0
    differences: list[FkDifference] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not self.differences


def verify(request: AuditRequest, server_url: str | None = None) -> VerifyReport:
    """Raises ServerUnavailable when no server can be had (the CLI exits 2)."""
    audit = run_audit(request)
    with throwaway_server(server_url) as uri:
        build = build_repository(uri, audit)
        with connect(uri, read_only=True, statement_timeout_ms=None) as conn:
            live = AuditContext(read_catalog(conn))
    report = VerifyReport(audit, build)
    report.compared, report.differences = compare_coverage(audit.context, live)
    return report


def compare_coverage(static: AuditContext, live: AuditContext) -> tuple[int, list[FkDifference]]:
    """(FKs compared, differences), FKs matched by table, columns and referenced table and columns."""
    ours = _by_identity(static.coverage)
    theirs = _by_identity(live.coverage)
    differences: list[FkDifference] = []
    compared = 0
    for identity in sorted(set(ours) | set(theirs)):
        left, right = ours.get(identity, []), theirs.get(identity, [])
        for a, b in zip(left, right, strict=False):
            compared += 1
            differences += _differences(a, b)
        for a in left[len(right) :]:
            differences.append(_difference("only-in-repository", a, _verdict(a), None))
        for b in right[len(left) :]:
            differences.append(_difference("only-in-database", b, None, _verdict(b)))
    return compared, differences


def _by_identity(items: list[FkCoverage]) -> dict[FkIdentity, list[FkCoverage]]:
    grouped: dict[FkIdentity, list[FkCoverage]] = defaultdict(list)
    for item in items:
        fk = item.fk
        identity = (item.table.schema, item.table.name, fk.columns, fk.ref_schema, fk.ref_table, fk.ref_columns)
        grouped[identity].append(item)
    for group in grouped.values():
        group.sort(key=lambda item: item.fk.name)
    return grouped


def _verdict(item: FkCoverage) -> str:
    coverage = item.coverage
    return coverage.verdict + (f" ({coverage.covered_by})" if coverage.covered_by else "")


def _differences(static: FkCoverage, live: FkCoverage) -> list[FkDifference]:
    if static.coverage.verdict != live.coverage.verdict:
        return [_difference("verdict", static, _verdict(static), _verdict(live))]
    if static.coverage.covered_by != live.coverage.covered_by:
        return [_difference("index", static, _verdict(static), _verdict(live))]
    return []


def _difference(kind: DifferenceKind, item: FkCoverage, static: str | None, live: str | None) -> FkDifference:
    location = item.fk.location if static is not None else None
    return FkDifference(kind, item.table.qualified_name, item.fk.columns, item.fk.name, static, live, location)
