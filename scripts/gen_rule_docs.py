"""Regenerate docs/rules/ from the rule records: one page per rule, nothing else.

    uv run python scripts/gen_rule_docs.py          # write the pages
    uv run python scripts/gen_rule_docs.py --check  # exit 1 if a page is stale, missing or extra
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from stacktune.checks.registry import all_rules
from stacktune.rules_doc import page_name, render

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"


def expected_pages() -> dict[str, str]:
    return {page_name(rule): render(rule) for rule in all_rules()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report differences instead of writing")
    args = parser.parse_args(argv)
    pages = expected_pages()
    present = {path.name for path in DOCS.glob("*.md")}
    stale = sorted(
        name for name, text in pages.items() if name not in present or (DOCS / name).read_text("utf-8") != text
    )
    extra = sorted(present - pages.keys())
    if args.check:
        for name in stale:
            print(f"docs/rules/{name}: out of date or missing")
        for name in extra:
            print(f"docs/rules/{name}: no rule has this page")
        return 1 if stale or extra else 0
    DOCS.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (DOCS / name).write_text(pages[name], encoding="utf-8")
    for name in extra:
        (DOCS / name).unlink()
    print(f"docs/rules: {len(stale)} written, {len(extra)} removed, {len(pages)} rules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
