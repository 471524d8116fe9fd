"""Who expands `$VAR` / `${VAR:-default}` in a command, per place it is written.

The facts, each from the runner's own documentation:
- shell (scripts, Procfile via bash, Dockerfile shell form via `/bin/sh -c`, Railpack and Render
  native start commands): full POSIX parameter expansion at run time, from the process env.
- exec form (Dockerfile JSON CMD/ENTRYPOINT, Railway start command on a Dockerfile/image, Fly
  processes, Render dockerCommand): no shell, no expansion ("exec form does not invoke a command
  shell ... CMD ["echo", "$HOME"] will not do variable substitution", Dockerfile reference).
- compose: `${VAR:-default}` and `$VAR` are interpolated when compose reads the file, from the
  host shell and the project .env, NOT from the service's `environment:`; `$$` escapes.
- Kubernetes command/args: only `$(VAR)` from the container's env; `$$` escapes.
- systemd Exec*: `${VAR}` and `$VAR` from Environment=/EnvironmentFile=, no `:-` defaults;
  `$$` passes a literal `$` (systemd.service(5)).
- supervisord: only `%(ENV_VAR)s` Python-format expansion; `$` is literal.
- make recipes: make expands `$(...)`/`${...}` itself first; a shell variable needs `$$`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Expansion:
    name: str
    shell: bool  # a POSIX shell sees the text at run time
    dollar_escape: bool  # `$$` must be written for a literal `$` (compose, make, systemd, k8s)
    what_happens: str  # to `${CELERY_CONCURRENCY:-4}` written here, for messages


SHELL = Expansion("shell", True, False, "expanded by the shell at run time")
MAKE = Expansion("make", True, True, "read by make as a make variable (empty) before the shell runs")
NONE = Expansion("none", False, False, "passed literally: no shell runs this command")
COMPOSE = Expansion(
    "compose", False, True,
    "interpolated by docker compose from the host environment when the file is read, not from "
    "the service's environment",
)
KUBERNETES = Expansion("kubernetes", False, False, "passed literally: Kubernetes only expands $(VAR)")
SYSTEMD = Expansion(
    "systemd", False, True, "passed literally: systemd expands ${VAR} and $VAR but has no :- default"
)
SUPERVISORD = Expansion(
    "supervisord", False, False, "passed literally: supervisord only expands %(ENV_VAR)s"
)

# Something that reads as a shell parameter reference: $NAME, ${...}, $(...) (not `$$`).
_REFERENCE = re.compile(r"(?<!\$)\$(?:\{[^}]*\}|\([^)]*\)|[A-Za-z_][A-Za-z0-9_]*)")


def references(text: str) -> list[str]:
    """Variable references a shell would expand in `text`."""
    return _REFERENCE.findall(text)


def unexpanded(text: str, expansion: Expansion) -> list[str]:
    """References in `text` that the runner of `expansion` does not expand from the process env."""
    found = references(text)
    if expansion is SHELL:
        return []
    if expansion is MAKE:
        # `$${VAR}` reaches the shell as `${VAR}`: fine; a single `$` is make's own.
        return found
    if expansion is SYSTEMD:
        return [r for r in found if r.startswith("${") and not re.fullmatch(r"\$\{[A-Za-z_]\w*\}", r)]
    if expansion is KUBERNETES:
        return [r for r in found if not r.startswith("$(")]
    return found
