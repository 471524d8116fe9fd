"""Sizing from fake cgroup v2/v1 trees, and the runtime helper."""

from __future__ import annotations

from pathlib import Path

import pytest

from stacktune.celery import concurrency
from stacktune.workers.sizing import recommend

MIB = 1024 * 1024


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@pytest.mark.parametrize(
    ("files", "cpus", "expected", "source"),
    [
        ({"cpu.max": "150000 100000\n", "memory.max": "max\n"}, 8, 2, "cgroup v2"),
        ({"cpu.max": "max 100000\n", "memory.max": str(512 * MIB)}, 8, 1, "cgroup v2"),
        ({"cpu.max": "400000 100000\n", "memory.max": str(4096 * MIB)}, 16, 4, "cgroup v2"),
        ({"cpu/cpu.cfs_quota_us": "200000", "cpu/cpu.cfs_period_us": "100000",
          "memory/memory.limit_in_bytes": str(9223372036854771712)}, 8, 2, "cgroup v1"),
        ({"cpu/cpu.cfs_quota_us": "-1", "cpu/cpu.cfs_period_us": "100000",
          "memory/memory.limit_in_bytes": str(1024 * MIB)}, 8, 3, "cgroup v1"),
        ({}, 3, 3, "host"),
    ],
)
def test_recommend(tmp_path, files, cpus, expected, source) -> None:
    meminfo = tmp_path / "meminfo"
    meminfo.write_text(f"MemTotal: {64 * 1024 * 1024} kB\n")
    found = recommend(cgroup_root=tree(tmp_path / "cg", files), host_cpus=cpus, meminfo=meminfo)
    assert found.concurrency == expected
    assert found.cpu_source == source
    assert found.reasons


def test_concurrency_helper(monkeypatch) -> None:
    monkeypatch.delenv("CELERY_CONCURRENCY", raising=False)
    assert concurrency() == 4
    assert concurrency(default=2) == 2
    monkeypatch.setenv("CELERY_CONCURRENCY", " 3 ")
    assert concurrency() == 3
    monkeypatch.setenv("WORKERS", "5")
    assert concurrency(env="WORKERS") == 5


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "2.5"])
def test_concurrency_helper_rejects(monkeypatch, raw) -> None:
    monkeypatch.setenv("CELERY_CONCURRENCY", raw)
    with pytest.raises(ValueError, match=f"CELERY_CONCURRENCY must be a positive integer .*got '{raw}'"):
        concurrency()
