"""Finding the Alembic projects of a repository: alembic.ini / pyproject.toml, or env.py + versions/.

Each script directory is one source. Its version folders are `version_locations`
when configured, else `<script_location>/versions`, read as Alembic reads them:
folders in the configured order, `*.py` files sorted by name within each.
"""

from __future__ import annotations

import configparser
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from stacktune.model.diagnostics import Diagnostic
from stacktune.model.location import Location
from stacktune.sources.walk import iter_files, relpath

# Alembic's own file filter (script/base.py _only_source_rev_file).
REVISION_FILE = re.compile(r"^(?!\.#|__init__)(.*\.py)$")
# Alembic's legacy splitting of version_locations when no separator is configured.
_LEGACY_SPLIT = re.compile(r", *|(?: +)")
_SEPARATORS = {"os": os.pathsep, "space": " ", "newline": "\n", ";": ";", ":": ":"}


@dataclass(frozen=True, slots=True)
class AlembicProject:
    script_dir: Path
    version_dirs: tuple[Path, ...]
    config: Path | None = None  # the alembic.ini / pyproject.toml that names it
    recursive: bool = False  # recursive_version_locations
    sys_paths: tuple[Path, ...] = ()  # prepend_sys_path: where env.py's imports are found

    @property
    def env_py(self) -> Path:
        return self.script_dir / "env.py"


def find_alembic_projects(root: Path) -> tuple[list[AlembicProject], list[Diagnostic]]:
    """Every Alembic script directory below root (sample folders excluded), sorted by folder."""
    found: dict[Path, AlembicProject] = {}
    diagnostics: list[Diagnostic] = []
    for path in iter_files(root, (".ini", "pyproject.toml", "env.py")):
        if path.name.endswith(".ini"):
            projects = _from_ini(root, path, diagnostics)
        elif path.name == "pyproject.toml":
            projects = _from_pyproject(root, path, diagnostics)
        elif path.name == "env.py":
            projects = _from_env_py(path)
        else:
            continue
        for project in projects:
            key = project.script_dir.resolve()
            if key not in found or (found[key].config is None and project.config is not None):
                found[key] = project
    return [found[k] for k in sorted(found)], diagnostics


def project_at(root: Path, folder: Path) -> AlembicProject | None:
    """The Alembic project a user pointed at: a script directory, or a folder with alembic.ini."""
    ini = folder / "alembic.ini"
    if ini.is_file():
        projects = _from_ini(root, ini, [])
        if projects:
            return projects[0]
    return next(iter(_from_env_py(folder / "env.py")), None)


def _from_env_py(env_py: Path) -> list[AlembicProject]:
    folder = env_py.parent
    if env_py.is_file() and (folder / "versions").is_dir():
        return [AlembicProject(folder, (folder / "versions",), sys_paths=(folder.parent,))]
    return []


def _from_ini(root: Path, ini: Path, diagnostics: list[Diagnostic]) -> list[AlembicProject]:
    here = ini.parent.resolve()
    parser = configparser.ConfigParser(defaults={"here": str(here)})
    try:
        text = ini.read_text("utf-8")
        if "script_location" not in text:
            return []  # tox.ini, pytest.ini...: not ours to judge
        parser.read_string(text, source=str(ini))
    except (OSError, configparser.Error, UnicodeDecodeError) as exc:
        diagnostics.append(Diagnostic(Location(relpath(ini, root)), f"cannot read {ini.name}: {exc}"))
        return []
    projects = []
    for section in parser.sections():
        options = {key: _option(parser, section, key) for key in parser.options(section)}
        if "script_location" not in options:
            continue
        separator = _SEPARATORS.get(options.get("path_separator") or options.get("version_path_separator") or "")
        versions = _split(options.get("version_locations", ""), separator)
        sys_paths = _split(options.get("prepend_sys_path", ""), separator)
        recursive = options.get("recursive_version_locations", "false").strip().lower() in ("true", "1", "yes", "on")
        project = _project(here, options["script_location"], versions, sys_paths, ini, recursive)
        if project is not None:
            projects.append(project)
    return projects


def _option(parser: configparser.ConfigParser, section: str, key: str) -> str:
    """The interpolated value (%(here)s), or the raw one when interpolation fails (a URL with %)."""
    try:
        return parser.get(section, key)
    except configparser.Error:
        return parser.get(section, key, raw=True)


def _from_pyproject(root: Path, path: Path, diagnostics: list[Diagnostic]) -> list[AlembicProject]:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        diagnostics.append(Diagnostic(Location(relpath(path, root)), f"cannot read pyproject.toml: {exc}"))
        return []
    config = data.get("tool", {}).get("alembic", {})
    location = config.get("script_location")
    if not isinstance(location, str):
        return []
    here = str(path.parent.resolve())

    def strings(key: str) -> list[str]:
        value = config.get(key, [])
        items = value if isinstance(value, list) else [value]
        return [str(v).replace("%(here)s", here) for v in items]

    project = _project(
        path.parent.resolve(), location.replace("%(here)s", here), strings("version_locations"),
        strings("prepend_sys_path"), path, bool(config.get("recursive_version_locations", False)),
    )
    return [project] if project is not None else []


def _split(value: str, separator: str | None) -> list[str]:
    parts = value.split(separator) if separator else _LEGACY_SPLIT.split(value)
    return [p.strip() for p in parts if p.strip()]


def _project(
    here: Path, location: str, versions: list[str], sys_paths: list[str], config: Path, recursive: bool
) -> AlembicProject | None:
    paths = [here / p for p in sys_paths] or [here]
    script_dir = _location(here, location.strip(), paths)
    if script_dir is None or not script_dir.is_dir():
        return None
    version_dirs = tuple(_location(here, v, paths) or here / v for v in versions) or (script_dir / "versions",)
    return AlembicProject(script_dir, version_dirs, config, recursive, tuple(paths))


def _location(here: Path, value: str, sys_paths: list[Path]) -> Path | None:
    """A path relative to the config's folder, or `package.module:folder` found on the sys paths."""
    if ":" in value and not Path(value).is_absolute() and not re.match(r"^[A-Za-z]:[\\/]", value):
        package, _, sub = value.partition(":")
        for base in sys_paths:
            candidate = base.joinpath(*package.split("."), sub)
            if candidate.is_dir():
                return candidate
        return None
    return here / value
