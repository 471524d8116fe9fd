"""What Celery worker concurrency buys on this machine, and the PostgreSQL connections it costs.

A tiny Celery app (filesystem broker, no result backend) is written to a temp
folder; for each concurrency a real `celery worker --pool prefork -c N` is
started and fed two batches of tasks:

  I/O-bound  `SELECT pg_sleep(0.05)` on a connection from the process's own pool
  CPU-bound  a pure-Python loop calibrated to take 0.05 s here

Each task appends a byte to a counter file; a batch ends when the counter shows
every task done and the broker's queue folder is empty. Throughput is tasks per
second (median of --repeat batches). While the worker runs, pg_stat_activity is
sampled for its connections: every child process opens a pool of --pool-size
connections when it starts, as an app with a connection pool does.

    uv run --group bench python bench/workers.py            # -c 1 2 4 8
    uv run --group bench python bench/workers.py --quick    # few tasks, well under a minute
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Self

import psycopg
from _plot import IMG_DIR, Panel, Series, format_table, machine_caption, save_chart

from stacktune.pg.server import throwaway_server

TASK_SECONDS = 0.05
WORKER_APP_NAME = "stacktune-bench-worker"  # application_name of the workers' connections
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 20.0
# Below this gain over the previous setting, more processes have stopped helping.
HELPFUL_GAIN = 1.10

APP_MODULE = '''"""Benchmark app written by stacktune's bench/workers.py."""

import os
from pathlib import Path

import psycopg
from celery import Celery
from celery.signals import worker_process_init

DATA = Path(__file__).resolve().parent
QUEUE = DATA / "queue"

app = Celery("bench_app", broker="filesystem://")
app.conf.update(
    broker_transport_options={{
        "data_folder_in": str(QUEUE),
        "data_folder_out": str(QUEUE),
        "control_folder": str(DATA / "control"),
        "polling_interval": 0.01,
    }},
    task_ignore_result=True,
    worker_prefetch_multiplier=1,
    worker_hijack_root_logger=False,
)

_pool: list[psycopg.Connection] = []


@worker_process_init.connect
def open_pool(**_: object) -> None:
    """Per child process, after the fork: connections must never be shared across processes."""
    size = int(os.environ["BENCH_POOL_SIZE"])
    dsn = os.environ["BENCH_DSN"]
    _pool.extend(psycopg.connect(dsn, autocommit=True, application_name="{app_name}") for _ in range(size))


def _count(counter: str) -> None:
    with open(DATA / counter, "ab") as handle:  # O_APPEND: one byte per finished task
        handle.write(b".")


def burn(iterations: int) -> int:
    total = 0
    for i in range(iterations):
        total += i * i % 7
    return total


@app.task
def wait_on_postgres(seconds: float, counter: str) -> None:
    conn = _pool.pop(0)  # round-robin over the process's pool
    _pool.append(conn)
    conn.execute("SELECT pg_sleep(%s)", (seconds,))
    _count(counter)


@app.task
def burn_cpu(iterations: int, counter: str) -> None:
    burn(iterations)
    _count(counter)
