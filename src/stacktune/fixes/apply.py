"""Write edits to disk: all or nothing, each file replaced atomically, never outside the root.

Every new content is built and written to a temporary file next to its target
first; only then are the targets put in place. A new file is linked into
place, which fails if the name exists meanwhile; an edited file is replaced
with os.replace and keeps its mode.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from stacktune.fixes.errors import FixError
from stacktune.model.finding import Edit


def edited_bytes(original: bytes, edits: Sequence[Edit]) -> bytes:
    """`original` with byte ranges replaced; edits must not overlap."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    previous_end = 0
    for edit in ordered:
        if not 0 <= edit.start <= edit.end <= len(original) or edit.start < previous_end:
            raise FixError(f"{edit.path}: edit [{edit.start}, {edit.end}) overlaps another or lies outside the file")
        previous_end = edit.end
    result = original
    for edit in reversed(ordered):
        result = result[: edit.start] + edit.content.encode() + result[edit.end :]
    return result


@dataclass(frozen=True, slots=True)
class _Pending:
    rel: str
    target: Path
    data: bytes
    creates: bool
    mode: int


def apply_edits(root: Path, edits: Sequence[Edit]) -> list[str]:
    """Apply `edits` below `root`; the relative paths written, in order. Nothing is written on error."""
    pending = [_prepare(root, rel, group) for rel, group in _by_path(edits).items()]
    staged: list[tuple[_Pending, str]] = []
    made_dirs: list[Path] = []
    try:
        for item in pending:
            made_dirs += _make_parents(root, item.target.parent)
            staged.append((item, _stage(item)))
        _commit(staged)
    except BaseException:
        for _, tmp in staged:
            _remove(Path(tmp))
        for folder in reversed(made_dirs):
            _rmdir(folder)
        raise
    return [item.rel for item in pending]


def _by_path(edits: Sequence[Edit]) -> dict[str, list[Edit]]:
    groups: dict[str, list[Edit]] = {}
    for edit in edits:
        groups.setdefault(edit.path, []).append(edit)
    return groups


def _inside(root: Path, rel: str) -> Path:
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise FixError(f"{rel}: not a path inside the repository")
    target = root.resolve() / pure
    # A symlinked folder on the way could still point elsewhere.
    if not target.parent.resolve().is_relative_to(root.resolve()) or (
        target.is_symlink() and not target.resolve().is_relative_to(root.resolve())
    ):
        raise FixError(f"{rel}: leads outside the repository")
    return target


def _prepare(root: Path, rel: str, edits: list[Edit]) -> _Pending:
    target = _inside(root, rel)
    creates = any(e.creates for e in edits)
    if creates:
        if len(edits) != 1 or target.exists() or target.is_symlink():
            raise FixError(f"{rel}: already exists; refusing to overwrite it with a new file")
        return _Pending(rel, target, edits[0].content.encode(), True, _default_mode())
    if not target.is_file():
        raise FixError(f"{rel}: no such file to edit")
    return _Pending(rel, target, edited_bytes(target.read_bytes(), edits), False, target.stat().st_mode & 0o7777)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _make_parents(root: Path, folder: Path) -> list[Path]:
    """Create missing folders up to `folder`; the ones created, outermost first."""
    missing = []
    while not folder.exists() and folder != root.resolve():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
    return list(reversed(missing))


def _stage(item: _Pending) -> str:
    fd, tmp = tempfile.mkstemp(dir=item.target.parent, prefix=f".{item.target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(item.data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, item.mode)
    except BaseException:
        _remove(Path(tmp))
        raise
    return tmp


def _commit(staged: list[tuple[_Pending, str]]) -> None:
    """New files first (they can still fail on a name taken meanwhile), then replacements."""
    created: list[Path] = []
    try:
        for item, tmp in staged:
            if item.creates:
                try:
                    os.link(tmp, item.target)
                except FileExistsError:
                    raise FixError(f"{item.rel}: already exists; refusing to overwrite it with a new file") from None
                created.append(item.target)
    except BaseException:
        for path in created:
            _remove(path)
        raise
    for item, tmp in staged:
        if item.creates:
            _remove(Path(tmp))
        else:
            os.replace(tmp, item.target)
    for folder in {item.target.parent for item, _ in staged}:
        _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _rmdir(path: Path) -> None:
    try:
        path.rmdir()
    except OSError:
        pass
