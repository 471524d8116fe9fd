"""A rule's documentation page, rendered from its Rule record alone.

`stacktune rule CODE` prints it and docs/rules/ holds the same text
(scripts/gen_rule_docs.py), so the two cannot drift apart.
"""

from __future__ import annotations

import ast
import difflib

import pglast.parser

from stacktune.checks.rule import Rule

# Where the committed pages are published; SARIF links every rule here.
PROJECT_URL = "https://github.com/stacktune/stacktune"
DOCS_BASE_URL = f"{PROJECT_URL}/blob/main/docs/rules/"

_FIX_TEXT = {
    "always": "`stacktune fix` makes this change for every finding of this rule.",
    "sometimes": (
        "`stacktune fix` makes this change where the outcome is certain; the other findings of this rule"
        " need a decision only you can make, and the finding's help says which."
    ),
    "none": "There is no automatic fix: the change depends on what the code is for. Make it by hand.",
}


def page_name(rule: Rule) -> str:
    return f"{rule.code}-{rule.name}.md"


def docs_url(rule: Rule) -> str:
    return DOCS_BASE_URL + page_name(rule)


def example_language(example: str) -> str:
    """The fence language of an example, decided by the parser that accepts it."""
    try:
        pglast.parser.parse_sql_json(example)
        return "sql"
    except pglast.parser.ParseError:
        pass
    try:
        ast.parse(example)
        return "python"
    except SyntaxError:
        return "text"


def _fence(text: str, language: str) -> str:
    return f"```{language}\n{text.rstrip()}\n```"


def _suppression(rule: Rule, language: str) -> str:
    marker = "--" if language == "sql" else "#"
    return "\n".join(
        [
            "On the line of the statement, or on the comment lines directly above it:",
            "",
            _fence(f"{marker} stacktune: ignore[{rule.name}]", language),
            "",
            (
                f"For a whole file, `{marker} stacktune: ignore-file[{rule.name}]`. The code works too"
                f" (`ignore[{rule.code}]`). A suppression that no longer matches a finding is reported as"
                " `unused-suppression`."
            ),
            "",
            "For the whole repository, in `pyproject.toml`:",
            "",
            _fence(f'[tool.stacktune]\nignore = ["{rule.code}"]', "toml"),
        ]
    )


def _fix_section(rule: Rule) -> str:
    parts = [_FIX_TEXT[rule.fix]]
    if rule.bad_example and rule.good_example:
        diff = difflib.unified_diff(
            rule.bad_example.splitlines(), rule.good_example.splitlines(), "bad", "good", lineterm="", n=1
        )
        parts += ["", "The change from the bad example to the good one:", "", _fence("\n".join(diff), "diff")]
    return "\n".join(parts)


def render(rule: Rule) -> str:
    """The rule's page, in Markdown."""
    bad_language = example_language(rule.bad_example) if rule.bad_example else "text"
    sections = [
        f"# {rule.code} {rule.name}",
        f"{rule.title}.",
        f"Default severity: **{rule.severity}**. Automatic fix: **{rule.fix}**.",
        f"## Why it matters\n\n{rule.why}",
    ]
    if rule.bad_example:
        sections.append(f"## Bad\n\n{_fence(rule.bad_example, bad_language)}")
    if rule.good_example:
        sections.append(f"## Good\n\n{_fence(rule.good_example, example_language(rule.good_example))}")
    sections.append(f"## How the fix works\n\n{_fix_section(rule)}")
    sections.append(f"## How to suppress\n\n{_suppression(rule, bad_language)}")
    return "\n\n".join(sections) + "\n"