'''


@dataclass(frozen=True, slots=True)
class Kind:
    label: str
    task: str  # name of the task function in the app module


IO = Kind("I/O-bound (pg_sleep 0.05 s)", "wait_on_postgres")
CPU = Kind("CPU-bound (0.05 s of Python)", "burn_cpu")
KINDS = (IO, CPU)


@dataclass(frozen=True, slots=True)
class Row:
    concurrency: int
    tasks: int
    throughput: dict[str, float]  # Kind.task -> tasks per second
    connections: int  # the most worker connections seen in pg_stat_activity


class Bench:
    """The app folder, the imported app (to send tasks) and what the tasks need."""

    def __init__(self, folder: Path, dsn: str, pool_size: int) -> None:
        self.folder = folder
        (folder / "queue").mkdir()
        (folder / "control").mkdir()
        (folder / "staging").mkdir()
        (folder / "bench_app.py").write_text(APP_MODULE.format(app_name=WORKER_APP_NAME), encoding="utf-8")
        self.module = _import(folder / "bench_app.py")
        # kombu's filesystem transport writes a message file in place, so a polling worker can read
        # it half-written; this process writes into staging/ and renames finished files into queue/.
        options = self.module.app.conf.broker_transport_options
        self.module.app.conf.broker_transport_options = {**options, "data_folder_out": str(folder / "staging")}
        self.env = {**os.environ, "BENCH_DSN": dsn, "BENCH_POOL_SIZE": str(pool_size)}
        self.iterations = calibrate(self.module)
        self.batches = 0

    def args_for(self, kind: Kind, counter: str) -> tuple[object, ...]:
        return (TASK_SECONDS, counter) if kind is IO else (self.iterations, counter)

    def run_batch(self, worker: subprocess.Popen[bytes], kind: Kind, tasks: int) -> float:
        """Send `tasks` tasks, wait until all are done; tasks per second."""
        self.batches += 1
        counter = f"done-{self.batches}"
        (self.folder / counter).touch()
        task = getattr(self.module, kind.task)
        started = time.perf_counter()
        with self.module.app.producer_or_acquire() as producer:
            for _ in range(tasks):
                task.apply_async(self.args_for(kind, counter), producer=producer)
        for message in sorted((self.folder / "staging").iterdir()):
            message.rename(self.folder / "queue" / message.name)  # atomic: the worker sees whole files
        self.wait_done(worker, counter, tasks)
        return tasks / (time.perf_counter() - started)

    def wait_done(self, worker: subprocess.Popen[bytes], counter: str, tasks: int) -> None:
        deadline = time.monotonic() + max(START_TIMEOUT_S, tasks * TASK_SECONDS * 4)
        while (self.folder / counter).stat().st_size < tasks or any((self.folder / "queue").iterdir()):
            if worker.poll() is not None or time.monotonic() > deadline:
                log = (self.folder / "worker.log").read_text(errors="replace")[-3000:]
                raise SystemExit(f"{tasks} tasks not done (worker exit status {worker.poll()}); its log:\n{log}")
            time.sleep(0.01)  # coarse enough not to steal CPU from the CPU-bound batch


def _import(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def calibrate(module: ModuleType) -> int:
    """Loop iterations of the app's own `burn` that take TASK_SECONDS on one core here."""
    iterations = 10_000
    while _best_of_three(module, iterations) < TASK_SECONDS / 2:
        iterations *= 2
    # Best of three: a calibration slowed by a neighbour would make every task too short.
    return int(iterations * TASK_SECONDS / _best_of_three(module, iterations))


def _best_of_three(module: ModuleType, iterations: int) -> float:
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        module.burn(iterations)
        timings.append(time.perf_counter() - started)
    return min(timings)


@contextmanager
def running_worker(bench: Bench, concurrency: int) -> Iterator[subprocess.Popen[bytes]]:
    """A prefork worker in its own process group; afterwards, assert none of its processes is left."""
    log = open(bench.folder / "worker.log", "ab")  # noqa: SIM115 - closed below, after the worker
    command = [sys.executable, "-m", "celery", "-A", "bench_app", "worker", "--pool", "prefork", "-c", str(concurrency)]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "WARNING"]
    worker = subprocess.Popen(command, cwd=bench.folder, env=bench.env, stdout=log, stderr=log, start_new_session=True)
    try:
        yield worker
    finally:
        stop_worker(worker)
        log.close()


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    """Warm shutdown (SIGTERM to the main process, which stops its children); then nothing may be left.

    Anything of the group still running after that is killed and reported as a failure.
    """
    group = worker.pid  # start_new_session: the worker leads its own group
    worker.terminate()
    try:
        worker.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        _signal_group(group, signal.SIGKILL)
        worker.wait()
        raise SystemExit(f"the worker ignored SIGTERM for {STOP_TIMEOUT_S:g} s; killed its process group") from None
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while (left := _live_members(group)) and time.monotonic() < deadline:
        time.sleep(0.05)
    if left:
        _signal_group(group, signal.SIGKILL)
        raise SystemExit(f"worker processes {left} outlived the worker; killed them")


def _signal_group(group: int, sig: signal.Signals) -> None:
    try:
        os.killpg(group, sig)
    except ProcessLookupError:
        pass


def _live_members(group: int) -> list[int]:
    """Processes of the group that still run (zombies waiting for a reaper do not count)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its ")".
        state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) == group and state != "Z":
            alive.append(int(entry.name))
    return alive


class ConnectionSampler:
    """Counts the workers' connections in pg_stat_activity every few ms, in a thread; keeps the most."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.most = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def count(self, conn: psycopg.Connection) -> int:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (WORKER_APP_NAME,)
        ).fetchone()
        assert row is not None
        return int(row[0])

    def _run(self) -> None:
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            while not self._stop.wait(0.05):
                self.most = max(self.most, self.count(conn))


def measure(bench: Bench, dsn: str, concurrency: int, tasks: int, repeat: int) -> Row:
    with running_worker(bench, concurrency) as worker, ConnectionSampler(dsn) as sampler:
        for kind in KINDS:  # one task each: the worker is up, its pools are open
            bench.run_batch(worker, kind, 1)
        throughput = {
            kind.task: statistics.median(bench.run_batch(worker, kind, tasks) for _ in range(repeat)) for kind in KINDS
        }
    assert_disconnected(sampler, concurrency)
    return Row(concurrency, tasks, throughput, sampler.most)


def assert_disconnected(sampler: ConnectionSampler, concurrency: int) -> None:
    """A stopped worker's backends go away within moments; any that stay were leaked."""
    deadline = time.monotonic() + STOP_TIMEOUT_S
    with psycopg.connect(sampler.dsn, autocommit=True) as conn:
        while left := sampler.count(conn):
            if time.monotonic() > deadline:
                raise SystemExit(f"-c {concurrency}: {left} worker connections still open after the worker stopped")
            time.sleep(0.05)


def where_it_stops(rows: Sequence[Row], kind: Kind) -> str:
    """The first setting whose next step gains less than HELPFUL_GAIN; the best of all otherwise."""
    values = [row.throughput[kind.task] for row in rows]
    for i in range(1, len(rows)):
        if values[i] < values[i - 1] * HELPFUL_GAIN:
            gain = values[i] / values[i - 1] - 1
            return (
                f"{kind.label}: more processes stop helping after -c {rows[i - 1].concurrency}"
                f" (-c {rows[i].concurrency} changes throughput by {gain:+.0%})"
            )
    best = max(range(len(rows)), key=values.__getitem__)
    return f"{kind.label}: still gaining up to -c {rows[best].concurrency} ({values[best] / values[0]:.1f}x of -c 1)"


def table(rows: Sequence[Row], pool_size: int) -> str:
    header = ["concurrency", "tasks", *(f"{k.label} tasks/s" for k in KINDS), "x of -c 1 (I/O, CPU)", "PG connections"]
    first = rows[0].throughput
    cells = [
        [
            str(row.concurrency),
            str(row.tasks),
            *(f"{row.throughput[k.task]:.1f}" for k in KINDS),
            ", ".join(f"{row.throughput[k.task] / first[k.task]:.2f}" for k in KINDS),
            f"{row.connections} ({row.concurrency} x {pool_size})",
        ]
        for row in rows
    ]
    return format_table(header, cells, "rrrrrr")


def plot(rows: Sequence[Row], caption: str, pool_size: int, path: Path) -> Path:
    xs = [row.concurrency for row in rows]
    ideal_io = [c / TASK_SECONDS for c in xs]
    ideal_cpu = [min(c, os.cpu_count() or 1) / TASK_SECONDS for c in xs]
    throughput = Panel(
        "throughput (tasks of 0.05 s)",
        "worker concurrency (-c)",
        "tasks per second",
        [
            Series(IO.label, xs, [r.throughput[IO.task] for r in rows], "tab:blue"),
            Series("I/O ideal: c / 0.05 s", xs, ideal_io, "tab:blue", True, ""),
            Series(CPU.label, xs, [r.throughput[CPU.task] for r in rows], "tab:red"),
            Series(f"CPU ideal: min(c, {os.cpu_count()} CPUs) / 0.05 s", xs, ideal_cpu, "tab:red", True, ""),
        ],
        log_x=True,
        xticks=xs,
    )
    connections = Panel(
        f"PostgreSQL connections the worker holds (pool of {pool_size} per process)",
        "worker concurrency (-c)",
        "connections in pg_stat_activity",
        [Series("measured", xs, [r.connections for r in rows], "tab:gray")],
        log_x=True,
        xticks=xs,
    )
    return save_chart(path, "Celery prefork concurrency on this machine", caption, [throughput, connections])


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument(
        "--tasks-per-process", type=int, help="tasks per batch = this x concurrency (default 40; --quick 4)"
    )
    parser.add_argument("--repeat", type=int, help="batches per measure; the median is kept (default 3; --quick 1)")
    parser.add_argument("--pool-size", type=int, default=2, help="PostgreSQL connections each worker process opens")
    parser.add_argument("--quick", action="store_true", help="few tasks, one batch: a check that it all works")
    parser.add_argument("--server-url", help="use this PostgreSQL server (a database is created and dropped)")
    parser.add_argument("--plot", type=Path, default=IMG_DIR / "workers.png", help="PNG to write")
    parser.add_argument("--no-plot", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    args.tasks_per_process = args.tasks_per_process or (4 if args.quick else 40)
    args.repeat = args.repeat or (1 if args.quick else 3)
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    with throwaway_server(args.server_url) as dsn, tempfile.TemporaryDirectory(prefix="stacktune-celery-") as tmp:
        caption = machine_caption(dsn)
        print(f"machine: {caption}\n", flush=True)
        bench = Bench(Path(tmp), dsn, args.pool_size)
        print(
            f"celery prefork worker, filesystem broker; {args.tasks_per_process} tasks per process per batch,"
            f" median of {args.repeat}; CPU task = {bench.iterations:,} loop iterations\n",
            flush=True,
        )
        rows = []
        for concurrency in args.concurrency:
            tasks = args.tasks_per_process * concurrency
            rows.append(measure(bench, dsn, concurrency, tasks, args.repeat))
            print(f"  -c {concurrency} done", file=sys.stderr, flush=True)
    print(table(rows, args.pool_size))
    print()
    for kind in KINDS:
        print(where_it_stops(rows, kind))
    if not args.no_plot:
        print(f"\nplot: {plot(rows, caption, args.pool_size, args.plot)}")


if __name__ == "__main__":
    main()
