"""Where a thing was declared: a repository-relative path and a 1-based line and column."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Location:
    path: str  # POSIX path relative to the audited root (or "<database>" for live catalogs)
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "column": self.column}


class LineIndex:
    """Turns offsets into 1-based line:column, once per file.

    pglast's JSON parser reports UTF-8 byte offsets; Python's ast reports
    character columns. Both are converted here and nowhere else.
    """

    __slots__ = ("_starts", "_data")

    def __init__(self, data: bytes) -> None:
        self._data = data
        starts = [0]
        find = data.find
        pos = find(b"\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find(b"\n", pos + 1)
        self._starts = starts

    def line_col(self, byte_offset: int) -> tuple[int, int]:
        from bisect import bisect_right

        byte_offset = max(0, min(byte_offset, len(self._data)))
        line = bisect_right(self._starts, byte_offset)
        start = self._starts[line - 1]
        column = len(self._data[start:byte_offset].decode("utf-8", errors="replace")) + 1
        return line, column

    def location(self, path: str, byte_offset: int) -> Location:
        line, column = self.line_col(byte_offset)
        return Location(path, line, column)
