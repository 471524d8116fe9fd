"""SQL text -> schema events, with PostgreSQL's semantics, using pglast's JSON parse tree.

One parse per text in the common case. A text that does not parse is split
into statements by pglast's scanner and read statement by statement, so one
bad statement costs only itself. DO blocks, and PL/pgSQL functions the same
text calls, contribute the DDL they run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import AnyStr

from pglast.parser import ParseError, parse_sql_json, split

from stacktune.model.diagnostics import Diagnostic
from stacktune.model.events import SchemaEvent
from stacktune.model.location import LineIndex, Location
from stacktune.sources.sql import indexes, namespaces, tables
from stacktune.sources.sql.context import Locate, Statement
from stacktune.sources.sql.nodes import Json, find_nodes, strings, unwrap
from stacktune.sources.sql.plpgsql import EmbeddedSql, embedded_sql

# psql reads its meta-commands (\connect, \set) line by line before any SQL parsing.
_META_COMMAND = re.compile(rb"^[ \t]*\\[^\r\n]*", re.MULTILINE)
# After `COPY ... FROM STDIN;` psql sends the following lines as data, up to a line `\.`.
_COPY_DATA_END = re.compile(rb"^\\\.\r?$", re.MULTILINE)

Converter = Callable[[Statement], list[SchemaEvent]]

_DROPS: dict[str, Converter] = {
    "OBJECT_TABLE": tables.drop_tables,
    "OBJECT_INDEX": indexes.drop_indexes,
    "OBJECT_SCHEMA": namespaces.drop_schemas,
}


def _drop(stmt: Statement) -> list[SchemaEvent]:
    converter = _DROPS.get(stmt.node["removeType"])
    return converter(stmt) if converter else []


_CONVERTERS: dict[str, Converter] = {
    "CreateStmt": tables.create_table,
    "CreateTableAsStmt": tables.create_table_as,
    "AlterTableStmt": tables.alter_table,
    "RenameStmt": tables.rename,
    "AlterObjectSchemaStmt": tables.set_schema,
    "IndexStmt": indexes.create_index,
    "DropStmt": _drop,
    "VariableSetStmt": namespaces.set_search_path,
}


def sql_to_events(
    sql: str, path: str, *, locate: Callable[[int], Location] | None = None, conditional: bool = False
) -> tuple[list[SchemaEvent], list[Diagnostic]]:
    """The schema events of `sql`, in order, and the problems met reading it.

    `locate` maps a UTF-8 byte offset in `sql` to a Location (default: lines of
    `sql` itself, under `path`).
    """
    data = sql.encode("utf-8")
    if locate is None:
        index = LineIndex(data)

        def locate(offset: int) -> Location:
            return index.location(path, offset)

    reader = _Reader()
    if b"\\" in data:
        data = reader.skip_meta_commands(data, locate)
        sql = data.decode("utf-8")
    events = reader.read(sql, data, locate, conditional)
    return events, reader.diagnostics


@dataclass(frozen=True, slots=True)
class _Function:
    """A PL/pgSQL function or procedure: read when (and each time) the same text calls it."""

    definition: Statement
    body_offset: int  # where its body literal starts in definition.data


class _Reader:
    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []
        self._functions: dict[str, _Function] = {}
        self._expanding: set[str] = set()  # guards against functions calling themselves
        self._handlers: dict[str, Converter] = {
            **_CONVERTERS,
            "CreateSchemaStmt": self._create_schema,
            "SelectStmt": self._select,
            "DoStmt": self._do,
            "CreateFunctionStmt": self._define_function,
            "CallStmt": self._call,
        }

    def skip_meta_commands(self, data: bytes, locate: Locate) -> bytes:
        """Blank psql meta-command lines (same length, so offsets hold) and report each."""
        data = _blank_copy_data(data)

        def blank(match: re.Match[bytes]) -> bytes:
            command = match.group().strip().decode("utf-8", errors="replace")
            start = match.start() + len(match.group()) - len(match.group().lstrip())
            self.diagnostics.append(Diagnostic(locate(start), f"psql meta-command skipped: {command}"))
            return b" " * len(match.group())

        return _META_COMMAND.sub(blank, data)

    # -- parsing -------------------------------------------------------------

    def read(
        self, text: str, data: bytes, locate: Locate, conditional: bool, *, salvage: bool = True
    ) -> list[SchemaEvent]:
        """Events of one SQL text; `data` is its UTF-8 bytes, `locate` maps offsets in it."""
        try:
            # The parser's statement boundaries, without building a tree: cheap, and it
            # lets data migrations (INSERT, UPDATE, COPY...) skip the costly JSON tree.
            pieces = split(text, with_parser=True, only_slices=True)
        except ParseError as error:
            if salvage:
                return self._salvage(text, data, locate, conditional, error)
            self._syntax_error(error, text, data, locate)
            return []
        wanted = [piece for piece in pieces if _may_change_schema(text, piece.start)]
        if len(wanted) == len(pieces):
            return self._parsed(text, data, locate, conditional)
        events: list[SchemaEvent] = []
        for piece, byte in _byte_starts(text, wanted):
            chunk = text[piece]
            events.extend(self._parsed(chunk, chunk.encode("utf-8"), _shifted(locate, byte), conditional))
        return events

    def _parsed(self, text: str, data: bytes, locate: Locate, conditional: bool) -> list[SchemaEvent]:
        """Events of a text the parser accepts as a whole."""
        events: list[SchemaEvent] = []
        for raw in json.loads(parse_sql_json(text))["stmts"]:
            events.extend(self._statement(raw, data, locate, conditional))
        return events

    def _salvage(
        self, text: str, data: bytes, locate: Locate, conditional: bool, error: ParseError
    ) -> list[SchemaEvent]:
        """Read statement by statement, as pglast's scanner splits them; errors stay local."""
        try:
            pieces = split(text, with_parser=False, only_slices=True)
        except ParseError:  # not even lexable (unterminated quote): nothing to salvage
            pieces = ()
        if len(pieces) < 2:
            self._syntax_error(error, text, data, locate)
            return []
        events: list[SchemaEvent] = []
        for piece, byte in _byte_starts(text, pieces):
            chunk = text[piece]
            events.extend(self.read(chunk, chunk.encode("utf-8"), _shifted(locate, byte), conditional, salvage=False))
        return events

    def _syntax_error(self, error: ParseError, text: str, data: bytes, locate: Locate) -> None:
        message, index = error.args[0], error.args[1] if len(error.args) > 1 else None
        offset = len(text[:index].encode("utf-8")) if index is not None else len(data.rstrip())
        self.diagnostics.append(Diagnostic(locate(offset), str(message)))

    def _statement(self, raw: Json, data: bytes, locate: Locate, conditional: bool) -> list[SchemaEvent]:
        kind, node = unwrap(raw["stmt"])
        handler = self._handlers.get(kind)
        if handler is None:
            return []  # DML, grants, comments, views, types...: no keys or indexes
        start = raw.get("stmt_location", 0)
        length = raw.get("stmt_len", 0)
        end = start + length if length else len(data)
        first = _skip_blank(data, start, end)
        return handler(Statement(node, data, start, end, locate(first), conditional, locate))

    # -- statements that need the reader ---------------------------------------

    def _create_schema(self, stmt: Statement) -> list[SchemaEvent]:
        """CREATE SCHEMA s [CREATE TABLE t ...]: the elements are created inside s."""
        events = namespaces.create_schema(stmt)
        name = events[0].name
        for i, element in enumerate(stmt.node.get("schemaElts", ())):
            kind, node = unwrap(element)
            relation = node.get("relation")
            if relation is not None and relation.get("schemaname") is None:
                relation["schemaname"] = name
            handler = _CONVERTERS.get(kind)
            if handler is not None:
                events.extend(handler(stmt.child(node, "schemaElts", i)))
        return events

    def _select(self, stmt: Statement) -> list[SchemaEvent]:
        if "intoClause" in stmt.node:
            return tables.select_into(stmt)
        events = namespaces.set_config_calls(stmt)
        if self._functions:
            for call in find_nodes(stmt.node, "FuncCall"):
                events.extend(self._run_function(strings(call["funcname"])[-1], stmt))
        return events

    def _call(self, stmt: Statement) -> list[SchemaEvent]:
        return self._run_function(strings(stmt.node["funccall"]["funcname"])[-1], stmt)

    def _define_function(self, stmt: Statement) -> list[SchemaEvent]:
        options = _options(stmt.node.get("options", ()))
        body = options.get("as")
        if _language(options) == "plpgsql" and body is not None:
            name = strings(stmt.node["funcname"])[-1]
            self._functions[name] = _Function(stmt, body["arg_location"])
        return []  # the body runs only when called

    def _run_function(self, name: str, call: Statement) -> list[SchemaEvent]:
        """A call: the function's DDL happens here, in the order of the calls."""
        function = self._functions.get(name)
        if function is None or name in self._expanding:
            return []
        self._expanding.add(name)
        try:
            return self._embedded(function.definition, function.body_offset, call.conditional)
        finally:
            self._expanding.discard(name)

    def _do(self, stmt: Statement) -> list[SchemaEvent]:
        options = _options(stmt.node.get("args", ()))
        body = options.get("as")
        if _language(options) != "plpgsql" or body is None:
            return []
        return self._embedded(stmt, body["arg_location"], stmt.conditional)

    def _embedded(self, stmt: Statement, body_offset: int, conditional: bool) -> list[SchemaEvent]:
        """Events of the SQL a PL/pgSQL body runs, each located where it is written."""
        try:
            pieces = embedded_sql(stmt.text)
        except ParseError as error:
            self.diagnostics.append(Diagnostic(stmt.location, f"PL/pgSQL: {error.args[0]}"))
            return []
        body_start = _body_start(stmt.data, body_offset)
        events: list[SchemaEvent] = []
        for piece in pieces:
            events.extend(
                self.read(
                    piece.sql,
                    piece.sql.encode("utf-8"),
                    _piece_locate(stmt, body_start, piece),
                    conditional or piece.conditional,
                )
            )
        return events


