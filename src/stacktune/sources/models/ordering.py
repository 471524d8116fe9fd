"""create_all's table order: sqlalchemy.sql.ddl.sort_tables_and_constraints, re-done on indices.

Tables come in MetaData insertion order; a layered topological sort keeps that order
within each layer. When foreign keys form a cycle, every FK of every table in the cycle
is left out of CREATE TABLE and added by ALTER TABLE after all tables, as SQLAlchemy does.
"""

from __future__ import annotations

from collections.abc import Iterator


def _layers(edges: set[tuple[int, int]], count: int) -> Iterator[list[int]]:
    """sqlalchemy.util.topological.sort_as_subsets; raises ValueError on a cycle."""
    parents: dict[int, set[int]] = {i: set() for i in range(count)}
    for parent, child in edges:
        parents[child].add(parent)
    todo = list(range(count))
    pending = set(todo)
    while pending:
        layer = [n for n in todo if pending.isdisjoint(parents[n])]
        if not layer:
            raise ValueError("cycle")
        pending.difference_update(layer)
        todo = [n for n in todo if n in pending]
        yield layer


def _cycle_members(edges: set[tuple[int, int]]) -> set[int]:
    """sqlalchemy.util.topological.find_cycles: every node on some cycle."""
    children: dict[int, set[int]] = {}
    for parent, child in edges:
        children.setdefault(parent, set()).add(child)
    out: set[int] = set()
    for start in children:
        stack, todo = [start], set(children) - {start}
        while stack:
            top = stack[-1]
            for node in sorted(children.get(top, ())):
                if node in stack:
                    out.update(stack[stack.index(node):])
                if node in todo:
                    stack.append(node)
                    todo.discard(node)
                    break
            else:
                stack.pop()
    return out


def create_all_order(fk_targets: list[list[int | None]]) -> tuple[list[int], set[int]]:
    """Given, per table, the table index each of its FKs refers to (None: unknown or use_alter),
    return the CREATE order and the tables whose FKs all move to ALTER TABLE."""
    count = len(fk_targets)
    edges = {(p, child) for child, targets in enumerate(fk_targets) for p in targets if p is not None and p != child}
    try:
        return [n for layer in _layers(edges, count) for n in layer], set()
    except ValueError:
        cyclic = _cycle_members(edges)
    edges = {(p, c) for p, c in edges if c not in cyclic}
    return [n for layer in _layers(edges, count) for n in layer], cyclic
