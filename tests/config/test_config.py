"""Configuration: discovery, precedence, validation that names the key and the file, applying it."""

from __future__ import annotations

from pathlib import Path

import pytest

from stacktune.checks.registry import all_rules
from stacktune.config import Config, ConfigError, find_config, load_config, select_codes, with_overrides
from stacktune.model.finding import Finding
from stacktune.model.location import Location

RULES = all_rules()


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _finding(code: str, path: str = "migrations/001.sql") -> Finding:
    rule = next(r for r in RULES if r.code == code)
    return rule.finding("m", Location(path, 3, 1))


PYPROJECT = """
[project]
name = "shop"

[tool.stacktune]
migrations = ["db/migrations"]
models = ["app/models.py"]
schema-from = "migrations"
select = ["ST1", "worker-concurrency-hardcoded"]
ignore = ["if-not-exists-skipped"]
severity = { ST102 = "error", "fk-without-index" = "info" }
worker-default = 8
index-prefix = "ix_"
partial = false
concurrently = true
exclude = ["migrations/legacy"]
"""


def test_pyproject_table_is_read_with_paths_from_its_folder(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", PYPROJECT)
    config = load_config(tmp_path, RULES)
    assert config.path == tmp_path / "pyproject.toml"
    assert config.migrations == (tmp_path.resolve() / "db/migrations",)
    assert config.models == (tmp_path.resolve() / "app/models.py",)
    assert config.schema_from == "migrations"
    # "ST1" is a code prefix: every ST1xx rule, whatever the registry holds.
    assert config.select == {r.code for r in RULES if r.code.startswith("ST1")} | {"ST201"}
    assert {"ST101", "ST102", "ST103", "ST104"} <= config.select
    assert config.ignore == {"ST104"}
    assert config.severity == {"ST102": "error", "ST101": "info"}
    assert (config.worker_default, config.index_prefix, config.partial, config.concurrently) == (8, "ix_", False, True)
    assert config.exclude == ("migrations/legacy",)


def test_no_file_means_defaults(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[project]\nname = "shop"\n')
    config = load_config(tmp_path, RULES)
    assert config == Config()
    assert all(config.enabled(rule.code) for rule in RULES)


def test_stacktune_toml_wins_and_nearest_folder_wins(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.stacktune]\nworker-default = 2\n')
    nested = tmp_path / "services" / "api"
    _write(nested / "pyproject.toml", '[tool.other]\nx = 1\n')  # no [tool.stacktune]: keep looking up
    assert find_config(nested) == (tmp_path / "pyproject.toml").resolve()
    _write(tmp_path / "stacktune.toml", "worker-default = 3\n")
    assert find_config(nested) == (tmp_path / "stacktune.toml").resolve()
    assert load_config(nested, RULES).worker_default == 3
    _write(nested / "stacktune.toml", "worker-default = 5\n")
    assert load_config(nested, RULES).worker_default == 5


def test_explicit_file(tmp_path: Path) -> None:
    other = _write(tmp_path / "ci" / "strict.toml", 'severity = { ALL = "error" }\n')
    config = load_config(tmp_path, RULES, other)
    assert set(config.severity.values()) == {"error"} and len(config.severity) == len(RULES)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[tool.stacktune]\nschema_from = 'models'\n",
         "unknown key 'schema_from' in pyproject.toml [tool.stacktune]; did you mean 'schema-from'?"),
        ("[tool.stacktune]\ncolour = 'red'\n", "unknown key 'colour' in pyproject.toml [tool.stacktune]; known keys:"),
        ("[tool.stacktune]\nselect = 'ST101'\n",
         "'select' in pyproject.toml [tool.stacktune] must be a list of strings"),
        ("[tool.stacktune]\nselect = ['ST999']\n", "'ST999' names no rule"),
        ("[tool.stacktune]\nseverity = { ST101 = 'fatal' }\n", "must be one of error, warning, info"),
        ("[tool.stacktune]\nschema-from = 'db'\n", "'schema-from' in pyproject.toml [tool.stacktune] must be one of"),
        ("[tool.stacktune]\nworker-default = 0\n", "must be a whole number of at least 1"),
        ("[tool.stacktune]\npartial = 'yes'\n", "'partial' in pyproject.toml [tool.stacktune] must be true or false"),
        ("[tool.stacktune\n", "invalid TOML"),
    ],
)
def test_errors_name_the_key_and_the_file(tmp_path: Path, text: str, message: str) -> None:
    _write(tmp_path / "pyproject.toml", text)
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path, RULES)
    assert message in str(error.value)
    assert "pyproject.toml" in str(error.value)


def test_unknown_key_in_stacktune_toml(tmp_path: Path) -> None:
    _write(tmp_path / "stacktune.toml", "[tool.stacktune]\nselect = ['ST101']\n")
    with pytest.raises(ConfigError, match=r"unknown key 'tool' in stacktune.toml"):
        load_config(tmp_path, RULES)


def test_command_line_overrides_the_file(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", PYPROJECT)
    config = load_config(tmp_path, RULES)
    merged = with_overrides(
        config, RULES, schema_from="both", select=["ST101"], worker_default=None, severity={"ST104": "error"},
        migrations=[Path("other")],
    )
    assert merged.schema_from == "both"
    assert merged.select == {"ST101"}
    assert merged.worker_default == 8, "an option not given keeps the file's value"
    assert merged.severity == {"ST102": "error", "ST101": "info", "ST104": "error"}
    assert merged.migrations == (Path("other"),)
    with pytest.raises(ConfigError, match="--ignore: 'nope' names no rule"):
        with_overrides(config, RULES, ignore=["nope"])
    with pytest.raises(TypeError, match="colour"):
        with_overrides(config, RULES, colour="red")


def test_apply_selects_excludes_and_overrides_severity(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", PYPROJECT)
    config = load_config(tmp_path, RULES)
    findings = [
        _finding("ST101"), _finding("ST102"), _finding("ST104"), _finding("ST202"),
        _finding("ST101", "migrations/legacy/001.sql"),
    ]
    kept = config.apply(findings, tmp_path)
    assert [(f.code, f.severity, f.location.path) for f in kept] == [
        ("ST101", "info", "migrations/001.sql"),
        ("ST102", "error", "migrations/001.sql"),
    ]


def test_exclude_patterns_are_relative_to_the_config_folder(tmp_path: Path) -> None:
    _write(tmp_path / "stacktune.toml", 'exclude = ["backend/migrations/0*_old.sql"]\n')
    root = tmp_path / "backend"
    root.mkdir()
    config = load_config(root, RULES)
    kept = config.apply([_finding("ST101", "migrations/001_old.sql"), _finding("ST101", "migrations/101.sql")], root)
    assert [f.location.path for f in kept] == ["migrations/101.sql"]


def test_selectors() -> None:
    assert select_codes("st10", RULES) == {r.code for r in RULES if r.code.startswith("ST10")}
    assert "ST101" in select_codes("st10", RULES) and "ST201" not in select_codes("st10", RULES)
    assert select_codes("fk-weak-index", RULES) == {"ST102"}
    assert select_codes("ALL", RULES) == {rule.code for rule in RULES}
    assert select_codes("fk", RULES) == frozenset()
