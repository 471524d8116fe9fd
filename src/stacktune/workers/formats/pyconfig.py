"""Celery concurrency in Python config, read with `ast` (never imported):
`worker_concurrency = 2` (celeryconfig.py or a config class), old `CELERYD_CONCURRENCY`,
`app.conf.worker_concurrency = ...`, `app.conf.update(worker_concurrency=...)` or a dict,
`app.conf["worker_concurrency"] = ...`."""

from __future__ import annotations

import ast

from stacktune.model.diagnostics import Diagnostic
from stacktune.model.location import Location
from stacktune.workers.formats.common import Collector
from stacktune.workers.model import Setting, SourceText

STYLE = "python"
NAMES = frozenset({"worker_concurrency", "CELERYD_CONCURRENCY", "CELERY_WORKER_CONCURRENCY"})


def matches(name: str, head: bytes) -> bool:
    return name.endswith(".py")


def _is_environ(node: ast.expr) -> bool:
    """os.environ.get(...), os.getenv(...), os.environ[...], environ.get(...)."""
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in {"get", "getenv"}:
            return _is_environ_base(func.value) or func.attr == "getenv"
        if isinstance(func, ast.Name) and func.id == "getenv":
            return True
    if isinstance(node, ast.Subscript):
        return _is_environ_base(node.value)
    return False


def _is_environ_base(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id in {"environ", "os"}
    )


def _is_conf(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "conf"


def _targets(tree: ast.Module) -> list[tuple[str, ast.expr]]:
    """(setting name, value expression) for every place concurrency is assigned."""
    found: list[tuple[str, ast.expr]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id in NAMES:
                    found.append((target.id, node.value))
                elif isinstance(target, ast.Attribute) and target.attr in NAMES and _is_conf(target.value):
                    found.append((target.attr, node.value))
                elif (
                    isinstance(target, ast.Subscript)
                    and _is_conf(target.value)
                    and isinstance(target.slice, ast.Constant)
                    and target.slice.value in NAMES
                ):
                    found.append((target.slice.value, node.value))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update":
            if not _is_conf(node.func.value):
                continue
            found.extend((kw.arg, kw.value) for kw in node.keywords if kw.arg in NAMES)
            for arg in node.args:
                if isinstance(arg, ast.Dict):
                    found.extend(
                        (k.value, v)
                        for k, v in zip(arg.keys, arg.values, strict=True)
                        if isinstance(k, ast.Constant) and k.value in NAMES
                    )
    return found


def _imports_os(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.Import) and any(alias.name == "os" and alias.asname is None for alias in node.names)
        for node in tree.body
    )


def read(src: SourceText, collector: Collector) -> None:
    if b"CONCURRENCY" not in src.data and b"concurrency" not in src.data:
        return
    try:
        tree = ast.parse(src.data, filename=src.path)
    except SyntaxError as exc:
        collector.diagnostics.append(
            Diagnostic(Location(src.path, exc.lineno or 1, exc.offset or 1), f"Python: {exc.msg}")
        )
        return
    starts = [0]
    for line in src.data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    has_os = _imports_os(tree)
    for name, value in _targets(tree):
        span = (starts[value.lineno - 1] + value.col_offset, starts[value.end_lineno - 1] + value.end_col_offset)
        literal = value.value if isinstance(value, ast.Constant) else None
        location = src.location(len(src.data[: span[0]].decode("utf-8", errors="replace")))
        collector.result.settings.append(
            Setting(
                "config",
                name,
                None if literal is None else str(literal),
                location,
                src.path,
                STYLE,
                expression=ast.get_source_segment(src.text, value) or "",
                env_without_int=_is_environ(value),
                value_span=span if isinstance(literal, int) and not isinstance(literal, bool) else None,
                needs_os_import=not has_os,
            )
        )
