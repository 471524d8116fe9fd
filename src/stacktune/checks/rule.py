"""One metadata record per rule: the registry, the docs pages and SARIF are all built from it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from stacktune.model.finding import Finding, Fix, Severity
from stacktune.model.location import Location

FixAvailability = Literal["always", "sometimes", "none"]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str  # ST101
    name: str  # fk-without-index
    title: str  # one line, no trailing period
    severity: Severity  # default level
    why: str  # a paragraph: what it costs in production
    fix: FixAvailability = "none"
    bad_example: str = ""  # a minimal input that triggers the rule
    good_example: str = ""  # the same input, fixed

    def finding(
        self,
        message: str,
        location: Location,
        *,
        table: str | None = None,
        columns: tuple[str, ...] = (),
        help: str | None = None,
        fix: Fix | None = None,
        details: dict[str, object] | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(
            code=self.code,
            rule=self.name,
            severity=severity or self.severity,
            message=message,
            location=location,
            table=table,
            columns=columns,
            help=help,
            fix=fix,
            details=details or {},
        )
