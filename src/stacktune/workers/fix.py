"""Fixes for worker findings: rewrite each command so the platform's variable sizes the pool,
in the syntax that is right where the command is written; everything else stays byte for byte.

- shell text (scripts, Procfile, Dockerfile shell form, Railpack/Render start commands, make):
  the value becomes `"${CELERY_CONCURRENCY:-N}"` (`$$` where make/compose/systemd eat `$`), and a
  script gets a one-line guard that rejects a non-integer before Celery starts;
- a command line no shell runs (compose/Fly/systemd/supervisord strings, exec-form lists,
  Kubernetes command/args): wrapped as `sh -c 'exec celery ...'` so a shell expands it;
- Python config: `int(os.environ.get("CELERY_CONCURRENCY", "N"))`.
"""

from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path

from stacktune.model.finding import Edit, Finding, Fix
from stacktune.workers import rules
from stacktune.workers.audit import WorkerAudit
from stacktune.workers.celery_cli import OptionUse, worker_invocation
from stacktune.workers.checks import needs_exec
from stacktune.workers.expansion import references
from stacktune.workers.model import (
    ListPlace,
    Setting,
    ShellPlace,
    SourceText,
    StringPlace,
    WorkerCommand,
)

VARIABLE = "CELERY_CONCURRENCY"
GUARD = (
    'if ! [ "${{{var}:-{default}}}" -gt 0 ] 2>/dev/null; then '
    "echo \"{var} must be a positive integer (worker processes), got '${{{var}}}'\" >&2; exit 64; fi\n"
)
_DOLLAR = re.compile(r"(?<!\$)\$(?=[{A-Za-z_(])")


class _Files:
    """File contents read once per fix run."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._cache: dict[str, SourceText] = {}

    def __getitem__(self, path: str) -> SourceText:
        if path not in self._cache:
            self._cache[path] = SourceText(path, (self.root / path).read_bytes())
        return self._cache[path]


def _escape_dollars(text: str) -> str:
    return _DOLLAR.sub("$$", text)


def _dquote(text: str) -> str:
    """Double-quoted shell word: variables still expand, nothing else is special."""
    return '"' + re.sub(r'(["\\`])', r"\\\1", text) + '"'


def _shell_word(text: str) -> str:
    return _dquote(text) if references(text) else shlex.quote(text)


def _option_text(option: OptionUse, value: str) -> str:
    """The option as one word with a new (shell-syntax) value."""
    return f"{option.option}={value}" if option.option.startswith("--") else f"{option.option}{value}"


def _changes(command: WorkerCommand, rule: str, default: int) -> dict[int, str]:
    """word index -> new shell text, for the words the rule's fix rewrites."""
    invocation = worker_invocation(command.words)
    if rule == rules.HARDCODED.name and invocation and invocation.concurrency:
        option = invocation.concurrency
        value = f'"${{{VARIABLE}:-{default}}}"'
        if option.value_word is not None:
            return {option.value_word: value}
        return {option.word: _option_text(option, value)}
    # worker-variable-not-expanded: keep the user's words, make a shell expand them.
    return {i: _dquote(w.text) for i, w in enumerate(command.words) if references(w.text)}


