"""Problems with the input itself (unparseable file, unknown layout): reported, never fatal."""

from __future__ import annotations

from dataclasses import dataclass

from stacktune.model.location import Location


@dataclass(frozen=True, slots=True)
class Diagnostic:
    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location.path}:{self.location.line}: {self.message}"

    def to_json(self) -> dict[str, object]:
        return {"path": self.location.path, "line": self.location.line, "message": self.message}
