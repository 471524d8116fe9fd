"""Small readers over pglast's JSON parse tree: names, relation names, type names.

pglast's JSON wraps every node as {"NodeType": {fields}}; these helpers unwrap
the few shapes every statement converter needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from stacktune.model.events import RelName

Json = dict[str, Any]

# serial types are int columns with a sequence default, and NOT NULL.
_SERIAL_TYPES = {
    "serial": "int4",
    "serial4": "int4",
    "bigserial": "int8",
    "serial8": "int8",
    "smallserial": "int2",
    "serial2": "int2",
}


def unwrap(node: Json) -> tuple[str, Json]:
    """The node type and its fields: {"IndexElem": {...}} -> ("IndexElem", {...})."""
    ((kind, fields),) = node.items()
    return kind, fields


def strings(items: list[Json] | None) -> tuple[str, ...]:
    """A list of String nodes as plain strings (column lists, qualified names)."""
    return tuple(item["String"]["sval"] for item in items or () if "String" in item)


def last_name(items: list[Json] | None) -> str | None:
    """The last part of a qualified name (collation, operator class, type)."""
    names = strings(items)
    return names[-1] if names else None


def string_const(node: Json) -> str | None:
    """The value of a string constant node, None for anything else."""
    const = node.get("A_Const", {})
    return const["sval"].get("sval", "") if "sval" in const else None


def range_var(node: Json) -> RelName:
    """A RangeVar (table reference) as a RelName; the catalog part is irrelevant."""
    return RelName(node.get("schemaname"), node["relname"])


def qualified(items: list[Json]) -> RelName:
    """A dotted name list (DROP TABLE a.b) as a RelName."""
    names = strings(items)
    return RelName(names[-2] if len(names) > 1 else None, names[-1])


def type_name(node: Json) -> tuple[str, bool]:
    """PostgreSQL's internal type name and whether the type itself implies NOT NULL (serials)."""
    name = strings(node["names"])[-1]
    serial = name in _SERIAL_TYPES
    name = _SERIAL_TYPES.get(name, name)
    if node.get("arrayBounds"):
        name += "[]"
    return name, serial


def find_nodes(tree: object, kind: str) -> Iterator[Json]:
    """Every node of one type anywhere below `tree`, in document order."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            if key == kind:
                yield value
            yield from find_nodes(value, kind)
    elif isinstance(tree, list):
        for item in tree:
            yield from find_nodes(item, kind)
