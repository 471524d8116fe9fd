"""Kubernetes manifests (any YAML with apiVersion + kind): containers' command/args and env.

Kubernetes runs command/args without a shell and expands only `$(VAR)` from the container's
environment ("Define a command and arguments for a container", Kubernetes docs).
"""

from __future__ import annotations

from stacktune.lazy import lazy_import
from stacktune.workers.expansion import KUBERNETES
from stacktune.workers.formats.common import Collector
from stacktune.workers.formats.yamltools import documents, get, scalar, sequence
from stacktune.workers.model import SourceText

yaml = lazy_import("yaml")

STYLE = "kubernetes"
# Where the pod spec sits, per workload kind.
_POD_SPEC = {
    "Pod": ("spec",),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
_TEMPLATED = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"}


def matches(name: str, head: bytes) -> bool:
    return name.endswith((".yaml", ".yml")) and b"kind:" in head and b"apiVersion" in head


def _pod_spec(doc: yaml.Node) -> yaml.Node | None:
    kind = scalar(get(doc, "kind")) or ""
    path = _POD_SPEC.get(kind) or (("spec", "template", "spec") if kind in _TEMPLATED else None)
    node: yaml.Node | None = doc
    for key in path or ():
        node = get(node, key)
    return node if path else None


def _container(container: yaml.Node, collector: Collector) -> None:
    label = scalar(get(container, "name")) or ""
    env = get(container, "env")
    for var in env.value if isinstance(env, yaml.SequenceNode) else []:
        name = scalar(get(var, "name"))
        if name:
            collector.setting(name, scalar(get(var, "value")), var.start_mark.index, style=STYLE)
    found = [sequence(get(container, key)) for key in ("command", "args")]
    present = [f for f in found if f is not None]
    if present:
        collector.argv(
            tuple(argv for argv, _ in present),
            [slots for _, slots in present],
            style=STYLE,
            expansion=KUBERNETES,
            label=label,
        )


def read(src: SourceText, collector: Collector) -> None:
    try:
        docs = list(documents(src.text))
    except yaml.YAMLError as exc:
        collector.diagnose(getattr(getattr(exc, "problem_mark", None), "index", 0), f"YAML: {exc}")
        return
    for doc in docs:
        spec = _pod_spec(doc)
        for key in ("initContainers", "containers"):
            containers = get(spec, key)
            for container in containers.value if isinstance(containers, yaml.SequenceNode) else []:
                _container(container, collector)
