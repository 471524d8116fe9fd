"""YAML nodes with positions (yaml.compose keeps marks), and writing a value back as YAML."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from stacktune.lazy import lazy_import
from stacktune.workers.model import ArgvList, Slot

yaml = lazy_import("yaml")

if TYPE_CHECKING:
    from yaml import Node


def documents(text: str) -> Iterator[Node]:
    """Every document of a (multi-document) YAML stream; raises yaml.YAMLError."""
    for node in yaml.compose_all(text, Loader=yaml.SafeLoader):
        if node is not None:
            yield node


def get(node: Node | None, key: str) -> Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def items(node: Node | None) -> list[tuple[str, Node]]:
    if not isinstance(node, yaml.MappingNode):
        return []
    return [(k.value, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]


def scalar(node: Node | None) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _plain_ok(value: str) -> bool:
    if not value or "\n" in value or value != value.strip():
        return False
    try:
        return yaml.safe_load(f"k: {value}\n") == {"k": value}
    except yaml.YAMLError:
        return False


def encode_scalar(value: str, block: bool = False) -> str:
    """`value` as a YAML scalar: plain when it reads back the same, else double-quoted."""
    text = value if _plain_ok(value) else json.dumps(value, ensure_ascii=False)
    return text + "\n" if block else text


def scalar_slot(node: yaml.ScalarNode) -> Slot:
    block = node.style in ("|", ">")
    return Slot(
        node.start_mark.index,
        node.end_mark.index,
        node.value,
        (lambda new: encode_scalar(new, block)),
    )


def encode_flow(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


def sequence(node: Node | None) -> tuple[ArgvList, list[Slot]] | None:
    """A sequence of strings as an exec-form list, or None when it is not one."""
    if not isinstance(node, yaml.SequenceNode) or not all(isinstance(n, yaml.ScalarNode) for n in node.value):
        return None
    slots = [scalar_slot(n) for n in node.value]
    # A block sequence's end mark is the next key's position: end at its last item instead.
    end = node.end_mark.index if node.flow_style or not node.value else node.value[-1].end_mark.index
    argv = ArgvList(node.start_mark.index, end, tuple(s.value for s in slots), encode_flow)
    return argv, slots
