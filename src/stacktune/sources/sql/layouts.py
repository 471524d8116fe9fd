"""Migration folder layouts: which files a tool applies, in which order, which part of each.

Each style follows its own tool: a name-sorting runner ("numbered", "supabase"),
golang-migrate, goose, dbmate, Flyway and Diesel. File names are matched with
regular expressions (names, not SQL); the up/down annotations of goose and
dbmate are SQL comments their tools read line by line, and so does this module.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from stacktune.model.diagnostics import Diagnostic
from stacktune.model.events import SchemaEvent, SourceResult
from stacktune.model.location import LineIndex, Location
from stacktune.sources.sql.context import Locate
from stacktune.sources.sql.platforms import platform_prelude
from stacktune.sources.sql.statements import sql_to_events
from stacktune.sources.walk import relpath

STYLES = ("numbered", "golang-migrate", "goose", "dbmate", "flyway", "diesel", "supabase")

NUMBERED = re.compile(r"^(\d+)(?:[_\-. ].*)?\.sql$")
GOLANG_MIGRATE = re.compile(r"^(\d+)_.*\.(up|down)\.sql$")
FLYWAY_VERSIONED = re.compile(r"^V(\d+(?:[._]\d+)*)__.*\.sql$")
FLYWAY_REPEATABLE = re.compile(r"^R__(.*)\.sql$")
FLYWAY_UNDO = re.compile(r"^U(\d+(?:[._]\d+)*)__.*\.sql$")
DIESEL_FOLDER = re.compile(r"^(\d[\d\-]*)_")
_QUIET = re.compile(r"^(README.*\.md|\.gitkeep|\..*)$", re.IGNORECASE)  # never worth a word

# The annotations goose and dbmate read, one per line.
_GOOSE = re.compile(rb"^--\s*\+goose\s+(up|down|no\s+transaction)\b", re.IGNORECASE | re.MULTILINE)
_DBMATE = re.compile(rb"^--\s*migrate:(up|down)\b([^\n]*)", re.MULTILINE)
_SNIFF_BYTES = 4096
_SNIFF_FILES = 3


@dataclass(frozen=True)
class MigrationFile:
    path: str  # relative to the repo root
    version: str  # as written (zero padding kept)
    sort_key: tuple  # the ordering key
    sections: tuple[tuple[int, int], ...]  # byte spans of the up SQL within the file
    no_transaction: bool


def detect_style(folder: Path) -> str | None:
    """The layout of a migrations folder, or None when it holds no migrations."""
    if (folder / "up.sql").is_file():
        return None  # one Diesel migration, not the folder of them
    if any((sub / "up.sql").is_file() and DIESEL_FOLDER.match(sub.name) for sub in _subfolders(folder)):
        return "diesel"
    names = [p.name for p in _files(folder)]
    if any(GOLANG_MIGRATE.match(n) for n in names):
        return "golang-migrate"
    if any(FLYWAY_VERSIONED.match(n) or FLYWAY_REPEATABLE.match(n) for n in names):
        return "flyway"
    numbered = sorted(n for n in names if NUMBERED.match(n))
    if not numbered:
        return None
    for name in numbered[:_SNIFF_FILES]:
        try:
            with open(folder / name, "rb") as handle:
                head = handle.read(_SNIFF_BYTES)
        except OSError:
            continue  # reported when the folder is read
        if _GOOSE.search(head):
            return "goose"
        if _DBMATE.search(head):
            return "dbmate"
    return "supabase" if folder.as_posix().endswith("supabase/migrations") else "numbered"


def ordered_migrations(root: Path, folder: Path, style: str) -> tuple[list[MigrationFile], list[Diagnostic]]:
    """The migrations of `folder` in the order `style`'s tool applies them."""
    read = _read_folder(root, folder, style)
    return [m for m, _ in read.files], read.diagnostics


