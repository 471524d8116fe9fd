"""Shared by the readers: turn words found in a slot into WorkerCommands, and env settings."""

from __future__ import annotations

import re
from pathlib import Path

from stacktune.model.diagnostics import Diagnostic
from stacktune.workers.celery_cli import find_program, worker_invocation
from stacktune.workers.expansion import COMPOSE, MAKE, SHELL, Expansion
from stacktune.workers.formats.shell import (
    ShellSyntaxError,
    nested_script,
    scan_shell,
    script_index,
)
from stacktune.workers.formats.words import split_words
from stacktune.workers.model import (
    ArgvList,
    FileResult,
    ListPlace,
    Setting,
    ShellPlace,
    Slot,
    SourceText,
    StringPlace,
    Word,
    WorkerCommand,
)

# Variables that set a worker's concurrency from the environment. CELERY_WORKER_CONCURRENCY is
# click's automatic env var for `celery worker --concurrency` (Celery's CLI sets
# auto_envvar_prefix="CELERY"); CELERY_CONCURRENCY is the convention stacktune's fix reads.
CONCURRENCY_ENV = ("CELERY_WORKER_CONCURRENCY", "CELERY_CONCURRENCY")


# supervisord's %(ENV_X)s is replaced before any shell sees the line; bash would reject its
# parentheses. Masked with same-length text so every offset still points into the original.
_PERCENT = re.compile(r"%\(([A-Za-z_]\w*)\)s")


def _mask_percent(text: str) -> str:
    return _PERCENT.sub(lambda m: f"%_{m.group(1)}_s", text)


def _location_offset(slot: Slot, offset: int) -> int:
    return slot.start + offset if slot.encode is None else slot.start


def _inner_expansion(outer: Expansion) -> Expansion:
    """Who expands `$` inside `sh -c '...'`: the shell, unless a layer interpolates first."""
    return outer if outer in (COMPOSE, MAKE) else SHELL


def _trim(words: tuple[Word, ...]) -> tuple[Word, ...] | None:
    if worker_invocation(words) is None:
        return None
    start = find_program([w.text for w in words])
    return words[start:] if start is not None else None


class Collector:
    """Accumulates one file's commands, settings and diagnostics."""

    def __init__(self, src: SourceText, folder: Path) -> None:
        self.src = src
        self.folder = folder  # the file's directory (Railway looks for a Dockerfile beside it)
        self.result = FileResult()
        self.diagnostics: list[Diagnostic] = []

    def diagnose(self, offset: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.src.location(offset), message))

    def shell(
        self,
        slot: Slot,
        *,
        style: str,
        expansion: Expansion = SHELL,
        container: bool = False,
        label: str = "",
        script: bool = False,
        dollar_escape: bool | None = None,
    ) -> None:
        """Commands in shell text (the slot's value is run by a shell)."""
        escape = expansion.dollar_escape if dollar_escape is None else dollar_escape
        problems: list[ShellSyntaxError] = []
        try:
            hits = list(scan_shell(_mask_percent(slot.value), problems=problems))
        except ShellSyntaxError as exc:
            problems.append(exc)
            hits = []
        for problem in problems:
            self.diagnose(_location_offset(slot, problem.offset), str(problem))
        for hit in hits:
            words = _trim(hit.words)
            if words is None:
                continue
            line_start = slot.value.rfind("\n", 0, hit.start) + 1
            lead = slot.value[line_start : hit.start]
            place = ShellPlace(
                slot,
                quoting=hit.quoting,
                exec_prefixed=hit.exec_prefixed,
                last_command=hit.last_command,
                command_start=hit.start,
                line_start=line_start if script and not lead.strip() and hit.quoting == "none" else None,
                indent=lead,
                script=script,
                dollar_escape=escape,
            )
            effective = expansion if hit.quoting == "none" else _inner_expansion(expansion)
            self._add(words, place, style, effective, container, label, _location_offset(slot, words[0].start))

    def string(
        self, slot: Slot, *, style: str, expansion: Expansion, container: bool = False, label: str = "",
        continuation: bool = False,
    ) -> None:
        """A command line split into words by its runner without a shell (compose, fly, systemd...)."""
        try:
            words = tuple(split_words(slot.value, continuation))
        except ValueError as exc:
            self.diagnose(slot.start, f"cannot split command line: {exc}")
            return
        if nested_script(words) is not None:
            # The outer `sh` word is parsed as shell too; its script gets the inner expansion.
            self.shell(slot, style=style, expansion=expansion, container=container, label=label)
            return
        trimmed = _trim(words)
        if trimmed is not None:
            self._add(trimmed, StringPlace(slot), style, expansion, container, label, slot.start)

    def argv(
        self,
        lists: tuple[ArgvList, ...],
        slots: list[list[Slot]],
        *,
        style: str,
        expansion: Expansion,
        container: bool = True,
        label: str = "",
    ) -> None:
        """An exec-form command: one list, or Kubernetes' command + args."""
        words: list[Word] = []
        owner: list[int] = []
        for index, items in enumerate(slots):
            for slot in items:
                words.append(Word(slot.value, slot.start, slot.end, self.src.text[slot.start : slot.end]))
                owner.append(index)
        all_words = tuple(words)
        flat = [slot for items in slots for slot in items]
        index = script_index([w.text for w in all_words])
        if index is not None:
            self.shell(
                flat[index],
                style=style,
                expansion=_inner_expansion(expansion),
                container=container,
                label=label,
                dollar_escape=expansion.dollar_escape,
            )
            return
        trimmed = _trim(all_words)
        if trimmed is None:
            return
        start = len(all_words) - len(trimmed)
        place = ListPlace(lists, tuple(owner[start:]))
        self._add(trimmed, place, style, expansion, container, label, trimmed[0].start)

    def setting(self, name: str, value: str | None, offset: int, *, style: str) -> None:
        if name in CONCURRENCY_ENV:
            self.result.settings.append(
                Setting("env", name, value, self.src.location(offset), self.src.path, style)
            )

    def _add(
        self,
        words: tuple[Word, ...],
        place: ShellPlace | StringPlace | ListPlace,
        style: str,
        expansion: Expansion,
        container: bool,
        label: str,
        offset: int,
    ) -> None:
        self.result.commands.append(
            WorkerCommand(
                self.src.path, style, self.src.location(offset), words, expansion, place, container, label
            )
        )
