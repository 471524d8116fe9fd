"""Line-level INI reading for supervisord and systemd: sections, `key=value` spans.

configparser gives values but no positions; both formats are simple enough to walk line by
line (continuation lines are not used for commands in either in practice).
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


def entries(text: str, comments: tuple[str, ...] = ("#", ";")) -> Iterator[Entry]:
    section = ""
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip()
        elif stripped and not stripped.startswith(comments) and "=" in body and not body[0].isspace():
            key, _, rest = body.partition("=")
            lead = len(rest) - len(rest.lstrip())
            value = rest.strip()
            start = offset + len(key) + 1 + lead
            yield Entry(section, key.strip(), value, start, start + len(value))
        offset += len(line)