def read_migrations(root: Path, folder: Path, style: str | None = None) -> SourceResult:
    """Every up section of every migration, in apply order, as schema events."""
    folder_rel = relpath(folder, root)
    style = style or detect_style(folder)
    if style is None:
        return SourceResult(
            kind="sql",
            path=folder_rel,
            style="unknown",
            diagnostics=[Diagnostic(Location(folder_rel), "no migrations of a known layout in this folder")],
        )
    read = _read_folder(root, folder, style)
    events: list[SchemaEvent] = []
    diagnostics = list(read.diagnostics)
    for migration, data in read.files:
        index = LineIndex(data)
        for start, end in migration.sections:
            new_events, problems = sql_to_events(
                data[start:end].decode("utf-8"), migration.path, locate=_locator(index, migration.path, start)
            )
            events.extend(new_events)
            diagnostics.extend(problems)
    prelude_events, prelude = platform_prelude(style, folder_rel, events)
    events[:0] = prelude_events
    return SourceResult(
        kind="sql",
        path=folder_rel,
        style=style,
        files=[m.path for m, _ in read.files],
        events=events,
        prelude=prelude,
        diagnostics=diagnostics,
    )


def _locator(index: LineIndex, path: str, base: int) -> Locate:
    return lambda offset: index.location(path, base + offset)


@dataclass
class _Folder:
    files: list[tuple[MigrationFile, bytes]]
    diagnostics: list[Diagnostic]


def _read_folder(root: Path, folder: Path, style: str) -> _Folder:
    if style not in STYLES:
        raise ValueError(f"unknown migration layout {style!r}; known: {', '.join(STYLES)}")
    result = _Folder([], [])
    candidates = _diesel_candidates(folder) if style == "diesel" else _files(folder)
    for path in candidates:
        rel = relpath(path, root)
        matched = _match(style, path)
        if matched is None:
            if not _QUIET.match(path.name):
                result.diagnostics.append(Diagnostic(Location(rel), f"not a migration of the {style} layout, skipped"))
            continue
        if not matched:
            continue  # a down / undo migration: not applied going up
        version, sort_key = matched
        data, problem = _read_bytes(path, rel)
        if problem is not None:
            result.diagnostics.append(problem)
        sections, no_transaction, problems = _sections(style, data, rel)
        if style == "diesel":
            no_transaction = _diesel_no_transaction(path.parent, rel, result.diagnostics)
        result.diagnostics.extend(problems)
        result.files.append((MigrationFile(rel, version, sort_key, sections, no_transaction), data))
    result.files.sort(key=lambda item: item[0].sort_key)
    result.diagnostics.extend(_duplicates([m for m, _ in result.files], style))
    return result


def _match(style: str, path: Path) -> tuple[str, tuple] | tuple[()] | None:
    """(version, sort key) for an applied migration, () for a down/undo file, None for strangers."""
    name = path.name
    if style == "diesel":
        if name == "down.sql":
            return ()
        version = DIESEL_FOLDER.match(path.parent.name) if name == "up.sql" else None
        return (version[1], (version[1], path.parent.name)) if version else None
    if style == "golang-migrate":
        found = GOLANG_MIGRATE.match(name)
        if found is None:
            return None
        return (found[1], (int(found[1]), name)) if found[2] == "up" else ()
    if style == "flyway":
        return _flyway(name)
    found = NUMBERED.match(name)
    if found is None:
        return None
    if style in ("numbered", "supabase"):
        return found[1], (name,)  # a runner that sorts file names
    return found[1], (int(found[1]), name)  # goose, dbmate: numeric version order


def _flyway(name: str) -> tuple[str, tuple] | tuple[()] | None:
    versioned = FLYWAY_VERSIONED.match(name)
    if versioned:
        parts = tuple(int(p) for p in re.split(r"[._]", versioned[1]))
        return versioned[1], (0, _trim_zeros(parts), name)
    repeatable = FLYWAY_REPEATABLE.match(name)
    if repeatable:
        return "R", (1, (), repeatable[1])
    return () if FLYWAY_UNDO.match(name) else None


def _trim_zeros(parts: tuple[int, ...]) -> tuple[int, ...]:
    # Flyway compares versions numerically part by part, so 1.0 == 1.
    while len(parts) > 1 and parts[-1] == 0:
        parts = parts[:-1]
    return parts


def _sections(style: str, data: bytes, rel: str) -> tuple[tuple[tuple[int, int], ...], bool, list[Diagnostic]]:
    """The up SQL spans of one file, whether it runs outside a transaction, and problems."""
    if style == "goose":
        return _goose_sections(data, rel)
    if style == "dbmate":
        return _dbmate_sections(data, rel)
    return ((0, len(data)),), False, []


