"""Progress of index builds: samples of pg_stat_progress_create_index, shown as rich progress bars."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn


@dataclass(frozen=True, slots=True)
class ProgressSample:
    phase: str
    blocks_done: int
    blocks_total: int
    tuples_done: int
    tuples_total: int

    def fraction(self) -> tuple[int, int]:
        """(done, total) of whatever this phase counts: blocks while scanning, tuples while loading."""
        if self.blocks_total:
            return self.blocks_done, self.blocks_total
        return self.tuples_done, self.tuples_total


class ProgressSink(Protocol):
    def begin(self, label: str, attempt: int) -> None: ...

    def update(self, sample: ProgressSample) -> None: ...

    def end(self, outcome: str) -> None: ...


class RichProgress:
    """One bar per build, fed by the samples; to stderr, so stdout stays the report."""

    def __init__(self, console: Console | None = None) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console or Console(stderr=True),
            transient=False,
        )
        self._task: TaskID | None = None
        self._label = ""

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def begin(self, label: str, attempt: int) -> None:
        self._label = label if attempt == 1 else f"{label} (attempt {attempt})"
        self._task = self._progress.add_task(self._label, total=None)

    def update(self, sample: ProgressSample) -> None:
        if self._task is None:
            return
        done, total = sample.fraction()
        self._progress.update(
            self._task, description=f"{self._label}: {sample.phase}", completed=done, total=total or None
        )

    def end(self, outcome: str) -> None:
        if self._task is None:
            return
        task = next(t for t in self._progress.tasks if t.id == self._task)
        total = task.total or 1
        completed = total if outcome in ("built", "rebuilt", "present") else task.completed
        self._progress.update(self._task, description=f"{self._label}: {outcome}", completed=completed, total=total)
        self._task = None
