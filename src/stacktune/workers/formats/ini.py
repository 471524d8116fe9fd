"""Line-level INI reading for supervisord and systemd: sections, `key=value` spans.

configparser gives values but no positions; both formats are simple enough to walk line by
line. systemd joins a line ending in a backslash with the next (systemd.syntax(7)), which long
ExecStart= lines use; the value then spans those lines, backslash-newlines included.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Entry:
    section: str
    key: str
    value: str
    start: int  # offset of the value in the file
    end: int


def _continues(line: str) -> bool:
    body = line.rstrip("\r\n")
    return line != body and (len(body) - len(body.rstrip("\\"))) % 2 == 1


def entries(text: str, comments: tuple[str, ...] = ("#", ";"), continuation: bool = False) -> Iterator[Entry]:
    section = ""
    offset = 0
    lines = text.splitlines(keepends=True)
    index = 0
    while index < len(lines):
        line = lines[index]
        body = line.rstrip("\r\n")
        stripped = body.strip()
        length = len(line)
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip()
        elif stripped and not stripped.startswith(comments) and "=" in body and not body[0].isspace():
            while continuation and _continues(lines[index]) and index + 1 < len(lines):
                index += 1
                length += len(lines[index])
            key, _, rest = text[offset : offset + length].rstrip("\r\n").partition("=")
            lead = len(rest) - len(rest.lstrip())
            value = rest.strip()
            start = offset + len(key) + 1 + lead
            yield Entry(section, key.strip(), value, start, start + len(value))
        offset += length
        index += 1
