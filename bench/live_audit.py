"""How long does `stacktune audit --database-url` take on a database of 2,000 tables / 4,000 FKs?

Builds the database with bench/live_catalog.py's script on a throwaway PostgreSQL, then
times the whole command (catalog, checks, workload ranking, report) in-process and as a
fresh process (start-up included). Run: uv run python bench/live_audit.py
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parent))
from live_catalog import build_script  # noqa: E402

from stacktune.audit import AuditRequest, run_audit  # noqa: E402
from stacktune.live.workload import enrich  # noqa: E402
from stacktune.pg.connect import connect  # noqa: E402
from stacktune.pg.server import throwaway_server  # noqa: E402
from stacktune.report import text  # noqa: E402


def in_process(uri: str) -> tuple[float, float, int]:
    """(audit + text report seconds, workload ranking seconds, findings)."""
    started = time.perf_counter()
    result = run_audit(AuditRequest(root=Path("."), database_url=uri))
    text.render(result, Console(file=io.StringIO(), width=120))
    audited = time.perf_counter() - started
    started = time.perf_counter()
    with connect(uri, read_only=True, statement_timeout_ms=30_000) as conn:
        ranked = enrich(result.findings, result.context, conn)
    return audited, time.perf_counter() - started, len(ranked)


def as_process(uri: str) -> float:
    """Wall time of the installed command, exit status 1 (findings) expected."""
    started = time.perf_counter()
    done = subprocess.run(
        [str(Path(sys.executable).with_name("stacktune")), "audit", "--database-url", uri],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False, env=os.environ.copy(), text=True,
    )
    if done.returncode != 1:
        raise SystemExit(f"stacktune audit exited {done.returncode}: {done.stderr[-500:]}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tables", type=int, default=2000)
    parser.add_argument("--fks-per-table", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with throwaway_server() as uri:
        with connect(uri, read_only=False, statement_timeout_ms=None) as conn:
            conn.execute(build_script(args.tables, args.fks_per_table))
        print(f"database: {args.tables} tables, {args.tables * args.fks_per_table} FKs")
        runs = [in_process(uri) for _ in range(args.runs)]
        audits = [r[0] for r in runs]
        ranks = [r[1] for r in runs]
        print(f"findings: {runs[0][2]}")
        print(f"audit + text report (in-process): best {min(audits):.3f} s, worst {max(audits):.3f} s")
        print(f"workload ranking: best {min(ranks):.3f} s, worst {max(ranks):.3f} s")
        processes = [as_process(uri) for _ in range(args.runs)]
        print(f"`stacktune audit --database-url` as a process: best {min(processes):.3f} s, worst {max(processes):.3f} s")


if __name__ == "__main__":
    main()
