"""Writing edits: atomic, all or nothing, never over an existing file, never outside the root."""

import os
import stat
from pathlib import Path

import pytest

from stacktune.fixes import apply as apply_module
from stacktune.fixes.apply import apply_edits, edited_bytes
from stacktune.fixes.errors import FixError
from stacktune.model.finding import Edit


def new(path: str, content: str = "SELECT 1;\n") -> Edit:
    return Edit(path, 0, 0, content, creates=True)


def leftovers(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def test_creates_files_and_folders_with_the_usual_mode(tmp_path: Path) -> None:
    written = apply_edits(tmp_path, [new("db/2024_x/up.sql", "CREATE INDEX i ON t (c);\n"), new("db/2024_x/down.sql")])
    assert written == ["db/2024_x/up.sql", "db/2024_x/down.sql"]
    assert (tmp_path / "db/2024_x/up.sql").read_text() == "CREATE INDEX i ON t (c);\n"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((tmp_path / "db/2024_x/up.sql").stat().st_mode) == 0o666 & ~umask
    assert leftovers(tmp_path) == ["db", "db/2024_x", "db/2024_x/down.sql", "db/2024_x/up.sql"]


def test_refuses_to_overwrite_and_writes_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m/002_x.sql").write_text("mine\n")
    with pytest.raises(FixError, match="already exists"):
        apply_edits(tmp_path, [new("m/001_new.sql"), new("m/002_x.sql")])
    assert (tmp_path / "m/002_x.sql").read_text() == "mine\n"
    assert leftovers(tmp_path) == ["m", "m/002_x.sql"]


def test_a_name_taken_while_writing_rolls_everything_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_link = os.link
    calls = []

    def racing_link(src: str, dst: Path) -> None:
        calls.append(dst)
        if len(calls) == 2:
            Path(dst).write_text("someone else\n")
        real_link(src, dst)

    monkeypatch.setattr(apply_module.os, "link", racing_link)
    with pytest.raises(FixError, match="already exists"):
        apply_edits(tmp_path, [new("a.sql"), new("b.sql")])
    assert leftovers(tmp_path) == ["b.sql"]
    assert (tmp_path / "b.sql").read_text() == "someone else\n"


def test_a_failing_write_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(apply_module.os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        apply_edits(tmp_path, [new("db/one.sql"), new("db/two.sql")])
    assert leftovers(tmp_path) == []


def test_edits_existing_files_in_place_keeping_their_mode(tmp_path: Path) -> None:
    target = tmp_path / "start.sh"
    target.write_bytes("# 启动\ncelery worker --concurrency=2\n".encode())
    target.chmod(0o755)
    start = target.read_bytes().index(b"2\n")
    apply_edits(tmp_path, [Edit("start.sh", start, start + 1, "${CELERY_CONCURRENCY:-4}")])
    assert target.read_text() == "# 启动\ncelery worker --concurrency=${CELERY_CONCURRENCY:-4}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o755


@pytest.mark.parametrize("path", ["../out.sql", "/tmp/out.sql", "a/../../out.sql", ""])
def test_never_writes_outside_the_root(tmp_path: Path, path: str) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    with pytest.raises(FixError):
        apply_edits(root, [new(path)])
    assert leftovers(tmp_path) == ["repo"]


def test_a_symlinked_folder_cannot_lead_outside(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    outside = tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "link").symlink_to(outside)
    with pytest.raises(FixError, match="outside"):
        apply_edits(root, [new("link/x.sql")])
    assert list(outside.iterdir()) == []


def test_overlapping_edits_are_refused() -> None:
    with pytest.raises(FixError, match="overlaps"):
        edited_bytes(b"abcdef", [Edit("f", 0, 3, "x"), Edit("f", 2, 4, "y")])
    assert edited_bytes(b"abcdef", [Edit("f", 4, 6, "Z"), Edit("f", 0, 1, "A"), Edit("f", 3, 3, "-")]) == b"Abc-dZ"
