"""Configuration: `[tool.stacktune]` in pyproject.toml, or a stacktune.toml; the command line overrides it.

Precedence: defaults < the file < the command line. Like ruff, a stacktune.toml
wins over a pyproject.toml in the same folder, and the nearest folder (the audited
root, then its parents) with either wins. Keys are kebab-case; an unknown key is an
error that names the key and the file.
"""

from __future__ import annotations

import dataclasses
import difflib
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

from stacktune.checks.rule import Rule
from stacktune.model.finding import Finding, Severity
from stacktune.sources.walk import relpath

SCHEMA_FROM_CHOICES = ("auto", "models", "migrations", "both")
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
_KEYS = (
    "migrations", "models", "schema-from", "select", "ignore", "severity", "worker-default",
    "index-prefix", "partial", "concurrently", "exclude",
)


class ConfigError(Exception):
    """The configuration cannot be used: the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class Config:
    """Settings from the file; None / empty means "not set here", so the tool's default applies."""

    path: Path | None = None  # the file read; None: no configuration file
    migrations: tuple[Path, ...] = ()
    models: tuple[Path, ...] = ()
    schema_from: str | None = None
    select: frozenset[str] | None = None  # rule codes; None: every rule
    ignore: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)  # code -> level
    worker_default: int | None = None
    index_prefix: str | None = None
    partial: bool | None = None
    concurrently: bool | None = None
    exclude: tuple[str, ...] = ()  # glob patterns over paths relative to `base`
    base: Path | None = None  # the folder relative paths in the file are read from

    def enabled(self, code: str) -> bool:
        return (self.select is None or code in self.select) and code not in self.ignore

    def excluded(self, path: str, root: Path) -> bool:
        if not self.exclude:
            return False
        relative = PurePosixPath(relpath(root / path, self.base or root))
        candidates = [relative.as_posix(), *(p.as_posix() for p in relative.parents if p.name)]
        return any(fnmatchcase(c, pattern.rstrip("/")) for c in candidates for pattern in self.exclude)

    def apply(self, findings: Iterable[Finding], root: Path) -> list[Finding]:
        """Drop unselected rules and excluded paths; set overridden severities."""
        kept = []
        for finding in findings:
            if not self.enabled(finding.code) or self.excluded(finding.location.path, root):
                continue
            level = self.severity.get(finding.code)
            kept.append(dataclasses.replace(finding, severity=level) if level else finding)
        return kept


def select_codes(selector: str, rules: Sequence[Rule]) -> frozenset[str]:
    """The codes a selector names: a code, a code prefix (ST1), a rule name, or ALL; empty if none."""
    key = selector.strip()
    if key.upper() == "ALL":
        return frozenset(rule.code for rule in rules)
    return frozenset(rule.code for rule in rules if rule.code.startswith(key.upper()) or rule.name == key)


def find_config(start: Path) -> Path | None:
    """The configuration file for a repository at `start`: nearest folder first, stacktune.toml first."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / "stacktune.toml"
        if own.is_file():
            return own
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and "stacktune" in _read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def load_config(root: Path, rules: Sequence[Rule], config_file: Path | None = None) -> Config:
    """The configuration for auditing `root` (or the one in `config_file`); defaults when there is none."""
    path = config_file or find_config(root)
    if path is None:
        return Config()
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("stacktune", {})
        where = f"{relpath(path, root)} [tool.stacktune]"
    else:
        table, where = data, relpath(path, root)
    return _parse(table, where, path, rules)


def with_overrides(config: Config, rules: Sequence[Rule], **options: object) -> Config:
    """The command line's options over the file's: None (an option not given) keeps the file's value.

    Accepts the Config field names; select/ignore are lists of selectors, severity a
    mapping of selector -> level; paths are taken as given (relative to the working folder).
    """
    unknown = set(options) - {f.name for f in dataclasses.fields(Config)}
    if unknown:
        raise TypeError(f"not a configuration option: {', '.join(sorted(unknown))}")
    given = {name: value for name, value in options.items() if value is not None}
    flag = {name: "--" + name.replace("_", "-") for name in given}
    if "select" in given:
        given["select"] = _selectors(given["select"], flag["select"], rules)
    if "ignore" in given:
        given["ignore"] = _selectors(given["ignore"], flag["ignore"], rules)
    if "severity" in given:
        given["severity"] = {**config.severity, **_severities(given["severity"], flag["severity"], rules)}
    for name in ("migrations", "models", "exclude"):
        if name in given:
            given[name] = tuple(given[name])  # type: ignore[arg-type]
    return dataclasses.replace(config, **given)  # type: ignore[arg-type]


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None


def _parse(table: object, where: str, path: Path, rules: Sequence[Rule]) -> Config:
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    for key in table:
        if key not in _KEYS:
            close = difflib.get_close_matches(key.replace("_", "-"), _KEYS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(_KEYS)}"
            raise ConfigError(f"unknown key '{key}' in {where}{hint}")
    base = path.parent.resolve()
    values: dict[str, object] = {"path": path, "base": base}
    for key in ("migrations", "models"):
        if key in table:
            values[key] = tuple(base / p for p in _strings(table[key], f"'{key}' in {where}"))
    if "exclude" in table:
        values["exclude"] = tuple(_strings(table["exclude"], f"'exclude' in {where}"))
    if "select" in table:
        values["select"] = _selectors(table["select"], f"'select' in {where}", rules)
    if "ignore" in table:
        values["ignore"] = _selectors(table["ignore"], f"'ignore' in {where}", rules)
    if "severity" in table:
        values["severity"] = _severities(table["severity"], f"'severity' in {where}", rules)
    if "schema-from" in table:
        values["schema_from"] = _choice(table["schema-from"], SCHEMA_FROM_CHOICES, f"'schema-from' in {where}")
    if "worker-default" in table:
        values["worker_default"] = _positive_int(table["worker-default"], f"'worker-default' in {where}")
    if "index-prefix" in table:
        values["index_prefix"] = _string(table["index-prefix"], f"'index-prefix' in {where}")
    for key in ("partial", "concurrently"):
        if key in table:
            values[key] = _bool(table[key], f"'{key}' in {where}")
    return Config(**values)  # type: ignore[arg-type]


def _strings(value: object, what: str) -> list[str]:
    # A list from TOML, a tuple from a repeatable command-line option.
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{what} must be a list of strings")
    return list(value)


def _string(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{what} must be a string")
    return value


def _bool(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{what} must be true or false")
    return value


def _positive_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{what} must be a whole number of at least 1")
    return value


def _choice(value: object, choices: Sequence[str], what: str) -> str:
    if value not in choices:
        raise ConfigError(f"{what} must be one of {', '.join(choices)}, not {value!r}")
    return value  # type: ignore[return-value]


def _selectors(value: object, what: str, rules: Sequence[Rule]) -> frozenset[str]:
    codes: set[str] = set()
    for selector in _strings(value, what):
        matched = select_codes(selector, rules)
        if not matched:
            raise ConfigError(f"{what}: '{selector}' names no rule (use a code like ST101, a prefix, or a name)")
        codes |= matched
    return frozenset(codes)


def _severities(value: object, what: str, rules: Sequence[Rule]) -> dict[str, Severity]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{what} must be a table of rule = level")
    levels: dict[str, Severity] = {}
    for selector, level in value.items():
        level = _choice(level, SEVERITIES, f"{what}: '{selector}'")
        codes = _selectors([selector], what, rules)
        levels.update(dict.fromkeys(sorted(codes), level))
    return levels
