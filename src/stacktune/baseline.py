"""Finding identity and the baseline: fail only on findings that are new since it was written.

A finding's identity never uses its line number, so a baseline (and SARIF's
partialFingerprints) survives lines moving. FK findings are identified by their
constraint; others by the whitespace-collapsed text of their line plus an
occurrence counter among identical ones.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from stacktune.model.finding import Finding

BASELINE_VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be read (missing, not JSON, another format)."""


@dataclass(frozen=True, slots=True)
class Baseline:
    fingerprints: frozenset[str]


class _Lines:
    """Each file's lines, read once; an unreadable file has none."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._files: dict[str, list[str]] = {}

    def line(self, path: str, number: int) -> str | None:
        if path not in self._files:
            try:
                text = (self._root / path).read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            self._files[path] = text.split("\n")  # line numbers as LineIndex counts them
        lines = self._files[path]
        return lines[number - 1] if 0 < number <= len(lines) else None


def _semantic_key(finding: Finding, lines: _Lines) -> str:
    constraint = finding.details.get("constraint")
    if constraint is not None:
        what = [finding.table or "", ",".join(finding.columns), str(constraint)]
    else:
        text = lines.line(finding.location.path, finding.location.line)
        # A finding without a readable line (a live database) is known by its message.
        what = [" ".join(text.split()) if text is not None else finding.message]
    return "\x1f".join([finding.code, finding.location.path, *what])


def fingerprints(findings: Sequence[Finding], root: Path) -> list[str]:
    """One stable identity per finding, in the order given."""
    lines = _Lines(root)
    keys = [_semantic_key(finding, lines) for finding in findings]
    seen: Counter[str] = Counter()
    result = [""] * len(findings)
    # Occurrences are counted in file order, so identical findings keep their number when lines move.
    for i in sorted(range(len(findings)), key=lambda i: (findings[i].location, findings[i].code)):
        occurrence = seen[keys[i]]
        seen[keys[i]] += 1
        result[i] = hashlib.sha256(f"{keys[i]}\x1e{occurrence}".encode()).hexdigest()[:32]
    return result


def write_baseline(path: Path, findings: Sequence[Finding], root: Path) -> None:
    entries = [
        {"fingerprint": fp, "code": f.code, "rule": f.rule, "path": f.location.path, "message": f.message}
        for fp, f in zip(fingerprints(findings, root), findings, strict=True)
    ]
    entries.sort(key=lambda e: (e["path"], e["code"], e["fingerprint"]))
    data = {"tool": "stacktune", "version": BASELINE_VERSION, "findings": entries}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def load_baseline(path: Path) -> Baseline:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BaselineError(f"cannot read baseline {path}: {error.strerror}") from None
    except json.JSONDecodeError as error:
        raise BaselineError(f"{path}:{error.lineno}: not a stacktune baseline ({error.msg})") from None
    if not isinstance(data, dict) or data.get("tool") != "stacktune" or data.get("version") != BASELINE_VERSION:
        raise BaselineError(f"{path}: not a stacktune baseline (version {BASELINE_VERSION})")
    entries = data.get("findings")
    if not isinstance(entries, list) or not all(isinstance(e, dict) and "fingerprint" in e for e in entries):
        raise BaselineError(f"{path}: 'findings' must be a list of entries with a fingerprint")
    return Baseline(frozenset(str(e["fingerprint"]) for e in entries))


def new_findings(findings: Sequence[Finding], baseline: Baseline, root: Path) -> list[Finding]:
    """The findings the baseline does not know, in the order given."""
    return [f for f, fp in zip(findings, fingerprints(findings, root), strict=True) if fp not in baseline.fingerprints]
