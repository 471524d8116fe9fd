"""How `stacktune audit` scales with the size of a repository.

Generates backends of 250, 2,500 and 10,000 numbered SQL migrations (about 6 KB
each, like a real backend's: tables, FKs, indexes, DO-block guards, data
fixes) plus 150 SQLAlchemy models and 300 ordinary Python modules, then runs the
whole `stacktune audit` process on each and prints wall time and peak memory,
next to the time it takes only to parse those files (pglast + ast).

    uv run python bench/audit_scale.py            # 250, 2500, 10000
    uv run python bench/audit_scale.py --sizes 250
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pglast.parser import parse_sql_json

MODEL_COUNT = 150
PLAIN_MODULES = 300


def migration_sql(n: int) -> str:
    table = f"t{n:05d}"
    # Each table references earlier ones (the first references itself), as real schemas grow.
    parent = f"t{max(n - 1, 1):05d}"
    other = f"t{max(n // 2, 1):05d}"
    rows = ",\n".join(f"    ({i}, 'item {i} of {table}', now())" for i in range(130))
    guard = (
        f"DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fk_{table}_other') THEN\n"
        f"    ALTER TABLE {table} ADD CONSTRAINT fk_{table}_other FOREIGN KEY (other_id) REFERENCES {other}(id);\n"
        "  END IF;\nEND $$;\n"
    )
    return (
        f"-- Migration {n}: {table} (generated for the scale benchmark)\n"
        f"-- 说明：为 {table} 建表并补充索引\n"
        f"CREATE TABLE IF NOT EXISTS {table} (\n"
        "    id BIGSERIAL PRIMARY KEY,\n"
        f"    parent_id BIGINT REFERENCES {parent}(id) ON DELETE CASCADE,\n"
        "    other_id BIGINT,\n"
        "    owner_id BIGINT,\n"
        "    name TEXT NOT NULL,\n"
        "    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),\n"
        "    deleted_at TIMESTAMPTZ\n"
        ");\n"
        f"CREATE INDEX IF NOT EXISTS idx_{table}_created ON {table} (created_at);\n"
        f"CREATE INDEX IF NOT EXISTS idx_{table}_owner_created ON {table} (created_at, owner_id)"
        " WHERE deleted_at IS NULL;\n"
        + (guard if n % 3 == 0 else "")
        + f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS note TEXT;\n"
        f"COMMENT ON TABLE {table} IS 'generated table {n}';\n"
        f"INSERT INTO {table} (id, name, created_at) VALUES\n{rows}\nON CONFLICT DO NOTHING;\n"
        f"UPDATE {table} SET note = 'backfilled' WHERE note IS NULL AND created_at < now();\n"
    )


def models_py(count: int) -> str:
    lines = [
        "from sqlalchemy import BigInteger, Column, ForeignKey, Index, String, DateTime",
        "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column",
        "",
        "",
        "class Base(DeclarativeBase):",
        "    pass",
        "",
    ]
    for i in range(count):
        parent = f"m{max(i - 1, 0):04d}"  # m0000 references itself
        lines += [
            "",
            f"class Model{i}(Base):",
            f'    __tablename__ = "m{i:04d}"',
            f'    __table_args__ = (Index("ix_m{i:04d}_name_created", "name", "created_at"),)',
            "    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)",
            f'    parent_id: Mapped[int | None] = mapped_column(ForeignKey("{parent}.id", ondelete="CASCADE"))',
            "    owner_id = Column(BigInteger, index=True)",
            "    name: Mapped[str] = mapped_column(String(200))",
            "    created_at = Column(DateTime(timezone=True))",
            "",
        ]
    return "\n".join(lines)


PLAIN_MODULE = '''"""Service module {n}: ordinary application code, not models."""

import logging

log = logging.getLogger(__name__)


def handle_{n}(payload: dict) -> dict:
    result = {{k: v for k, v in payload.items() if v is not None}}
    log.info("handled %s keys", len(result))
    return result
'''


def generate(root: Path, migrations: int) -> None:
    folder = root / "backend" / "migrations"
    folder.mkdir(parents=True)
    for n in range(1, migrations + 1):
        (folder / f"{n:05d}_step_{n}.sql").write_text(migration_sql(n), encoding="utf-8")
    app = root / "backend" / "app"
    (app / "services").mkdir(parents=True)
    (app / "models.py").write_text(models_py(MODEL_COUNT), encoding="utf-8")
    for n in range(PLAIN_MODULES):
        (app / "services" / f"service_{n}.py").write_text(PLAIN_MODULE.format(n=n), encoding="utf-8")


def parse_only(root: Path) -> float:
    """The floor: parse every migration with pglast and every Python file with ast, nothing else."""
    start = time.perf_counter()
    for path in sorted((root / "backend" / "migrations").iterdir()):
        json.loads(parse_sql_json(path.read_text(encoding="utf-8")))
    for path in (root / "backend" / "app").rglob("*.py"):
        ast.parse(path.read_bytes())
    return time.perf_counter() - start


def run_audit(root: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB and exit status of a whole `stacktune audit` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "stacktune", "audit", str(root), "--format", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"audit failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 2500, 10000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the best is reported")
    args = parser.parse_args()
    print(f"{'migrations':>10} {'SQL MB':>7} {'parse s':>8} {'audit s':>8} {'ratio':>6} {'peak MiB':>9}")
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="stacktune-bench-") as tmp:
            root = Path(tmp)
            generate(root, size)
            sql_bytes = sum(p.stat().st_size for p in (root / "backend" / "migrations").iterdir())
            floor = min(parse_only(root) for _ in range(args.repeat))
            runs = [run_audit(root) for _ in range(args.repeat)]
            best = min(r[0] for r in runs)
            peak = max(r[1] for r in runs)
            print(
                f"{size:>10} {sql_bytes / 1e6:>7.2f} {floor:>8.3f} {best:>8.3f} {best / floor:>6.1f} {peak:>9.0f}",
                flush=True,
            )
    print(f"(whole process, best of {args.repeat}; {os.cpu_count()} CPUs; parse = pglast + ast only, in-process)")


if __name__ == "__main__":
    main()
