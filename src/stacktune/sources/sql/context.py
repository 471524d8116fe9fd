"""One parsed statement with what its converters need: location, conditional flag, deparse."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import pglast
from pglast.parser import scan

from stacktune.model.location import Location
from stacktune.sources.sql.nodes import Json

Locate = Callable[[int], Location]


@dataclass(frozen=True, slots=True)
class Statement:
    node: Json  # the statement's fields (unwrapped JSON)
    data: bytes  # the whole parsed text, UTF-8: pglast's offsets index it
    start: int  # the statement's byte span in `data`
    end: int
    location: Location  # first token of the statement
    conditional: bool
    locate: Locate  # byte offset in `data` -> Location
    path: tuple[str | int, ...] = ()  # where `node` sits in the statement's tree (CREATE SCHEMA elements)

    @property
    def text(self) -> str:
        """The statement's own SQL (parsed again only to deparse or to read PL/pgSQL)."""
        return self.data[self.start : self.end].decode("utf-8")

    @property
    def placed(self) -> dict[str, Any]:
        """The fields every event of this statement shares."""
        return {"location": self.location, "conditional": self.conditional}

    def at(self, node: Json) -> Location:
        """Where a node inside the statement starts (the statement's start when unknown)."""
        offset = node.get("location", -1)
        return self.locate(offset) if offset >= 0 else self.location

    def child(self, node: Json, *path: str | int) -> Statement:
        """The same statement seen from a sub-statement (a CREATE SCHEMA element)."""
        return replace(self, node=node, path=self.path + path)

    def trailing_where(self) -> str:
        """The text after the statement's top-level WHERE, as written (CREATE INDEX ... WHERE).

        pglast's scanner finds the keyword and the end, so this costs a scan, not
        a second parse; whitespace is folded to single spaces.
        """
        text = self.text
        depth, start, end = 0, len(text), len(text)
        for token in scan(text):
            if token.name == "ASCII_40":
                depth += 1
            elif token.name == "ASCII_41":
                depth -= 1
            elif token.name == "WHERE" and depth == 0:
                start = token.end + 1
            if token.name != "ASCII_59":
                end = token.end + 1
        return " ".join(text[start:end].split())

    def deparse(self, *path: str | int) -> str:
        """SQL text of the expression at `path` (JSON keys and list indexes below `node`).

        The JSON tree cannot be printed directly, so the statement is parsed once
        more into pglast nodes; only index expressions and predicates need this.
        """
        from pglast.stream import (
            RawStream,  # the printer loads only when something is deparsed
        )

        target: Any = _node_tree(self.text)
        for step in self.path + path:
            target = target[step] if isinstance(step, int) else getattr(target, _attribute(step))
        return RawStream()(target)


def _attribute(key: str) -> str:
    # pglast renames fields that are Python keywords (AlterTableCmd.def -> def_).
    return "def_" if key == "def" else key


@lru_cache(maxsize=32)
def _node_tree(text: str) -> Any:
    return pglast.parse_sql(text)[0].stmt
