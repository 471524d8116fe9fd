"""Reading a Celery command line: is it a worker, and what do -c / --autoscale / -P say.

Option spellings are Celery 5's (`celery worker --help`): -c/--concurrency, --autoscale=MAX,MIN,
-P/--pool (prefork, solo, threads, gevent, eventlet, processes, custom), global -A/--app before or
after the subcommand (`celery -A proj worker` and the older `celery worker -A proj`), and
`python -m celery`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from stacktune.workers.model import Word

# Options whose value is the next word when not written as --opt=value (global and worker).
_VALUED = frozenset(
    {
        "-A", "--app", "-b", "--broker", "--result-backend", "--loader", "--config", "--workdir",
        "-l", "--loglevel", "-n", "--hostname", "-Q", "--queues", "-X", "--exclude-queues",
        "-I", "--include", "-f", "--logfile", "--pidfile", "-s", "--schedule", "--scheduler",
        "--prefetch-multiplier", "--max-tasks-per-child", "--max-memory-per-child", "--time-limit",
        "--soft-time-limit", "--statedb", "--uid", "--gid", "--umask", "--executable",
        "--heartbeat-interval", "-O", "-S", "--autoscale", "-P", "--pool", "-c", "--concurrency",
    }
)
_PYTHON = re.compile(r"python[0-9.]*")
# Launchers that run their arguments as a command.
_WRAPPERS = {("uv", "run"), ("poetry", "run"), ("pipenv", "run"), ("pdm", "run"), ("hatch", "run")}


@dataclass(frozen=True, slots=True)
class OptionUse:
    """One option on the command line: its spelling, its value word and how they were written."""

    option: str  # -c / --concurrency / --autoscale / -P / --pool as written
    value: str  # the value text ("" when missing)
    word: int  # index of the word holding the option
    value_word: int | None  # index of the separate value word, None when joined (-c2, --x=2)


@dataclass(frozen=True, slots=True)
class Invocation:
    program: int  # index of the first word of the celery program (celery or python)
    concurrency: OptionUse | None
    autoscale: OptionUse | None
    pool: str | None


def _basename(text: str) -> str:
    return text.rsplit("/", 1)[-1]


def find_program(texts: Sequence[str]) -> int | None:
    """Index where `celery` (or `python -m celery`) starts, skipping exec/env/nohup/uv run."""
    i = 0
    while i < len(texts):
        name = _basename(texts[i])
        if name == "celery":
            return i
        if _PYTHON.fullmatch(name) and texts[i + 1 : i + 3] == ["-m", "celery"]:
            return i
        if name in {"exec", "nohup", "env", "time", "nice", "tini", "dumb-init"} or "=" in texts[i] or texts[i].startswith("-"):
            i += 1
        elif i + 1 < len(texts) and (name, texts[i + 1]) in _WRAPPERS:
            i += 2
        else:
            return None
    return None


def _option(texts: Sequence[str], i: int, long: str, short: str | None) -> OptionUse | None:
    text = texts[i]
    if text in {long, short}:
        value_index = i + 1 if i + 1 < len(texts) else None
        return OptionUse(text, texts[value_index] if value_index is not None else "", i, value_index)
    if text.startswith(long + "="):
        return OptionUse(long, text[len(long) + 1 :], i, None)
    if short and text.startswith(short) and len(text) > 2 and not text.startswith("--"):
        return OptionUse(short, text[2:], i, None)
    return None


def parse_worker(texts: Sequence[str]) -> Invocation | None:
    """An Invocation when the words start a Celery worker, else None."""
    program = find_program(texts)
    if program is None:
        return None
    first = program + (1 if _basename(texts[program]) == "celery" else 3)
    concurrency = autoscale = pool = None
    is_worker = False
    i = first
    while i < len(texts):
        text = texts[i]
        if text == "--":
            break
        found_c = _option(texts, i, "--concurrency", "-c")
        found_a = _option(texts, i, "--autoscale", None)
        found_p = _option(texts, i, "--pool", "-P")
        if found_c:
            concurrency = found_c
        elif found_a:
            autoscale = found_a
        elif found_p:
            pool = found_p.value
        elif text == "worker" and not is_worker:
            is_worker = True
        elif not text.startswith("-") and not is_worker:
            return None  # another subcommand: beat, flower, inspect...
        i += 2 if text in _VALUED else 1
    if not is_worker:
        return None
    return Invocation(program, concurrency, autoscale, pool)


def worker_invocation(words: Sequence[Word]) -> Invocation | None:
    return parse_worker([w.text for w in words])
