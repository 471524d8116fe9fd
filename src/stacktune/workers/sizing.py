"""Recommending a worker concurrency from the CPU quota and memory limit the worker really has.

Reads cgroup v2 (`cpu.max`, `memory.max`) or v1 (`cpu/cpu.cfs_quota_us` + `cpu.cfs_period_us`,
`memory/memory.limit_in_bytes`) under an injectable root, falling back to the host's CPUs and
/proc/meminfo. Prefork processes are CPU-bound: one per CPU of quota, capped by memory.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

# A prefork child with a typical Django/SQLAlchemy app loaded; override per project.
DEFAULT_PROCESS_MEMORY = 256 * 1024 * 1024
# Keep a fifth of the memory limit for the main process, the broker client and spikes.
MEMORY_HEADROOM = 0.8
# cgroup v1 reports "no limit" as a huge page-aligned number.
_V1_UNLIMITED = 1 << 60


@dataclass(frozen=True, slots=True)
class Recommendation:
    concurrency: int
    cpus: float  # CPUs the worker may use (quota or host)
    cpu_source: str  # "cgroup v2", "cgroup v1", "host"
    memory_limit: int | None  # bytes
    memory_source: str
    reasons: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "concurrency": self.concurrency,
            "cpus": self.cpus,
            "cpu_source": self.cpu_source,
            "memory_limit": self.memory_limit,
            "memory_source": self.memory_source,
            "reasons": list(self.reasons),
        }


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:
        return None


def cpu_quota(cgroup: Path) -> tuple[float | None, str]:
    """CPUs allowed by the cgroup quota, None when unlimited or unknown."""
    v2 = _read(cgroup / "cpu.max")
    if v2 is not None:
        quota, _, period = v2.partition(" ")
        if quota != "max" and quota.isdigit() and period.isdigit() and int(period) > 0:
            return int(quota) / int(period), "cgroup v2"
        return None, "cgroup v2"
    quota_us = _read(cgroup / "cpu" / "cpu.cfs_quota_us") or _read(cgroup / "cpu,cpuacct" / "cpu.cfs_quota_us")
    period_us = _read(cgroup / "cpu" / "cpu.cfs_period_us") or _read(cgroup / "cpu,cpuacct" / "cpu.cfs_period_us")
    if quota_us and period_us:
        try:
            quota, period = int(quota_us), int(period_us)
        except ValueError:
            return None, "cgroup v1"
        return (quota / period if quota > 0 and period > 0 else None), "cgroup v1"
    return None, "host"


def memory_limit(cgroup: Path) -> tuple[int | None, str]:
    v2 = _read(cgroup / "memory.max")
    if v2 is not None:
        return (int(v2) if v2.isdigit() else None), "cgroup v2"
    v1 = _read(cgroup / "memory" / "memory.limit_in_bytes")
    if v1 is not None and v1.isdigit():
        return (int(v1) if int(v1) < _V1_UNLIMITED else None), "cgroup v1"
    return None, "host"


def host_memory(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    for line in (_read(meminfo) or "").splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    return None


def _available_cpus() -> int:
    """CPUs this process may run on (affinity mask, e.g. docker --cpuset-cpus)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def recommend(
    *,
    cgroup_root: Path = Path("/sys/fs/cgroup"),
    host_cpus: int | None = None,
    meminfo: Path = Path("/proc/meminfo"),
    process_memory: int = DEFAULT_PROCESS_MEMORY,
) -> Recommendation:
    """A prefork concurrency for this machine (or the container it runs in), with the reasons."""
    host = host_cpus or _available_cpus()
    quota, cpu_source = cpu_quota(cgroup_root)
    reasons: list[str] = []
    if quota is not None:
        cpus = min(quota, float(host))
        reasons.append(f"CPU quota {quota:g} CPUs ({cpu_source}); host has {host}")
    else:
        cpus = float(host)
        reasons.append(f"no CPU quota; {host} CPUs available")
    by_cpu = max(1, math.ceil(cpus))
    limit, memory_source = memory_limit(cgroup_root)
    if limit is None:
        limit, memory_source = host_memory(meminfo), "host"
    concurrency = by_cpu
    if limit:
        by_memory = max(1, int(limit * MEMORY_HEADROOM // process_memory))
        reasons.append(
            f"memory {limit // (1024 * 1024)} MiB ({memory_source}) fits {by_memory} processes of "
            f"{process_memory // (1024 * 1024)} MiB with {round((1 - MEMORY_HEADROOM) * 100)}% headroom"
        )
        if by_memory < by_cpu:
            reasons.append(f"memory, not CPU, is the limit: {by_memory} instead of {by_cpu}")
        concurrency = min(by_cpu, by_memory)
    return Recommendation(concurrency, cpus, cpu_source, limit, memory_source, reasons)
