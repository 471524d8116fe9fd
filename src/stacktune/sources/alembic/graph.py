"""The revision graph, built and ordered as Alembic's RevisionMap does, without importing anything.

`alembic upgrade heads` on an empty database applies
`reversed(RevisionMap.iterate_revisions("heads", None))`: a walk from the heads
down that emits a revision only once no other pending head still needs it,
with ties broken by the order the files were loaded (version folders in
order, file names sorted). `upgrade_order` mirrors that walk step by step.
Where Alembic would refuse the whole graph (a missing parent, a cycle, a
duplicate id) the problem is a Diagnostic and the rest is still ordered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from stacktune.model.diagnostics import Diagnostic
from stacktune.sources.alembic.revisions import Revision


@dataclass(slots=True)
class RevisionGraph:
    revisions: dict[str, Revision]  # in load order
    order: list[str]  # upgrade order from an empty database to every head
    heads: tuple[str, ...]  # what `alembic heads` lists (down_revision only, not depends_on)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def branch_labels(self, revision: str) -> tuple[str, ...]:
        """The labels of `revision` and of its ancestors along down_revision."""
        labels: list[str] = []
        stack, seen = [revision], set()
        while stack:
            rev = self.revisions.get(stack.pop())
            if rev is None or rev.revision in seen:
                continue
            seen.add(rev.revision)
            labels += [label for label in rev.branch_labels if label not in labels]
            stack.extend(rev.down_revisions)
        return tuple(labels)


def _dedupe(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


@dataclass(slots=True)
class _Links:
    """Resolved edges: Alembic's _versioned_down_revisions and _resolved_dependencies."""

    down: dict[str, tuple[str, ...]] = field(default_factory=dict)
    deps: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def parents(self, rev: str) -> tuple[str, ...]:
        return _dedupe(self.down[rev] + self.deps[rev])


def build_graph(revisions: Sequence[Revision]) -> RevisionGraph:
    diagnostics: list[Diagnostic] = []
    by_id: dict[str, Revision] = {}
    for rev in revisions:
        if rev.revision in by_id:
            first = by_id[rev.revision].location
            diagnostics.append(Diagnostic(rev.location, f"revision {rev.revision} is present more than once"
                                          f" (also {first}); Alembic keeps this one"))
        by_id[rev.revision] = rev
    links = _resolve(by_id, diagnostics)
    _drop_cycles(by_id, links, diagnostics)
    nextrev = {rid: set() for rid in by_id}
    all_nextrev = {rid: set() for rid in by_id}
    for rid in by_id:
        for parent in links.down[rid]:
            nextrev[parent].add(rid)
        for parent in links.parents(rid):
            all_nextrev[parent].add(rid)
    heads = tuple(rid for rid in by_id if not nextrev[rid])
    real_heads = [rid for rid in by_id if not all_nextrev[rid]]
    normalized, with_deps = _normalized_down(by_id, links)
    order = list(reversed(_topological_sort(list(by_id), real_heads, normalized, with_deps, links)))
    return RevisionGraph(by_id, order, heads, diagnostics)


def _resolve(by_id: dict[str, Revision], diagnostics: list[Diagnostic]) -> _Links:
    labels: dict[str, str] = {}
    for rev in by_id.values():
        for label in rev.branch_labels:
            if label in by_id or label in labels:
                diagnostics.append(Diagnostic(rev.location, f"branch label {label!r} of {rev.revision} is already used"))
            else:
                labels[label] = rev.revision
    links = _Links()
    for rid, rev in by_id.items():
        missing = [p for p in rev.down_revisions if p not in by_id]
        for parent in missing:
            diagnostics.append(Diagnostic(rev.location, f"down_revision {parent} of {rid} is not present;"
                                          " read as if it were a base"))
        links.down[rid] = _dedupe([p for p in rev.down_revisions if p in by_id])
        deps: list[str] = []
        for dep in rev.depends_on:
            target = dep if dep in by_id else labels.get(dep)
            if target is None:
                diagnostics.append(Diagnostic(rev.location, f"depends_on {dep} of {rid} is not present; ignored"))
            else:
                deps.append(target)
        links.deps[rid] = _dedupe(deps)
    return links


