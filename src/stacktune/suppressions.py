"""Suppressions written where the finding is, read with each language's own tokenizer.

    -- stacktune: ignore[fk-without-index]        (SQL; `#` in Python, shell and config files)
    -- stacktune: ignore-file[ST104]              (the whole file)

A suppression on a statement's first line, or in the comment lines directly above
it, covers the whole statement; one at the end of any other line, or directly above
a line inside a statement, covers that line. Unknown rules and suppressions that
match no finding are findings themselves (ST902, ST901), as in squawk.
"""

from __future__ import annotations

import io
import re
import shlex
import tokenize
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pglast
import pglast.parser

from stacktune.checks.rule import Rule
from stacktune.model.finding import Finding
from stacktune.model.location import Location

UNUSED = Rule(
    code="ST901",
    name="unused-suppression",
    title="Suppression comment that matches no finding",
    severity="warning",
    why=(
        "A suppression outlives the problem it hid: the index gets added, the statement moves, the rule is"
        " renamed. Left in place it would silently hide the next, real finding of that rule on that"
        " statement, so a suppression that suppresses nothing is reported until it is removed."
    ),
    bad_example=(
        "-- stacktune: ignore[fk-without-index]\n"
        "CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint);\n"
    ),
    good_example="CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint);\n",
)
UNKNOWN = Rule(
    code="ST902",
    name="unknown-suppression",
    title="Suppression comment that names no known rule",
    severity="warning",
    why=(
        "A typo in a suppression (`fk-without-indexes`, `ST1010`) suppresses nothing while looking as if it"
        " did, so the finding it was meant for is still reported and nobody knows why."
    ),
    bad_example=(
        "CREATE TABLE users (id bigserial PRIMARY KEY);\n"
        "-- stacktune: ignore[fk-without-indexes]\n"
        "CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint REFERENCES users(id));\n"
    ),
    good_example=(
        "CREATE TABLE users (id bigserial PRIMARY KEY);\n"
        "-- stacktune: ignore[fk-without-index]\n"
        "CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint REFERENCES users(id));\n"
    ),
)
SUPPRESSION_RULES: tuple[Rule, ...] = (UNUSED, UNKNOWN)

_DIRECTIVE = re.compile(r"\bstacktune:\s*(?P<kind>ignore-file|ignore)\b(?:\[(?P<rules>[^\]]*)\])?")


@dataclass(frozen=True, slots=True)
class Comment:
    line: int
    column: int
    text: str
    alone: bool  # nothing but the comment on its line


@dataclass(frozen=True, slots=True)
class Unit:
    """A statement (SQL), a logical line (Python, shell): first and last line."""

    first: int
    last: int


@dataclass(frozen=True, slots=True)
class FileSyntax:
    comments: tuple[Comment, ...]
    units: tuple[Unit, ...]
    code_lines: frozenset[int]


@dataclass(slots=True)
class Entry:
    """One rule named inside a suppression's brackets."""

    text: str
    rule: Rule | None
    used: bool = False


@dataclass(slots=True)
class Suppression:
    location: Location
    lines: frozenset[int] | None  # None: the whole file
    entries: list[Entry]

    def covering(self, finding: Finding) -> list[Entry]:
        if self.lines is not None and finding.location.line not in self.lines:
            return []
        return [e for e in self.entries if e.rule is not None and e.rule.code == finding.code]


@dataclass(slots=True)
class SuppressionOutcome:
    kept: list[Finding]  # findings no suppression covers
    suppressed: list[Finding]
    problems: list[Finding] = field(default_factory=list)  # ST901 / ST902 findings


# --- reading comments and statements, one tokenizer per language -------------------------------


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    return starts


def sql_syntax(text: str) -> FileSyntax | None:
    """Comments and statements from PostgreSQL's own scanner; None when it cannot tokenize the file."""
    try:
        tokens = pglast.parser.scan(text)
        slices = pglast.split(text, with_parser=False, only_slices=True)
    except pglast.parser.ParseError:
        return None
    starts = _line_starts(text)

    def line_col(offset: int) -> tuple[int, int]:
        line = bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    code_lines: set[int] = set()
    comment_tokens = []
    for token in tokens:  # token.end is inclusive
        if token.name in ("SQL_COMMENT", "C_COMMENT"):
            comment_tokens.append(token)
        else:
            code_lines.update(range(line_col(token.start)[0], line_col(token.end)[0] + 1))
    comments = []
    for token in comment_tokens:
        line, column = line_col(token.start)
        before = text[starts[line - 1] : token.start]
        comments.append(Comment(line, column, text[token.start : token.end + 1], not before.strip()))
    units = []
    code_tokens = [t for t in tokens if t.name not in ("SQL_COMMENT", "C_COMMENT")]
    position = 0
    for part in slices:  # both in text order: one walk
        while position < len(code_tokens) and code_tokens[position].start < part.start:
            position += 1
        inside = []
        while position < len(code_tokens) and code_tokens[position].start < part.stop:
            inside.append(code_tokens[position])
            position += 1
        if inside:
            units.append(Unit(line_col(inside[0].start)[0], line_col(inside[-1].end)[0]))
    return FileSyntax(tuple(comments), tuple(units), frozenset(code_lines))