# First keywords of the statements that can create, change or drop tables, keys and
# indexes, or run code that does (DO, a called function, set_config): the rest
# (INSERT, UPDATE, COPY, GRANT, COMMENT, ...) is never parsed into a tree.
_SCHEMA_KEYWORDS = frozenset({"create", "alter", "drop", "do", "set", "reset", "select", "call"})


def _may_change_schema(text: str, start: int) -> bool:
    pos = _skip_blank(text, start, len(text))
    end = pos
    while end < len(text) and (text[end].isalpha() or text[end] == "_"):
        end += 1
    return text[pos:end].lower() in _SCHEMA_KEYWORDS


def _byte_starts(text: str, pieces: list[slice]) -> list[tuple[slice, int]]:
    """Each statement slice (in characters) with the UTF-8 byte offset of its start."""
    result = []
    char, byte = 0, 0
    for piece in pieces:
        byte += len(text[char : piece.start].encode("utf-8"))
        char = piece.start
        result.append((piece, byte))
    return result


def _options(items: list[Json]) -> dict[str, Json]:
    """DefElem options by name (language, as)."""
    return {item["DefElem"]["defname"]: item["DefElem"] for item in items if "DefElem" in item}


def _language(options: dict[str, Json]) -> str:
    language = options.get("language")
    return language["arg"]["String"]["sval"].lower() if language else "plpgsql"