def _goose_sections(data: bytes, rel: str) -> tuple[tuple[tuple[int, int], ...], bool, list[Diagnostic]]:
    start = end = None
    no_transaction = False
    for found in _GOOSE.finditer(data):
        word = found[1].lower()
        if word == b"up" and start is None:
            start = _line_end(data, found.end())
        elif word == b"down" and start is not None and end is None:
            end = found.start()
        elif word.startswith(b"no"):
            no_transaction = True
    if start is None:
        return (
            (),
            no_transaction,
            [Diagnostic(Location(rel), "goose migration without a `-- +goose Up` annotation, skipped")],
        )
    return ((start, len(data) if end is None else end),), no_transaction, []


def _dbmate_sections(data: bytes, rel: str) -> tuple[tuple[tuple[int, int], ...], bool, list[Diagnostic]]:
    up = next((m for m in _DBMATE.finditer(data) if m[1] == b"up"), None)
    if up is None:
        return (), False, [Diagnostic(Location(rel), "dbmate migration without a `-- migrate:up` line, skipped")]
    start = _line_end(data, up.end())
    down = next((m for m in _DBMATE.finditer(data, start) if m[1] == b"down"), None)
    no_transaction = b"transaction:false" in up[2].replace(b" ", b"")
    return ((start, len(data) if down is None else down.start()),), no_transaction, []


def _line_end(data: bytes, pos: int) -> int:
    """The start of the line after pos."""
    newline = data.find(b"\n", pos)
    return len(data) if newline < 0 else newline + 1


def _diesel_no_transaction(folder: Path, rel: str, diagnostics: list[Diagnostic]) -> bool:
    metadata = folder / "metadata.toml"
    if not metadata.is_file():
        return False
    try:
        return tomllib.loads(metadata.read_text("utf-8")).get("run_in_transaction", True) is False
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        diagnostics.append(Diagnostic(Location(rel.rsplit("/", 1)[0] + "/metadata.toml"), f"metadata.toml: {exc}"))
        return False


# Runners that apply files in file-name order run both files of a shared number, in order.
_NAME_SORTED = frozenset({"numbered", "supabase"})


def _duplicates(files: list[MigrationFile], style: str) -> list[Diagnostic]:
    """Two files with one version: most tools refuse to run, a name-sorting runner runs both."""
    if style in _NAME_SORTED:
        return []
    by_version: dict[tuple, list[MigrationFile]] = defaultdict(list)
    for migration in files:
        if migration.version != "R":
            by_version[_version_identity(migration, style)].append(migration)
    problems = []
    for same in by_version.values():
        if len(same) > 1:
            names = ", ".join(m.path.rsplit("/", 1)[-1] for m in same)
            problems.append(
                Diagnostic(Location(same[1].path), f"duplicate migration number {same[0].version}: {names}")
            )
    return problems


def _version_identity(migration: MigrationFile, style: str) -> tuple:
    if style == "flyway":
        return migration.sort_key[1]
    if style == "diesel":
        return (migration.version,)
    return (int(migration.version),)


def _read_bytes(path: Path, rel: str) -> tuple[bytes, Diagnostic | None]:
    """A file's bytes; invalid UTF-8 is replaced (offsets then refer to the repaired text)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return b"", Diagnostic(Location(rel), f"unreadable: {exc.strerror}")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return data.decode("utf-8", errors="replace").encode("utf-8"), Diagnostic(
            Location(rel, line), f"not valid UTF-8 ({exc.reason} at byte {exc.start}); bad bytes replaced"
        )
    return data, None


def _files(folder: Path) -> list[Path]:
    # A *.sql entry that is no file (a broken link, a folder) would break the runner's
    # glob too: kept, so reading it reports it.
    return sorted(
        p for p in folder.iterdir() if p.is_file() or (p.suffix == ".sql" and (p.is_dir() or not p.exists()))
    )


def _subfolders(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir())


def _diesel_candidates(folder: Path) -> list[Path]:
    """Each migration folder's SQL files, plus stray files at the top."""
    found = _files(folder)
    for sub in _subfolders(folder):
        found.extend(p for p in _files(sub) if p.suffix == ".sql")
    return found
