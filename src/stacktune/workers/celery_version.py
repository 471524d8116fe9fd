"""The Celery version a project pins, from requirements files, pyproject.toml or uv.lock."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

# `celery==5.3.6`, `celery[redis]>=5.4,<6`, `celery ~= 5.2`: the first version after the name.
_REQUIREMENT = re.compile(r"^\s*celery(?:\[[^\]]*\])?\s*(?:==|>=|~=|===)\s*([0-9]+)\.([0-9]+)", re.I)


def _from_lines(lines: list[str]) -> tuple[int, int] | None:
    for line in lines:
        found = _REQUIREMENT.match(line)
        if found:
            return int(found.group(1)), int(found.group(2))
    return None


def pinned_celery(root: Path) -> tuple[int, int] | None:
    """(major, minor) of the lowest Celery the project allows, None when it does not say."""
    lock = root / "uv.lock"
    if lock.is_file():
        try:
            for package in tomllib.loads(lock.read_text("utf-8")).get("package", []):
                if package.get("name") == "celery":
                    major, minor = package["version"].split(".")[:2]
                    return int(major), int(minor)
        except (OSError, tomllib.TOMLDecodeError, ValueError, KeyError):
            pass
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            project = tomllib.loads(pyproject.read_text("utf-8")).get("project", {})
            found = _from_lines(list(project.get("dependencies", [])))
            if found:
                return found
        except (OSError, tomllib.TOMLDecodeError):
            pass
    for requirements in sorted(root.glob("requirements*.txt")):
        try:
            found = _from_lines(requirements.read_text("utf-8").splitlines())
        except OSError:
            continue
        if found:
            return found
    return None
