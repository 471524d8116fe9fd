"""A finding: one thing a check says is wrong, where, and optionally how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from stacktune.model.location import Location

Severity = Literal["error", "warning", "info"]
Applicability = Literal["safe", "unsafe", "display-only"]


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace bytes [start, end) of `path` with `content`; start == end inserts, a new path creates."""

    path: str
    start: int
    end: int
    content: str
    # True: `path` must not exist yet; writing refuses to touch an existing file.
    creates: bool = False


@dataclass(frozen=True, slots=True)
class Fix:
    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability = "safe"


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # stable, e.g. ST101
    rule: str  # stable name, e.g. fk-without-index
    severity: Severity
    message: str
    location: Location
    table: str | None = None
    columns: tuple[str, ...] = ()
    help: str | None = None
    fix: Fix | None = None
    # Extra facts for reports (figures, related locations); plain JSON values only.
    details: dict[str, object] = field(default_factory=dict, hash=False, compare=False)

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "table": self.table,
            "columns": list(self.columns),
            "location": self.location.to_json(),
        }
        if self.help:
            data["help"] = self.help
        if self.details:
            data["details"] = self.details
        return data
