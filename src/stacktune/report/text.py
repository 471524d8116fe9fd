"""The terminal report: the table a reviewer would draw by hand, with the evidence for each verdict."""

from __future__ import annotations

from collections import Counter

from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table as RichTable
from rich.text import Text

from stacktune.audit import AuditResult
from stacktune.checks.context import FkCoverage
from stacktune.model.location import Location

_VERDICT_STYLE = {"uncovered": "bold red", "weak": "yellow", "covered": "green"}
_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _where(location: Location | None) -> str:
    return f"{location.path}:{location.line}" if location else "?"


def _problem_table(items: list[FkCoverage]) -> RichTable:
    table = RichTable(title="Foreign keys PostgreSQL cannot look up by index", title_justify="left", expand=False)
    for header in ("table", "columns", "references", "on delete", "declared at", "verdict"):
        table.add_column(header, overflow="fold", no_wrap=header in ("on delete", "declared at", "verdict"))
    for item in items:
        fk = item.fk
        ref = fk.ref_table if fk.ref_schema == item.table.schema else f"{fk.ref_schema}.{fk.ref_table}"
        verdict = item.coverage.verdict + (" (conditional)" if fk.conditional else "")
        table.add_row(
            item.table.qualified_name,
            ", ".join(fk.columns),
            f"{ref}({', '.join(fk.ref_columns)})",
            fk.on_delete,
            _where(fk.location),
            Text(verdict, style=_VERDICT_STYLE[item.coverage.verdict]),
        )
    return table


def _evidence(item: FkCoverage) -> Group:
    fk, table = item.fk, item.table
    lines = [
        Text.assemble(
            (f"{table.qualified_name}({', '.join(fk.columns)})", "bold"),
            f"  {fk.name}  declared at {_where(fk.location)}",
        )
    ]
    if fk.conditional:
        lines.append(Text("  declared inside a condition (DO block / IF): it exists only if that branch ran"))
    if table.indexes:
        lines.append(Text(f"  indexes on {table.qualified_name}:"))
        for index in sorted(table.indexes.values(), key=lambda ix: ix.name):
            lines.append(Text(f"    {index.describe():<60} {_where(index.location)}"))
    lines.append(Text(f"  why: {item.coverage.reason}", style=_VERDICT_STYLE[item.coverage.verdict]))
    return Group(*lines)


def render(result: AuditResult, console: Console) -> None:
    coverage = result.context.coverage
    problems = [item for item in coverage if item.coverage.verdict != "covered"]
    sources = ", ".join(f"{s.path} ({s.style}, {len(s.files)} files)" for s in result.sources) or "none"
    console.print(f"[bold]stacktune audit[/] {escape(str(result.root))}: schema from {result.schema_from}; {escape(sources)}")
    if problems:
        console.print(_problem_table(problems))
        console.print()
        for item in problems:
            console.print(_evidence(item))
            console.print()
    others = [f for f in result.findings if f.rule not in ("fk-without-index", "fk-weak-index")]
    for finding in others:
        console.print(
            Text.assemble(
                f"{finding.location} ",
                (f"{finding.code} {finding.rule}", _SEVERITY_STYLE[finding.severity]),
                f" {finding.message}",
            )
        )
    for diagnostic in result.diagnostics:
        console.print(Text(f"{diagnostic} (input problem; the rest was audited)", style="magenta"))
    counts = Counter(item.coverage.verdict for item in coverage)
    console.print(
        Text.assemble(
            (f"{len(coverage)} foreign keys: ", "bold"),
            (f"{counts['uncovered']} uncovered", _VERDICT_STYLE["uncovered"]),
            ", ",
            (f"{counts['weak']} weak", _VERDICT_STYLE["weak"]),
            ", ",
            (f"{counts['covered']} covered", _VERDICT_STYLE["covered"]),
            f"; {len(result.findings)} findings, {len(result.diagnostics)} input problems",
        )
    )
