"""The terminal report: the table a reviewer would draw by hand, with the evidence for each verdict."""

from __future__ import annotations

import functools
from collections import Counter

from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable
from rich.text import Text

from stacktune.audit import AuditResult
from stacktune.checks.context import FkCoverage
from stacktune.model.finding import Finding
from stacktune.model.location import Location

# Past this many rows the summary table stops being a summary (and costs seconds to lay out).
_TABLE_ROWS = 200
_FK_RULES = ("fk-without-index", "fk-weak-index")
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


def _evidence(item: FkCoverage, finding: Finding, console: Console) -> None:
    """The proof for one FK: where it was declared, every index on its table, and why none serves it.

    Written with Console.out (no wrapping, no markup): a live database can have thousands.
    """
    fk, table = item.fk, item.table
    out = functools.partial(console.out, highlight=False)
    out(f"{table.qualified_name}({', '.join(fk.columns)})  {fk.name}  declared at {_where(fk.location)}", style="bold")
    if fk.conditional:
        out("  declared inside a condition (DO block / IF): it exists only if that branch ran")
    for key in ("workload", "lookup_plan"):
        if key in finding.details:
            out(f"  {key.replace('_', ' ')}: {_facts(finding.details[key])}")
    if table.indexes:
        out(f"  indexes on {table.qualified_name}:")
        for index in sorted(table.indexes.values(), key=lambda ix: ix.name):
            out(f"    {index.describe():<60} {_where(index.location)}")
    else:
        out(f"  {table.qualified_name} has no indexes")
    out(f"  why: {item.coverage.reason}", style=_VERDICT_STYLE[item.coverage.verdict])
    out("")


def _facts(value: object) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in value.items())
    return str(value)


def render(result: AuditResult, console: Console) -> None:
    coverage = result.context.coverage
    by_fk = {(item.table.qualified_name, item.fk.name): item for item in coverage}
    fk_findings = [
        (finding, by_fk[key])
        for finding in result.findings
        if finding.rule in _FK_RULES and (key := (finding.table, finding.details.get("constraint"))) in by_fk
    ]
    sources = ", ".join(f"{s.path} ({s.style}, {len(s.files)} files)" for s in result.sources) or "none"
    console.print(f"[bold]stacktune audit[/] {escape(str(result.root))}: schema from {result.schema_from}; {escape(sources)}")
    if len(fk_findings) > _TABLE_ROWS:
        console.out(f"{len(fk_findings)} foreign keys to look at, each with its evidence:", highlight=False)
    elif fk_findings:
        console.print(_problem_table([item for _, item in fk_findings]))
        console.out("")
        for finding, item in fk_findings:
            _evidence(item, finding, console)
    for finding in result.findings:
        if finding.rule not in _FK_RULES:
            console.out(
                f"{finding.location} {finding.code} {finding.rule} {finding.message}",
                style=_SEVERITY_STYLE[finding.severity],
                highlight=False,
            )
    for diagnostic in result.diagnostics:
        console.out(f"{diagnostic} (input problem; the rest was audited)", style="magenta", highlight=False)
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
