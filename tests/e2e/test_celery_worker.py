"""End to end: the example's start script, rewritten by the fix, starts a real Celery worker.

The broker is kombu's filesystem transport (no server). The pool's size is read from the
worker's own process tree (psutil) once it logs "ready"; every process started is stopped.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from stacktune.workers.audit import audit_workers
from stacktune.workers.fix import worker_fixes

pytestmark = pytest.mark.celery

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "backend" / "start_celery.sh"
FIXTURE = REPO / "tests" / "workers" / "fixtures" / "backend" / "start_celery.sh"
APP = '''\
from pathlib import Path

from celery import Celery

_here = Path(__file__).resolve().parent.parent / "broker"
celery_app = Celery("app")
celery_app.conf.update(
    broker_url="filesystem://",
    broker_transport_options={
        "data_folder_in": str(_here / "queue"),
        "data_folder_out": str(_here / "queue"),
        "processed_folder": str(_here / "processed"),
    },
    result_backend=None,
    worker_hijack_root_logger=False,
)


@celery_app.task
def ping() -> str:
    return "pong"
'''


def _apply(root: Path) -> int:
    """Apply one round of worker fixes by slicing bytes; returns how many fixes there were."""
    fixes = worker_fixes(root, audit_workers(root))
    by_path: dict[str, list] = {}
    for fix in fixes:
        for edit in fix.edits:
            by_path.setdefault(edit.path, []).append(edit)
    for path, edits in by_path.items():
        data = (root / path).read_bytes()
        for edit in sorted(edits, key=lambda e: e.start, reverse=True):
            data = data[: edit.start] + edit.content.encode() + data[edit.end :]
        (root / path).write_bytes(data)
    return len(fixes)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    source = EXAMPLE if EXAMPLE.is_file() else FIXTURE
    shutil.copy(source, tmp_path / "start_celery.sh")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "celery_app.py").write_text(APP)
    for folder in ("queue", "processed"):
        (tmp_path / "broker" / folder).mkdir(parents=True)
    original = (tmp_path / "start_celery.sh").read_bytes()
    assert _apply(tmp_path) >= 1
    rewritten = (tmp_path / "start_celery.sh").read_bytes()
    assert rewritten != original
    assert b'--concurrency="${CELERY_CONCURRENCY:-4}"' in rewritten
    subprocess.run(["bash", "-n", str(tmp_path / "start_celery.sh")], check=True)
    assert _apply(tmp_path) == 0  # idempotent: nothing left to fix
    assert (tmp_path / "start_celery.sh").read_bytes() == rewritten
    return tmp_path


def _start(project: Path, concurrency: str | None) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CELERY")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    if concurrency is not None:
        env["CELERY_CONCURRENCY"] = concurrency
    return subprocess.Popen(
        ["bash", str(project / "start_celery.sh")],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, so the test can stop all of it
    )


def _stop(process: subprocess.Popen[str]) -> None:
    group = process.pid
    try:
        os.killpg(group, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(group, signal.SIGKILL)
        process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _group_members(group):
        time.sleep(0.1)
    left = _group_members(group)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"processes left behind: {left}"


def _group_members(group: int) -> list[int]:
    members = []
    for proc in psutil.process_iter(["pid", "status"]):
        try:
            if os.getpgid(proc.pid) == group and proc.info["status"] != psutil.STATUS_ZOMBIE:
                members.append(proc.pid)
        except (ProcessLookupError, psutil.Error):
            continue
    return members


def _wait_ready(process: subprocess.Popen[str], timeout: float = 40) -> str:
    """The worker's output up to its 'ready' line."""
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    os.set_blocking(process.stdout.fileno(), False)
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line:
            lines.append(line)
            if " ready." in line:
                return "".join(lines)
        elif process.poll() is not None:
            break
        else:
            time.sleep(0.05)
    raise AssertionError("worker did not become ready:\n" + "".join(lines))


def _pool_size(process: subprocess.Popen[str]) -> int:
    # `exec` made the script's bash the Celery main process; its children are the pool.
    return len(psutil.Process(process.pid).children())


@pytest.mark.parametrize(("variable", "expected"), [("3", 3), (None, 4)])
def test_rewritten_script_sizes_the_real_pool(project: Path, variable: str | None, expected: int) -> None:
    process = _start(project, variable)
    try:
        output = _wait_ready(process)
        assert f"concurrency: {expected} (prefork)" in output
        assert psutil.Process(process.pid).name().startswith(("celery", "python"))
        assert _pool_size(process) == expected
    finally:
        _stop(process)


def test_invalid_variable_fails_before_the_worker_starts(project: Path) -> None:
    process = _start(project, "abc")
    try:
        output, _ = process.communicate(timeout=20)
    finally:
        _stop(process)
    assert process.returncode == 64
    assert "CELERY_CONCURRENCY must be a positive integer (worker processes), got 'abc'" in output
    assert "celery@" not in output  # no worker banner: Celery never started
