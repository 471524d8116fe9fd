"""`stacktune rule CODE`: a rule's documentation page."""

from __future__ import annotations

import click

from stacktune.cli.app import fail


@click.command()
@click.argument("rule")
def rule(rule: str) -> None:
    """Print the documentation of a rule, by code (ST101) or name (fk-without-index)."""
    from stacktune.checks.registry import all_rules
    from stacktune.rules_doc import render

    key = rule.strip()
    found = next((r for r in all_rules() if r.code == key.upper() or r.name == key), None)
    if found is None:
        codes = ", ".join(f"{r.code} {r.name}" for r in all_rules())
        raise fail(f"no rule {key!r}; the rules are: {codes}")
    click.echo(render(found))
