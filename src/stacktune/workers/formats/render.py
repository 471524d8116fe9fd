"""render.yaml blueprints: services[].startCommand (run by a shell on native runtimes),
dockerCommand (exec form, no shell) and envVars."""

from __future__ import annotations

from stacktune.lazy import lazy_import
from stacktune.workers.expansion import NONE, SHELL
from stacktune.workers.formats.common import Collector
from stacktune.workers.formats.yamltools import documents, get, scalar, scalar_slot
from stacktune.workers.model import SourceText

yaml = lazy_import("yaml")

STYLE = "render"


def matches(name: str, head: bytes) -> bool:
    return name in {"render.yaml", "render.yml"}


def read(src: SourceText, collector: Collector) -> None:
    try:
        doc = next(documents(src.text), None)
    except yaml.YAMLError as exc:
        collector.diagnose(0, f"YAML: {exc}")
        return
    services = get(doc, "services")
    for service in services.value if isinstance(services, yaml.SequenceNode) else []:
        label = scalar(get(service, "name")) or ""
        env_vars = get(service, "envVars")
        for var in env_vars.value if isinstance(env_vars, yaml.SequenceNode) else []:
            key = scalar(get(var, "key"))
            if key:
                collector.setting(key, scalar(get(var, "value")), var.start_mark.index, style=STYLE)
        start = get(service, "startCommand")
        if scalar(start) is not None:
            collector.shell(scalar_slot(start), style=STYLE, expansion=SHELL, container=True, label=label)
        docker = get(service, "dockerCommand")
        if scalar(docker) is not None:
            collector.string(scalar_slot(docker), style=STYLE, expansion=NONE, container=True, label=label)
