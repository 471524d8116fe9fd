"""What an unindexed foreign key costs a write to the parent table, before and after `stacktune fix`.

For each size (child rows; a tenth as many parents, half of them referenced by
twenty children each, half by none) on a throwaway PostgreSQL:

  DELETE parent (NO ACTION)      delete a parent nobody references: PostgreSQL must look
                                 for referencing rows all the same
  DELETE parent (CASCADE)        delete a parent and, through the FK, its 20 children
  DELETE parent (SET NULL)       delete a parent and set its 20 children's FK to NULL
  UPDATE parent key (NO ACTION)  change the key of a parent nobody references

Each operation runs inside a transaction that is rolled back, so every run sees
the same rows; the table shows the median of the runs in ms. Then the schema's
repository is audited and fixed by stacktune itself (the real `stacktune fix`
migration, written to disk), that file is run on the database, and everything is
timed again.

    uv run --group bench python bench/impact.py            # 10k, 100k, 1M child rows
    uv run --group bench python bench/impact.py --quick    # 10k rows, 5 runs, seconds
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psycopg
from _plot import IMG_DIR, Panel, Series, format_table, machine_caption, save_chart

from stacktune.audit import AuditRequest, run_audit
from stacktune.fixes.apply import apply_edits
from stacktune.fixes.fk_fix import propose_fk_index_fix
from stacktune.fixes.fk_index_plan import PlanOptions
from stacktune.pg.server import fresh_database, throwaway_server

CHILDREN_PER_PARENT = 20  # for the referenced half of the parents
SCHEMA_FILE = "migrations/001_parents_and_children.sql"
# child table -> (ON DELETE action, NOT NULL?): SET NULL needs a nullable column, so
# stacktune's fix writes its partial `WHERE parent_id IS NOT NULL` form there.
CHILDREN = {
    "no_action": ("NO ACTION", True),
    "cascade": ("CASCADE", True),
    "set_null": ("SET NULL", False),
}


@dataclass(frozen=True, slots=True)
class Operation:
    label: str
    sql: str  # one parameter: the parent id
    referenced: bool  # pick a parent that has children (else one that has none)
    color: str


OPERATIONS = (
    Operation("DELETE parent (NO ACTION)", "DELETE FROM parent_no_action WHERE id = %s", False, "tab:blue"),
    Operation("DELETE parent (CASCADE)", "DELETE FROM parent_cascade WHERE id = %s", True, "tab:red"),
    Operation("DELETE parent (SET NULL)", "DELETE FROM parent_set_null WHERE id = %s", True, "tab:green"),
    Operation(
        "UPDATE parent key (NO ACTION)", "UPDATE parent_no_action SET id = -id WHERE id = %s", False, "tab:purple"
    ),
)


@dataclass(frozen=True, slots=True)
class Timing:
    median_ms: float
    runs: int
    capped: bool  # stopped early: the time budget ran out


@dataclass(frozen=True, slots=True)
class Row:
    child_rows: int
    operation: Operation
    before: Timing
    after: Timing

    @property
    def speedup(self) -> float:
        return self.before.median_ms / self.after.median_ms


def schema_sql() -> str:
    """The benchmark's schema as the migration a project would have written: FKs, no indexes on them."""
    parts = []
    for name, (action, not_null) in CHILDREN.items():
        null = " NOT NULL" if not_null else ""
        parts.append(
            f"CREATE TABLE parent_{name} (id bigint PRIMARY KEY, name text NOT NULL);\n"
            f"CREATE TABLE child_{name} (\n"
            "    id bigint PRIMARY KEY,\n"
            f"    parent_id bigint{null} REFERENCES parent_{name} (id) ON DELETE {action},\n"
            "    payload text NOT NULL,\n"
            "    created_at timestamptz NOT NULL DEFAULT now()\n"
            ");\n"
        )
    return "\n".join(parts)


def write_fix_migration(repo: Path) -> tuple[str, str]:
    """Audit the repository and write stacktune's fix; (relative path, SQL) of the new migration."""
    result = run_audit(AuditRequest(root=repo))
    proposal = propose_fk_index_fix(result, PlanOptions())
    if proposal.fix is None or not proposal.fix.edits:
        raise SystemExit(f"stacktune fix proposed nothing: {proposal.messages}")
    written = apply_edits(repo, proposal.fix.edits)
    if len(written) != 1:
        raise SystemExit(f"expected one migration file, stacktune fix wrote {written}")
    return written[0], (repo / written[0]).read_text(encoding="utf-8")


