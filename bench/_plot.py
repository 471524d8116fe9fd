"""Presenting a benchmark's results: the machine it ran on, a text table, a PNG line chart.

matplotlib is a `bench` group dependency only, so it is imported when a chart is
drawn; printing tables works without it.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg

if TYPE_CHECKING:
    from matplotlib.axes import Axes

IMG_DIR = Path(__file__).resolve().parent.parent / "docs" / "img"


def machine_caption(dsn: str) -> str:
    """One line naming what the figures depend on: CPU, memory, OS, the PostgreSQL at `dsn`, Python."""
    with psycopg.connect(dsn) as conn:
        postgres_version = str(conn.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} CPU ({_cpu_model()}), {memory_gib:.0f} GiB RAM, "
        f"{platform.system()} {platform.release().split('-')[0]}, "
        f"PostgreSQL {postgres_version.split()[0]}, Python {platform.python_version()}"
    )


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str) -> str:
    """Columns padded to their widest cell; `align` has an "l" or "r" per column."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = (c.ljust(w) if a == "l" else c.rjust(w) for c, w, a in zip(cells, widths, align, strict=True))
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    xs: Sequence[float]
    ys: Sequence[float]
    color: str | None = None
    dashed: bool = False
    marker: str = "o"


@dataclass(frozen=True, slots=True)
class Panel:
    title: str
    xlabel: str
    ylabel: str
    series: Sequence[Series]
    log_x: bool = False
    log_y: bool = False
    xticks: Sequence[float] = field(default=())
    legend_outside: bool = False  # to the right of the axes, for many series


def save_chart(path: Path, title: str, caption: str, panels: Sequence[Panel]) -> Path:
    """Draw the panels side by side with the machine caption under them; write a PNG at `path`."""
    try:
        import matplotlib
    except ImportError:
        raise SystemExit(
            "matplotlib is not installed: run with `uv run --group bench python ...`, or pass --no-plot"
        ) from None
    matplotlib.use("Agg")  # no display needed
    from matplotlib import pyplot

    width = sum(10.0 if p.legend_outside else 6.4 for p in panels)
    figure, axes = pyplot.subplots(1, len(panels), figsize=(width, 4.8), squeeze=False)
    for ax, panel in zip(axes[0], panels, strict=True):
        _draw(ax, panel)
    figure.suptitle(title, fontsize=13)
    figure.text(0.5, 0.01, caption, ha="center", va="bottom", fontsize=8, color="#444444")
    figure.tight_layout(rect=(0, 0.04, 1, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    pyplot.close(figure)
    return path


def _draw(ax: Axes, panel: Panel) -> None:
    for series in panel.series:
        ax.plot(
            series.xs,
            series.ys,
            label=series.label,
            color=series.color,
            linestyle="--" if series.dashed else "-",
            marker=series.marker,
        )
    if panel.log_x:
        ax.set_xscale("log")
    if panel.log_y:
        ax.set_yscale("log")
    if panel.xticks:
        from matplotlib.ticker import NullLocator

        ax.set_xticks(list(panel.xticks), [f"{t:,.0f}" for t in panel.xticks])
        ax.xaxis.set_minor_locator(NullLocator())  # a log axis would label 3x10^0 and such
    ax.set_title(panel.title, fontsize=11)
    ax.set_xlabel(panel.xlabel)
    ax.set_ylabel(panel.ylabel)
    ax.grid(True, which="major", alpha=0.3)
    if panel.legend_outside:
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    else:
        ax.legend(fontsize=8)
