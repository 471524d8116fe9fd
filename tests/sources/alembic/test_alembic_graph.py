"""The static revision order equals real Alembic's (ScriptDirectory.walk_revisions, no database)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sources.alembic.alembic_helpers import make_project, revision_text

from stacktune.model.location import Location
from stacktune.sources.alembic import find_alembic_projects, read_alembic
from stacktune.sources.alembic.graph import build_graph
from stacktune.sources.alembic.revisions import Revision


def alembic_order(root: Path) -> list[str]:
    config = Config(str(root / "alembic.ini"))
    script = ScriptDirectory.from_config(config)
    return [s.revision for s in reversed(list(script.walk_revisions("base", "heads")))]


def static_order(root: Path) -> list[str]:
    projects, _ = find_alembic_projects(root)
    source = read_alembic(root, projects[0])
    return [Path(f).name.removesuffix(".py") for f in source.files]


def random_project(root: Path, seed: int) -> Path:
    rng = random.Random(seed)
    ids: list[str] = []
    revisions = {}
    for n in range(30):
        rev = f"r{rng.randrange(16**6):06x}"
        if not ids:
            down, deps = None, None
        else:
            parents = rng.sample(ids, k=min(len(ids), rng.choice((1, 1, 1, 2))))
            down = parents[0] if len(parents) == 1 else tuple(parents)
            deps = rng.choice(ids) if rng.random() < 0.2 else None
            if deps is not None and deps in parents:
                deps = None
        ids.append(rev)
        revisions[f"{rev}.py"] = revision_text(rev, down, depends_on=deps)
        del n
    return make_project(root, revisions)


@pytest.mark.parametrize("seed", range(12))
def test_order_equals_alembic_walk(tmp_path: Path, seed: int) -> None:
    root = random_project(tmp_path, seed)
    assert static_order(root) == alembic_order(root)


def test_merge_and_depends_on_order_equals_alembic(tmp_path: Path) -> None:
    root = make_project(tmp_path, {
        "a.py": revision_text("a", None, labels="core"),
        "b.py": revision_text("b", "a"),
        "c.py": revision_text("c", "a"),
        "d.py": revision_text("d", ("b", "c")),
        "e.py": revision_text("e", "b", depends_on="c"),
        "x.py": revision_text("x", None, depends_on="core"),
    })
    order = static_order(root)
    assert order == alembic_order(root)
    assert order.index("d") > max(order.index("b"), order.index("c"))


def _rev(rev: str, *down: str) -> Revision:
    return Revision(rev, down, (), (), Location(f"{rev}.py"))


def test_missing_parent_and_cycle_are_diagnostics() -> None:
    graph = build_graph([_rev("a"), _rev("b", "a"), _rev("c", "gone"), _rev("x", "y"), _rev("y", "x")])
    messages = [d.message for d in graph.diagnostics]
    assert any("down_revision gone of c is not present" in m for m in messages)
    assert any("cycle" in m and "x" in m and "y" in m for m in messages)
    assert sorted(graph.order) == ["a", "b", "c"]
    assert graph.order.index("a") < graph.order.index("b")


def test_heads_and_duplicates() -> None:
    graph = build_graph([_rev("a"), _rev("b", "a"), _rev("c", "a"), _rev("c", "a")])
    assert graph.heads == ("b", "c")
    assert any("present more than once" in d.message for d in graph.diagnostics)
