"""How fast does the live catalog reader read a big database?

Builds 2,000 tables with 4,000 foreign keys (and an index per table) on a
throwaway PostgreSQL in one generated script, then times read_catalog and
measures its peak Python memory. Run: uv run python bench/live_catalog.py
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

from stacktune.live.catalog import read_catalog
from stacktune.pg.connect import connect
from stacktune.pg.server import throwaway_server


def build_script(tables: int, fks_per_table: int) -> str:
    """One script: every table first, then the FKs (table i -> i+1, i+2, ... mod N), then indexes."""
    parts = ["BEGIN;"]
    for i in range(tables):
        refs = ", ".join(f"ref{k} int" for k in range(fks_per_table))
        parts.append(
            f"CREATE TABLE t{i:05} (id int PRIMARY KEY, {refs}, name text NOT NULL, "
            f"created_at timestamptz, note varchar(200), CONSTRAINT t{i:05}_chk CHECK (id > 0));"
        )
    for i in range(tables):
        for k in range(fks_per_table):
            target = (i + k + 1) % tables
            parts.append(f"ALTER TABLE t{i:05} ADD FOREIGN KEY (ref{k}) REFERENCES t{target:05};")
        parts.append(f"CREATE INDEX ON t{i:05} (ref0) WHERE ref0 IS NOT NULL;")
    parts.append("COMMIT;")
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tables", type=int, default=2000)
    parser.add_argument("--fks-per-table", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with throwaway_server() as uri, connect(uri, read_only=False, statement_timeout_ms=None) as conn:
        started = time.perf_counter()
        conn.execute(build_script(args.tables, args.fks_per_table))
        print(
            f"built {args.tables} tables / {args.tables * args.fks_per_table} FKs"
            f" in {time.perf_counter() - started:.1f} s"
        )

        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            schema = read_catalog(conn)
            timings.append(time.perf_counter() - started)
        fks = sum(len(t.foreign_keys) for t in schema.tables.values())
        indexes = sum(len(t.indexes) for t in schema.tables.values())
        print(f"read {len(schema.tables)} tables, {fks} FKs, {indexes} indexes")
        print(f"read_catalog: best {min(timings):.3f} s, worst {max(timings):.3f} s over {args.runs} runs")

        tracemalloc.start()
        read_catalog(conn)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"read_catalog peak Python memory: {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
