"""docker compose: services.*.command / entrypoint (string or list) and environment.

Compose runs no shell: a string command is split into words, and `${VAR:-x}` anywhere in the
file is interpolated from the host environment / project .env when the file is loaded.
"""

from __future__ import annotations

from stacktune.lazy import lazy_import
from stacktune.workers.expansion import COMPOSE
from stacktune.workers.formats.common import Collector
from stacktune.workers.formats.yamltools import (
    documents,
    get,
    items,
    scalar,
    scalar_slot,
    sequence,
)
from stacktune.workers.model import SourceText

yaml = lazy_import("yaml")

STYLE = "compose"


def matches(name: str, head: bytes) -> bool:
    return name.startswith(("docker-compose", "compose")) and name.endswith((".yml", ".yaml"))


def environment(node: yaml.Node | None, collector: Collector, style: str) -> None:
    """`environment:` as a mapping or a list of KEY=VALUE strings."""
    for key, value in items(node):
        collector.setting(key, scalar(value), value.start_mark.index, style=style)
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            text = scalar(item) or ""
            key, _, value = text.partition("=")
            collector.setting(key, value, item.start_mark.index, style=style)


def command(node: yaml.Node | None, collector: Collector, *, style: str, expansion, label: str) -> None:
    if isinstance(node, yaml.ScalarNode):
        collector.string(scalar_slot(node), style=style, expansion=expansion, container=True, label=label)
        return
    found = sequence(node)
    if found is not None:
        argv, slots = found
        collector.argv((argv,), [slots], style=style, expansion=expansion, label=label)


def read(src: SourceText, collector: Collector) -> None:
    try:
        docs = list(documents(src.text))
    except yaml.YAMLError as exc:
        collector.diagnose(getattr(getattr(exc, "problem_mark", None), "index", 0), f"YAML: {exc}")
        return
    for doc in docs:
        for name, service in items(get(doc, "services")):
            environment(get(service, "environment"), collector, STYLE)
            for key in ("entrypoint", "command"):
                command(get(service, key), collector, style=STYLE, expansion=COMPOSE, label=name)
