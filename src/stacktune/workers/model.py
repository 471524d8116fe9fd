"""What the format readers produce: worker commands and concurrency settings, with exact spans.

Offsets here are character offsets into the file's decoded text; `SourceText` turns them
into byte offsets (for edits) and line:column (for reports) in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from stacktune.model.location import LineIndex, Location
from stacktune.workers.expansion import Expansion

SettingKind = Literal["cli", "env", "config"]


class SourceText:
    """A file's text with char -> byte and char -> line:column conversion."""

    __slots__ = ("path", "text", "data", "_index")

    def __init__(self, path: str, data: bytes) -> None:
        self.path = path
        self.data = data
        self.text = data.decode("utf-8")
        self._index = LineIndex(data)

    def byte(self, char_offset: int) -> int:
        return len(self.text[:char_offset].encode("utf-8"))

    def location(self, char_offset: int) -> Location:
        return self._index.location(self.path, self.byte(char_offset))


@dataclass(frozen=True, slots=True)
class Word:
    """One argument: `text` is what the program receives (quotes removed, nothing expanded).

    start/end are char offsets of the word's source inside its Slot's value.
    """

    text: str
    start: int
    end: int
    raw: str


@dataclass(frozen=True, slots=True)
class Slot:
    """Where command text lives in a file.

    encode is None when `value` is the file's own text between start and end (a shell
    script, a Procfile line): edits go in place. Otherwise `value` is a decoded string
    (a YAML/TOML/JSON/INI value) and a rewrite replaces the whole span with encode(new).
    """

    start: int
    end: int
    value: str
    encode: Callable[[str], str] | None = None


@dataclass(frozen=True, slots=True)
class ArgvList:
    """An exec-form list (Dockerfile JSON array, YAML sequence): its span and how to write one."""

    start: int
    end: int
    items: tuple[str, ...]
    encode: Callable[[list[str]], str]


Quoting = Literal["none", "single", "double"]


@dataclass(frozen=True, slots=True)
class ShellPlace:
    """A command inside shell text: the slot, the shell quoting around it, and exec/last facts."""

    slot: Slot
    quoting: Quoting = "none"  # inside sh -c '...' (single) or "..." (double)
    exec_prefixed: bool = False
    last_command: bool = False  # the script's last top-level command, not backgrounded
    command_start: int = 0  # offset in slot.value where the simple command (or its `exec`) starts
    line_start: int | None = None  # offset in slot.value of the command's line (scripts only)
    indent: str = ""
    script: bool = False  # a whole script file: a validation guard may be inserted
    dollar_escape: bool = False  # a layer before the shell eats `$` (compose, make, systemd): write `$$`


@dataclass(frozen=True, slots=True)
class StringPlace:
    """A command line stored in one string that no shell runs (compose, fly, systemd...)."""

    slot: Slot


@dataclass(frozen=True, slots=True)
class ListPlace:
    """A command given as argument lists (exec form); k8s may split it into command + args."""

    lists: tuple[ArgvList, ...]
    word_list: tuple[int, ...]  # for each word, the index of the list it came from


Place = ShellPlace | StringPlace | ListPlace


@dataclass(frozen=True, slots=True)
class WorkerCommand:
    path: str
    style: str  # format name: shell, procfile, dockerfile, compose, railway, fly, render, ...
    location: Location
    words: tuple[Word, ...]  # argv from the program (celery / python) on
    expansion: Expansion
    place: Place
    container: bool = False  # runs as a container's main process
    label: str = ""  # service / process / program name, when the format has one

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "style": self.style,
            "location": self.location.to_json(),
            "argv": [w.text for w in self.words],
            "label": self.label,
        }


@dataclass(frozen=True, slots=True)
class Setting:
    """Concurrency set outside the command line: Python config, env files, ENV, compose environment."""

    kind: SettingKind
    name: str  # worker_concurrency, CELERYD_CONCURRENCY, CELERY_WORKER_CONCURRENCY, CELERY_CONCURRENCY
    value: str | None  # literal text, None when computed
    location: Location
    path: str
    style: str
    expression: str = ""  # the Python source of the value, for config
    env_without_int: bool = False  # an os.environ value assigned without int()
    value_span: tuple[int, int] | None = None  # byte span of a literal Python value (fixable)
    needs_os_import: bool = False


@dataclass(slots=True)
class FileResult:
    """What one reader found in one file."""

    commands: list[WorkerCommand] = field(default_factory=list)
    settings: list[Setting] = field(default_factory=list)
