"""The impact benchmarks run end to end in their --quick size and print the tables the README promises."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
OPERATIONS = (
    "DELETE parent (NO ACTION)",
    "DELETE parent (CASCADE)",
    "DELETE parent (SET NULL)",
    "UPDATE parent key (NO ACTION)",
)


def run_script(name: str, server: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCH / name), "--quick", "--no-plot", "--server-url", server],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def table_rows(output: str) -> list[list[str]]:
    """The cells of the rows under the table's dashed rule, split on the two-space column gaps."""
    lines = output.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("-----"))
    rows = []
    for line in lines[rule + 1 :]:
        if not line.strip():
            break
        rows.append([cell.strip() for cell in line.split("  ") if cell.strip()])
    return rows


@pytest.mark.postgres
def test_impact_quick_times_every_operation_before_and_after_the_fix(pg_server: str) -> None:
    output = run_script("impact.py", pg_server)
    # The index comes from stacktune's own fix, partial where the FK column is nullable.
    assert "CREATE INDEX IF NOT EXISTS idx_child_no_action_parent_id ON child_no_action (parent_id);" in output
    assert "ON child_set_null (parent_id)\n    WHERE parent_id IS NOT NULL;" in output
    rows = table_rows(output)
    assert [(r[0], r[1]) for r in rows] == [("10,000", op) for op in OPERATIONS]
    for _size, operation, runs, before, after, speedup in rows:
        assert runs == "5/5", operation
        assert float(before) > 0 and float(after) > 0
        assert float(speedup.removesuffix("x")) == pytest.approx(float(before) / float(after), rel=0.05, abs=0.06)
    no_action_delete = rows[0]
    # A sequential scan of 10k rows against one index probe.
    assert float(no_action_delete[5].removesuffix("x")) > 1


@pytest.mark.postgres
@pytest.mark.celery
def test_workers_quick_measures_each_concurrency_and_its_connections(pg_server: str) -> None:
    output = run_script("workers.py", pg_server)
    rows = table_rows(output)
    assert [r[0] for r in rows] == ["1", "2", "4", "8"]
    io_rates = []
    for concurrency, tasks, io_rate, cpu_rate, ratios, connections in rows:
        c = int(concurrency)
        assert int(tasks) == 4 * c
        assert float(io_rate) > 0 and float(cpu_rate) > 0
        assert all(float(x) > 0 for x in ratios.split(", "))
        # Every prefork child holds its own pool of 2 connections.
        assert connections == f"{2 * c} ({c} x 2)"
        io_rates.append(float(io_rate))
    # Waiting on PostgreSQL overlaps across processes: 8 do far more than 1.
    assert io_rates[-1] > 2 * io_rates[0]
    assert "I/O-bound (pg_sleep 0.05 s):" in output and "CPU-bound (0.05 s of Python):" in output


def load_bench_module(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """A bench script as a module (they import their sibling `_plot` as scripts do)."""
    monkeypatch.syspath_prepend(str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_where_more_processes_stop_helping(monkeypatch: pytest.MonkeyPatch) -> None:
    workers = load_bench_module("workers", monkeypatch)
    rates = {1: (20.0, 20.0), 2: (39.0, 38.0), 4: (78.0, 32.0), 8: (150.0, 24.0)}
    rows = [workers.Row(c, 4 * c, {"wait_on_postgres": io, "burn_cpu": cpu}, 2 * c) for c, (io, cpu) in rates.items()]
    assert (
        workers.where_it_stops(rows, workers.IO)
        == "I/O-bound (pg_sleep 0.05 s): still gaining up to -c 8 (7.5x of -c 1)"
    )
    assert workers.where_it_stops(rows, workers.CPU) == (
        "CPU-bound (0.05 s of Python): more processes stop helping after -c 2 (-c 4 changes throughput by -16%)"
    )


def test_table_pads_columns_to_their_alignment(monkeypatch: pytest.MonkeyPatch) -> None:
    plot = load_bench_module("_plot", monkeypatch)
    text = plot.format_table(["name", "ms"], [["a", "1.5"], ["long name", "12.25"]], "lr")
    assert text.splitlines() == ["name          ms", "---------  -----", "a            1.5", "long name  12.25"]