def _blank_copy_data(data: bytes) -> bytes:
    """COPY ... FROM STDIN rows and their `\\.` blanked (same length, newlines kept): rows are not SQL."""
    blanked = bytearray(data)
    done = 0
    for end in _COPY_DATA_END.finditer(data):
        start = _copy_data_start(data, done, end.start())
        if start is None:
            continue
        for i in range(start, end.end()):
            if blanked[i] not in b"\r\n":
                blanked[i] = 0x20
        done = end.end()
    return bytes(blanked)


def _copy_data_start(data: bytes, low: int, end: int) -> int | None:
    """The start of the rows that end at `end`: the line after the nearest COPY ... FROM STDIN before it."""
    line = data.rfind(b"\n", low, end)
    while line >= low:
        start = data.rfind(b"\n", low, line) + 1 if line > low else low
        if data[start:line].lstrip()[:4].lower() == b"copy":
            statement_end = _copy_from_stdin_end(data, start, end)
            if statement_end is not None:
                return statement_end
        line = start - 1
    return None


def _copy_from_stdin_end(data: bytes, start: int, limit: int) -> int | None:
    """After the line that completes a COPY ... FROM STDIN starting at `start` (it may span lines)."""
    line_end = data.find(b"\n", start, limit)
    while line_end != -1:
        try:
            stmts = json.loads(parse_sql_json(data[start:line_end].decode("utf-8")))["stmts"]
        except (ParseError, UnicodeDecodeError):
            line_end = data.find(b"\n", line_end + 1, limit)
            continue
        kind, node = unwrap(stmts[0]["stmt"]) if len(stmts) == 1 else ("", {})
        from_stdin = kind == "CopyStmt" and node.get("is_from") and "filename" not in node
        return line_end + 1 if from_stdin else None
    return None