def python_syntax(text: str) -> FileSyntax | None:
    """Comments and logical lines from Python's tokenize; None when it cannot tokenize the file."""
    comments, units, code_lines = [], [], set()
    layout = {tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER, tokenize.COMMENT}
    first: int | None = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                line, col = token.start
                comments.append(Comment(line, col + 1, token.string, not token.line[:col].strip()))
            elif token.type == tokenize.NEWLINE and first is not None:
                units.append(Unit(first, token.start[0]))
                first = None
            elif token.type not in layout:
                first = token.start[0] if first is None else first
                code_lines.update(range(token.start[0], token.end[0] + 1))
    except (tokenize.TokenError, SyntaxError):
        return None
    return FileSyntax(tuple(comments), tuple(units), frozenset(code_lines))


def _hash_comment_start(line: str) -> int | None:
    """Where a `#` comment starts on a shell-like line: at a word start, outside quotes."""
    for i, ch in enumerate(line):
        if ch == "#" and (i == 0 or line[i - 1].isspace()):
            try:
                shlex.split(line[:i])
            except ValueError:  # an open quote: this # is inside a string
                continue
            return i
    return None


def hash_syntax(text: str) -> FileSyntax:
    """Comments and logical lines (backslash continuations joined) of shell and config files."""
    comments, units, code_lines = [], [], set()
    first: int | None = None
    lines = text.split("\n")  # line numbers as LineIndex counts them
    for number, line in enumerate(lines, start=1):
        start = _hash_comment_start(line)
        code = line if start is None else line[:start]
        if start is not None:
            comments.append(Comment(number, start + 1, line[start:], not code.strip()))
        if code.strip():
            code_lines.add(number)
            first = number if first is None else first
        if first is not None and not code.rstrip().endswith("\\"):
            units.append(Unit(first, number))
            first = None
    if first is not None:
        units.append(Unit(first, len(lines)))
    return FileSyntax(tuple(comments), tuple(units), frozenset(code_lines))


def file_syntax(path: str, text: str) -> FileSyntax | None:
    if path.endswith(".sql"):
        return sql_syntax(text)
    if path.endswith((".py", ".pyi")):
        return python_syntax(text)
    return hash_syntax(text)


# --- from comments to suppressions ---------------------------------------------------------------


def _covered_lines(comment: Comment, syntax: FileSyntax) -> frozenset[int]:
    if comment.alone:
        target = comment.line + 1
        alone_lines = {c.line for c in syntax.comments if c.alone}
        while target in alone_lines:  # the comment block directly above the next code line
            target += 1
        if target not in syntax.code_lines:
            return frozenset({comment.line})
    else:
        target = comment.line
    unit = next((u for u in syntax.units if u.first == target), None)
    if unit is None:
        return frozenset({comment.line, target})
    return frozenset({comment.line, *range(unit.first, unit.last + 1)})


def _entries(listed: str | None, rules: Sequence[Rule]) -> list[Entry]:
    entries = []
    for text in (listed or "").split(","):
        text = text.strip()
        if text:
            exact = [r for r in rules if text.upper() == r.code or text == r.name]
            entries.append(Entry(text, exact[0] if exact else None))
    return entries


def read_suppressions(path: str, text: str, rules: Sequence[Rule]) -> list[Suppression]:
    """Every `stacktune: ignore` in one file, with the lines each covers."""
    if "stacktune" not in text:
        return []  # most files have none: skip tokenizing them
    syntax = file_syntax(path, text)
    if syntax is None:
        return []
    found = []
    for comment in syntax.comments:
        for match in _DIRECTIVE.finditer(comment.text):
            location = Location(path, comment.line, comment.column + match.start())
            lines = None if match["kind"] == "ignore-file" else _covered_lines(comment, syntax)
            found.append(Suppression(location, lines, _entries(match["rules"], rules)))
    return found


def _problems(suppressions: Iterable[Suppression], enabled: Callable[[str], bool]) -> list[Finding]:
    problems = []
    for suppression in suppressions:
        where = suppression.location
        if not suppression.entries:
            problems.append(UNKNOWN.finding("this suppression names no rule: write ignore[CODE or name]", where))
        for entry in suppression.entries:
            if entry.rule is None:
                message = f"'{entry.text}' is not a stacktune rule; nothing is suppressed"
                problems.append(UNKNOWN.finding(message, where))
            elif not entry.used and enabled(entry.rule.code):
                problems.append(
                    UNUSED.finding(f"unused suppression: no {entry.rule.code} {entry.rule.name} finding here", where)
                )
    return problems


def apply_suppressions(
    findings: Iterable[Finding],
    root: Path,
    files: Iterable[str],
    rules: Sequence[Rule],
    enabled: Callable[[str], bool] = lambda code: True,
) -> SuppressionOutcome:
    """Drop the findings a suppression covers; report unknown and unused suppressions.

    `files` are the repository-relative paths that were audited (the findings' own files
    are always read); `enabled(code)` says whether a rule ran, so a suppression of a rule
    that was not selected is not called unused.
    """
    findings = list(findings)
    by_file: dict[str, list[Suppression]] = {}
    for path in sorted(set(files) | {f.location.path for f in findings}):
        try:
            text = (root / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # unreadable or not a file (a live database): the sources report it
        by_file[path] = read_suppressions(path, text, rules)
    outcome = SuppressionOutcome([], [])
    for finding in findings:
        entries = [e for s in by_file.get(finding.location.path, []) for e in s.covering(finding)]
        for entry in entries:
            entry.used = True
        (outcome.suppressed if entries else outcome.kept).append(finding)
    outcome.problems = _problems((s for group in by_file.values() for s in group), enabled)
    return outcome
