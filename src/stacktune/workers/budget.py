"""Connection budget: workers x processes x SQLAlchemy pool against PostgreSQL's max_connections."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from stacktune.model.location import Location
from stacktune.sources.walk import iter_files, relpath

# SQLAlchemy's QueuePool defaults (create_engine docs): pool_size=5, max_overflow=10.
DEFAULT_POOL_SIZE = 5
DEFAULT_MAX_OVERFLOW = 10
# PostgreSQL's default max_connections, of which superuser_reserved_connections (3) are not ours.
DEFAULT_MAX_CONNECTIONS = 100
RESERVED_CONNECTIONS = 3


@dataclass(frozen=True, slots=True)
class Engine:
    location: Location
    pool_size: int
    max_overflow: int
    null_pool: bool = False

    @property
    def connections(self) -> int:
        """The most connections one process can hold through this engine."""
        return 1 if self.null_pool else self.pool_size + self.max_overflow


@dataclass(frozen=True, slots=True)
class Budget:
    processes: int  # worker processes across all worker commands
    per_process: int  # connections one process may hold (all engines)
    max_connections: int
    engines: tuple[Engine, ...]

    @property
    def demand(self) -> int:
        return self.processes * self.per_process

    @property
    def available(self) -> int:
        return self.max_connections - RESERVED_CONNECTIONS

    @property
    def exceeded(self) -> bool:
        return bool(self.engines) and self.demand > self.available


def _int_kw(call: ast.Call, name: str, default: int) -> int:
    for kw in call.keywords:
        if kw.arg == name and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, int):
            return kw.value.value
    return default


def _is_create_engine(call: ast.Call) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name in {"create_engine", "create_async_engine"}


def engines(root: Path) -> list[Engine]:
    """Every create_engine call in the project's Python, with its pool figures."""
    found: list[Engine] = []
    for path in iter_files(root, (".py",)):
        try:
            data = path.read_bytes()
            if b"create_engine" not in data:
                continue
            tree = ast.parse(data)
        except (OSError, SyntaxError, ValueError):
            continue  # unreadable or broken files are the Python sources' diagnostics, not ours
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _is_create_engine(node):
                null_pool = any(
                    kw.arg == "poolclass" and "NullPool" in ast.unparse(kw.value) for kw in node.keywords
                )
                found.append(
                    Engine(
                        Location(relpath(path, root), node.lineno, node.col_offset + 1),
                        _int_kw(node, "pool_size", DEFAULT_POOL_SIZE),
                        _int_kw(node, "max_overflow", DEFAULT_MAX_OVERFLOW),
                        null_pool,
                    )
                )
    return found


def budget(processes: int, found: list[Engine], max_connections: int = DEFAULT_MAX_CONNECTIONS) -> Budget:
    return Budget(processes, sum(e.connections for e in found), max_connections, tuple(found))


def live_max_connections(database_url: str) -> int:
    """`SHOW max_connections` on a live server (psycopg; raises psycopg.Error)."""
    import psycopg

    with psycopg.connect(database_url, connect_timeout=10) as conn:
        row = conn.execute("SHOW max_connections").fetchone()
    return int(row[0]) if row else DEFAULT_MAX_CONNECTIONS