def _shifted(locate: Locate, base: int) -> Locate:
    return lambda offset: locate(base + offset)


def _body_start(data: bytes, literal: int) -> int:
    """The first byte inside a function body literal ($tag$...$tag$ or '...')."""
    if data[literal : literal + 1] == b"$":
        return data.find(b"$", literal + 1) + 1
    return literal + 1


def _piece_locate(stmt: Statement, body_start: int, piece: EmbeddedSql) -> Locate:
    """Map offsets in the piece's SQL to the file, by finding its text in the body.

    This only locates: the text was already parsed. The search starts at the
    piece's own line so that repeated statements land on the right one.
    """
    line_start = body_start
    for _ in range(piece.lineno - 1):
        newline = stmt.data.find(b"\n", line_start, stmt.end)
        if newline < 0:
            break
        line_start = newline + 1
    written = piece.written.encode("utf-8")
    found = stmt.data.find(written, line_start, stmt.end)
    if found < 0:
        found = stmt.data.find(written, body_start, stmt.end)
    if found < 0:
        return lambda offset: stmt.location
    if piece.literal:
        return lambda offset: stmt.locate(found)
    return _shifted(stmt.locate, found)


def _skip_blank(data: AnyStr, pos: int, end: int) -> int:
    """The first offset at or after pos that is not whitespace or a comment.

    Works on the UTF-8 bytes a parse tree's offsets index, and on the str that
    statement splitting indexes by character.
    """
    dashes, newline, opening = ("--", "\n", "/*") if isinstance(data, str) else (b"--", b"\n", b"/*")
    while pos < end:
        if data[pos : pos + 1].isspace():
            pos += 1
        elif data.startswith(dashes, pos):  # type: ignore[arg-type]
            found = data.find(newline, pos, end)  # type: ignore[arg-type]
            pos = end if found < 0 else found + 1
        elif data.startswith(opening, pos):  # type: ignore[arg-type]
            pos = _comment_end(data, pos, end)
        else:
            break
    return pos


def _comment_end(data: AnyStr, pos: int, end: int) -> int:
    """The offset after a block comment starting at pos (PostgreSQL nests them)."""
    opening, closing = ("/*", "*/") if isinstance(data, str) else (b"/*", b"*/")
    depth = 0
    while pos < end:
        if data.startswith(opening, pos):  # type: ignore[arg-type]
            depth += 1
            pos += 2
        elif data.startswith(closing, pos):  # type: ignore[arg-type]
            depth -= 1
            pos += 2
            if depth == 0:
                return pos
        else:
            pos += 1
    return end