def _merge(pieces: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """One edit per offset: two insertions at the same place (guard, exec) become one."""
    merged: list[tuple[int, int, str]] = []
    for start, end, new in pieces:
        if merged and merged[-1][0] == merged[-1][1] == start:
            merged[-1] = (start, end, merged[-1][2] + new)
        else:
            merged.append((start, end, new))
    return merged


def _shell_edits(src: SourceText, command: WorkerCommand, place: ShellPlace, changes: dict[int, str], guard: str) -> list[Edit]:
    value = place.slot.value
    pieces: list[tuple[int, int, str]] = []
    for index, new in changes.items():
        word = command.words[index]
        if place.quoting == "double" and new.startswith('"') and new.endswith('"'):
            new = new[1:-1]  # already inside "...": the quotes would close it
        if place.dollar_escape:
            new = _escape_dollars(new)
        pieces.append((word.start, word.end, new))
    if needs_exec(command):
        pieces.append((place.command_start, place.command_start, "exec "))
    if guard and place.line_start is not None:
        pieces.append((place.line_start, place.line_start, place.indent + guard))
    pieces = _merge(sorted(pieces, key=lambda p: (p[0], p[1], p[2] == "exec ")))
    if place.slot.encode is None:
        base = place.slot.start
        return [Edit(src.path, src.byte(base + s), src.byte(base + e), new) for s, e, new in pieces]
    for start, end, new in sorted(pieces, reverse=True):
        value = value[:start] + new + value[end:]
    return [Edit(src.path, src.byte(place.slot.start), src.byte(place.slot.end), place.slot.encode(value))]


def _wrap(script: str, command: WorkerCommand) -> str:
    shell = "/bin/sh" if command.expansion.name == "systemd" else "sh"
    return f"{shell} -c '" + script.replace("'", "'\\''") + "'"


def _string_edits(src: SourceText, command: WorkerCommand, place: StringPlace, changes: dict[int, str]) -> list[Edit]:
    value = place.slot.value
    for index in sorted(changes, reverse=True):
        word = command.words[index]
        new = _escape_dollars(changes[index]) if command.expansion.dollar_escape else changes[index]
        value = value[: word.start] + new + value[word.end :]
    program = command.words[0].start
    wrapped = value[:program] + _wrap("exec " + value[program:], command)
    return [Edit(src.path, src.byte(place.slot.start), src.byte(place.slot.end), place.slot.encode(wrapped))]


def _list_edits(src: SourceText, command: WorkerCommand, place: ListPlace, changes: dict[int, str]) -> list[Edit]:
    words = [changes.get(i, _shell_word(w.text)) for i, w in enumerate(command.words)]
    script = "exec " + " ".join(words)
    if command.expansion.dollar_escape:
        script = _escape_dollars(script)
    home = place.word_list[0]  # the list holding the program
    before = len(place.lists[home].items) - sum(1 for owner in place.word_list if owner == home)
    edits = []
    for index, argv in enumerate(place.lists):
        if index < home:
            continue
        items = [*argv.items[:before], "sh", "-c", script] if index == home else []
        edits.append(Edit(src.path, src.byte(argv.start), src.byte(argv.end), argv.encode(items)))
    return edits


def command_fix(src: SourceText, command: WorkerCommand, rule: str, default: int) -> Fix | None:
    changes = _changes(command, rule, default)
    if not changes:
        return None
    place = command.place
    if isinstance(place, ShellPlace):
        guard = GUARD.format(var=VARIABLE, default=default) if rule == rules.HARDCODED.name else ""
        edits = _shell_edits(src, command, place, changes, guard)
    elif isinstance(place, StringPlace):
        edits = _string_edits(src, command, place, changes)
    else:
        edits = _list_edits(src, command, place, changes)
    title = (
        f"read the worker concurrency from ${VARIABLE} (default {default})"
        if rule == rules.HARDCODED.name
        else "run the worker command through a shell that expands its variables"
    )
    return Fix(title, tuple(edits))


def exec_fix(src: SourceText, command: WorkerCommand) -> Fix | None:
    place = command.place
    if not isinstance(place, ShellPlace) or place.slot.encode is not None:
        return None
    offset = src.byte(place.slot.start + place.command_start)
    return Fix("start the worker with exec so it receives SIGTERM", (Edit(src.path, offset, offset, "exec "),))


def _os_import_offset(src: SourceText) -> int:
    """Byte offset where `import os` goes: before the first statement after docstring/__future__."""
    tree = ast.parse(src.data)
    body = tree.body
    skip = 0
    while skip < len(body) and (
        (isinstance(body[skip], ast.Expr) and isinstance(getattr(body[skip], "value", None), ast.Constant))
        or (isinstance(body[skip], ast.ImportFrom) and body[skip].module == "__future__")
    ):
        skip += 1
    if skip == len(body):
        return len(src.data) if src.data.endswith(b"\n") or not src.data else len(src.data)
    line = body[skip].lineno
    return sum(len(x) for x in src.data.splitlines(keepends=True)[: line - 1])


def setting_fix(src: SourceText, setting: Setting, default: int) -> Fix | None:
    if setting.value_span is None:
        return None
    start, end = setting.value_span
    edits = [Edit(src.path, start, end, f'int(os.environ.get("{VARIABLE}", "{default}"))')]
    if setting.needs_os_import:
        at = _os_import_offset(src)
        edits.insert(0, Edit(src.path, at, at, "import os\n"))
    return Fix(f"read {setting.name} from ${VARIABLE} (default {default})", tuple(edits))


def _fix_for(finding: Finding, audit: WorkerAudit, files: _Files, default: int, fixed: set[int]) -> Fix | None:
    command_index = finding.details.get("command")
    setting_index = finding.details.get("setting")
    if isinstance(command_index, int):
        command = audit.commands[command_index]
        src = files[command.path]
        if finding.rule in (rules.HARDCODED.name, rules.NOT_EXPANDED.name) and command_index not in fixed:
            fixed.add(command_index)
            return command_fix(src, command, finding.rule, default)
        if finding.rule == rules.WITHOUT_EXEC.name and command_index not in fixed:
            fixed.add(command_index)
            return exec_fix(src, command)
    elif isinstance(setting_index, int) and finding.rule == rules.HARDCODED.name:
        setting = audit.settings[setting_index]
        return setting_fix(files[setting.path], setting, default)
    return None


def worker_fixes(root: Path, audit: WorkerAudit, *, default: int = 4) -> list[Fix]:
    """One Fix per fixable finding (a command is rewritten once even when several rules fire)."""
    files = _Files(root)
    fixed: set[int] = set()
    ordered = sorted(audit.findings, key=lambda f: f.code)  # ST201/202 before ST207 on the same command
    fixes = [_fix_for(finding, audit, files, default, fixed) for finding in ordered]
    return [fix for fix in fixes if fix is not None]
