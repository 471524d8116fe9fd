"""Worker commands in shell text, with bashlex: scripts, Procfile lines, Dockerfile shell form,
Makefile recipes, and the string of an `sh -c '...'` wherever it appears."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from stacktune.lazy import lazy_import
from stacktune.workers.model import Quoting, Word

# bashlex builds its parser tables at import (~70 ms): loaded when a shell text is read.
bashlex = lazy_import("bashlex")

_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh"})


@dataclass(frozen=True, slots=True)
class ShellHit:
    """A simple command found in shell text; offsets are relative to the outermost text."""

    words: tuple[Word, ...]
    quoting: Quoting
    exec_prefixed: bool
    last_command: bool
    start: int


class ShellSyntaxError(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def _words(node: bashlex.ast.node, text: str, offset: int) -> tuple[Word, ...]:
    return tuple(
        Word(part.word, offset + part.pos[0], offset + part.pos[1], text[part.pos[0] : part.pos[1]])
        for part in node.parts
        if part.kind == "word"
    )


def _commands(node: bashlex.ast.node, background: bool = False) -> Iterator[tuple[bashlex.ast.node, bool]]:
    """Every simple command below node, with whether it runs in the background (`&`)."""
    kind = node.kind
    if kind == "command":
        yield node, background
        return
    if kind == "list":
        parts = node.parts
        for i, part in enumerate(parts):
            if part.kind == "operator":
                continue
            amp = i + 1 < len(parts) and parts[i + 1].kind == "operator" and parts[i + 1].op == "&"
            yield from _commands(part, background or amp)
        return
    for child in getattr(node, "parts", None) or getattr(node, "list", None) or ():
        if hasattr(child, "kind") and child.kind not in {"reservedword", "operator", "word", "pipe"}:
            yield from _commands(child, background)


def _inner_script(word: Word) -> tuple[str, int, Quoting] | None:
    """The text of an `sh -c` argument when its offsets map 1:1 onto the source (one quoted run)."""
    raw = word.raw
    if len(raw) >= 2 and raw[0] == raw[-1] == "'" and "'" not in raw[1:-1]:
        return raw[1:-1], word.start + 1, "single"
    if len(raw) >= 2 and raw[0] == raw[-1] == '"' and not any(c in raw[1:-1] for c in '"\\`'):
        return raw[1:-1], word.start + 1, "double"
    if raw == word.text:
        return raw, word.start, "none"
    return None


def script_index(texts: list[str]) -> int | None:
    """For `sh -c 'script'` (also `bash -lc`, `/bin/sh -ec`): the index of the script word."""
    if len(texts) < 3 or texts[0].rsplit("/", 1)[-1] not in _SHELLS:
        return None
    for i, text in enumerate(texts[1:-1], start=1):
        if text.startswith("-") and not text.startswith("--") and "c" in text:
            return i + 1
        if not text.startswith("-"):
            return None
    return None


def nested_script(words: tuple[Word, ...]) -> tuple[str, int, Quoting] | None:
    """The script of an `sh -c` command written in shell syntax, when its offsets map 1:1."""
    index = script_index([w.text for w in words])
    return _inner_script(words[index]) if index is not None else None


def _parse(text: str, offset: int) -> list[bashlex.ast.node]:
    try:
        return bashlex.parse(text) if text.strip() else []
    except (bashlex.errors.ParsingError, NotImplementedError, IndexError, AttributeError) as exc:
        position = getattr(exc, "position", 0) or 0
        raise ShellSyntaxError(f"shell syntax: {getattr(exc, 'message', exc)}", offset + position) from exc


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each line, a line ending in a backslash joined with the next (the shell's own rule)."""
    lines: list[tuple[int, str]] = []
    start = 0
    for end in [i for i, c in enumerate(text) if c == "\n"] + [len(text)]:
        body = text[start:end]
        if end < len(text) and (len(body) - len(body.rstrip("\\"))) % 2 == 1:
            continue  # an escaped newline: the command goes on
        lines.append((start, body))
        start = end + 1
    return lines


def scan_shell(
    text: str, offset: int = 0, quoting: Quoting = "none", problems: list[ShellSyntaxError] | None = None
) -> Iterator[ShellHit]:
    """Every simple command in `text`, descending into `sh -c '...'` strings.

    bashlex implements neither `case` nor `[[ ]]` nor `$(( ))`. With `problems` given, a script it
    cannot parse whole is read one logical line at a time (a command inside such a construct sits
    on its own line); lines that still fail are added to `problems` when they name celery. Without
    it, raises ShellSyntaxError with bashlex's own message and the offset of the fault.
    """
    try:
        trees = _parse(text, offset)
    except ShellSyntaxError:
        lines = _logical_lines(text)
        if problems is None or len(lines) < 2:
            raise
        for start, line in lines:
            try:
                # Not known to be the script's last command: no exec advice from a line read alone.
                yield from (replace(hit, last_command=False) for hit in scan_shell(line, offset + start, quoting))
            except ShellSyntaxError as exc:
                if "celery" in line:
                    problems.append(exc)
        return
    for t_index, tree in enumerate(trees):
        commands = list(_commands(tree))
        for c_index, (node, background) in enumerate(commands):
            words = _words(node, text, offset)
            if not words:
                continue
            inner = nested_script(words)
            if inner is not None:
                yield from scan_shell(inner[0], inner[1], inner[2])
                continue
            last = t_index == len(trees) - 1 and c_index == len(commands) - 1 and not background
            yield ShellHit(words, quoting, words[0].text == "exec", last, words[0].start)