def _drop_cycles(by_id: dict[str, Revision], links: _Links, diagnostics: list[Diagnostic]) -> None:
    """Revisions on or after a cycle can never be applied (Alembic refuses the map): drop them."""
    pending = {rid: len(links.parents(rid)) for rid in by_id}
    children: dict[str, list[str]] = {rid: [] for rid in by_id}
    for rid in by_id:
        for parent in links.parents(rid):
            children[parent].append(rid)
    ready = [rid for rid, count in pending.items() if count == 0]
    while ready:
        for child in children[ready.pop()]:
            pending[child] -= 1
            if pending[child] == 0:
                ready.append(child)
    stuck = [rid for rid, count in pending.items() if count > 0]
    if not stuck:
        return
    first = by_id[stuck[0]].location
    diagnostics.append(Diagnostic(first, f"the revision graph has a cycle; these revisions are not read: {', '.join(stuck)}"))
    for rid in stuck:
        del by_id[rid]
        del links.down[rid]
        del links.deps[rid]


def _versioned_ancestors(rid: str, links: _Links) -> set[str]:
    seen: set[str] = set()
    stack = list(links.down[rid])
    while stack:
        rev = stack.pop()
        if rev not in seen:
            seen.add(rev)
            stack.extend(links.down[rev])
    return seen


def _normalized_down(by_id: dict[str, Revision], links: _Links) -> tuple[dict[str, tuple[str, ...]], set[str]]:
    """Alembic's _normalized_down_revisions (dependencies an ancestor already has are left out),
    and the revisions whose normalized dependencies are not empty."""
    out: dict[str, tuple[str, ...]] = {}
    with_deps: set[str] = set()
    for rid in by_id:
        deps = links.deps[rid]
        if deps:
            inherited = {d for anc in _versioned_ancestors(rid, links) for d in links.deps[anc]}
            deps = tuple(d for d in deps if d not in inherited)
        if deps:
            with_deps.add(rid)
        out[rid] = _dedupe(links.down[rid] + deps)
    return out, with_deps


def _ancestors(rid: str, normalized: dict[str, tuple[str, ...]]) -> set[str]:
    seen: set[str] = set()
    stack = [rid]
    while stack:
        rev = stack.pop()
        if rev not in seen:
            seen.add(rev)
            stack.extend(normalized[rev])
    return seen


def _topological_sort(
    load_order: list[str],
    heads: list[str],
    normalized: dict[str, tuple[str, ...]],
    with_deps: set[str],
    links: _Links,
) -> list[str]:
    """RevisionMap._topological_sort, heads first; the caller reverses it into upgrade order."""
    todo = set(load_order)
    position = {rid: i for i, rid in enumerate(load_order)}
    current = sorted(set(heads), key=position.__getitem__)
    ancestors = [_ancestors(h, normalized) for h in current]
    output: list[str] = []
    idx = 0
    while current:
        candidate = current[idx]
        blocker = next((j for j, anc in enumerate(ancestors) if j != idx and candidate in anc), None)
        if blocker is not None:
            idx = blocker  # another head still needs this one: walk that head first
            continue
        if candidate in todo:
            output.append(candidate)
            todo.remove(candidate)
        to_add = [r for r in normalized[candidate] if r in todo and r not in current]
        if not to_add:
            del current[idx]
            del ancestors[idx]
            idx = max(idx - 1, 0)
        elif candidate not in with_deps and len(links.down[candidate]) == 1:
            current[idx] = to_add[0]
            ancestors[idx].discard(candidate)
        else:
            current[idx] = to_add[0]
            current.extend(to_add[1:])
            ancestors[idx] = _ancestors(to_add[0], normalized)
            ancestors.extend(_ancestors(h, normalized) for h in to_add[1:])
    return output