def parents_for(child_rows: int) -> int:
    return max(2, child_rows * 2 // CHILDREN_PER_PARENT)


def load(conn: psycopg.Connection, child_rows: int) -> None:
    """Parents 1..P; children point at parents 1..P/2 only, so P/2+1..P are referenced by nobody."""
    parents = parents_for(child_rows)
    referenced = parents // 2
    for name in CHILDREN:
        conn.execute(
            f"INSERT INTO parent_{name} (id, name) SELECT g, 'parent ' || g FROM generate_series(1, %s) g",
            (parents,),
        )
        conn.execute(
            f"INSERT INTO child_{name} (id, parent_id, payload)"
            " SELECT g, (g %% %s) + 1, md5(g::text) FROM generate_series(1, %s) g",
            (referenced, child_rows),
        )
    conn.execute("VACUUM ANALYZE")


def time_operation(url: str, operation: Operation, child_rows: int, runs: int, budget_s: float) -> Timing:
    """Median ms of `runs` rolled-back executions on one parent each; fewer when the budget runs out."""
    parents = parents_for(child_rows)
    low, high = (1, parents // 2) if operation.referenced else (parents // 2 + 1, parents)
    pick = random.Random(f"{operation.label}/{child_rows}")
    samples: list[float] = []
    # A fresh session: no plan cached before the index existed; one untimed run warms the cache.
    with psycopg.connect(url, autocommit=True) as conn:
        started = time.perf_counter()
        for attempt in range(runs + 1):
            with conn.transaction(force_rollback=True):
                t0 = time.perf_counter()
                cursor = conn.execute(operation.sql, (pick.randint(low, high),))
                elapsed = time.perf_counter() - t0
            if cursor.rowcount != 1:
                raise SystemExit(f"{operation.label}: touched {cursor.rowcount} parent rows, expected 1")
            if attempt:
                samples.append(elapsed * 1000)
            if len(samples) >= 3 and time.perf_counter() - started > budget_s:
                return Timing(statistics.median(samples), len(samples), len(samples) < runs)
    return Timing(statistics.median(samples), len(samples), False)


def run_size(server: str, child_rows: int, fix_sql: str, runs: int, budget_s: float) -> list[Row]:
    with fresh_database(server) as url:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(schema_sql())
            load(conn, child_rows)
        before = [time_operation(url, op, child_rows, runs, budget_s) for op in OPERATIONS]
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(fix_sql)
            conn.execute("ANALYZE")
        after = [time_operation(url, op, child_rows, runs, budget_s) for op in OPERATIONS]
    return [Row(child_rows, op, b, a) for op, b, a in zip(OPERATIONS, before, after, strict=True)]


def table(rows: Sequence[Row]) -> str:
    header = ["child rows", "operation", "runs", "no index ms", "stacktune index ms", "speed-up"]
    cells = [
        [
            f"{row.child_rows:,}",
            row.operation.label,
            f"{_runs(row.before)}/{_runs(row.after)}",
            f"{row.before.median_ms:.3f}",
            f"{row.after.median_ms:.3f}",
            f"{row.speedup:.1f}x",
        ]
        for row in rows
    ]
    return format_table(header, cells, "rlrrrr")


def _runs(timing: Timing) -> str:
    return f"{timing.runs}*" if timing.capped else str(timing.runs)


def plot(rows: Sequence[Row], caption: str, path: Path) -> Path:
    sizes = sorted({row.child_rows for row in rows})
    series = []
    for op in OPERATIONS:
        mine = sorted((r for r in rows if r.operation == op), key=lambda r: r.child_rows)
        xs = [r.child_rows for r in mine]
        series.append(Series(f"{op.label}, no index", xs, [r.before.median_ms for r in mine], op.color))
        series.append(Series(f"{op.label}, stacktune fix", xs, [r.after.median_ms for r in mine], op.color, True, "s"))
    panel = Panel(
        "median time of one statement (rolled back)",
        "child table rows",
        "ms per operation (log)",
        series,
        log_x=True,
        log_y=True,
        xticks=sizes,
        legend_outside=True,
    )
    return save_chart(path, "A write to the parent table, without and with the FK index", caption, [panel])


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", help="child rows per size (default 10000 100000 1000000)")
    parser.add_argument("--runs", type=int, help="timed runs per operation (default 15; --quick 5)")
    parser.add_argument("--budget", type=float, default=30.0, help="seconds per operation and phase before fewer runs")
    parser.add_argument("--quick", action="store_true", help="10k rows, 5 runs: a check that it all works")
    parser.add_argument("--server-url", help="use this PostgreSQL server (a database is created and dropped)")
    parser.add_argument("--plot", type=Path, default=IMG_DIR / "impact.png", help="PNG to write")
    parser.add_argument("--no-plot", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    args.sizes = args.sizes or ([10_000] if args.quick else [10_000, 100_000, 1_000_000])
    args.runs = args.runs or (5 if args.quick else 15)
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="stacktune-bench-") as tmp:
        repo = Path(tmp)
        (repo / SCHEMA_FILE).parent.mkdir(parents=True)
        (repo / SCHEMA_FILE).write_text(schema_sql(), encoding="utf-8")
        fix_path, fix_sql = write_fix_migration(repo)
    print(f"stacktune fix wrote {fix_path}:\n{fix_sql}")
    with throwaway_server(args.server_url) as server:
        caption = machine_caption(server)
        print(f"machine: {caption}\n", flush=True)
        rows = []
        for size in args.sizes:
            rows += run_size(server, size, fix_sql, args.runs, args.budget)
            print(f"  {size:,} child rows done", file=sys.stderr, flush=True)
    print(table(rows))
    if any(r.before.capped or r.after.capped for r in rows):
        print(f"* fewer runs than {args.runs}: stopped after {args.budget:g} s for that operation (--budget)")
    if not args.no_plot:
        print(f"\nplot: {plot(rows, caption, args.plot)}")


if __name__ == "__main__":
    main()
