"""Rule docs: every rule has a committed page equal to render(rule), and nothing else is there."""

from __future__ import annotations

import subprocess
import sys

from ci_helpers import REPO

from stacktune.checks.registry import all_rules
from stacktune.rules_doc import example_language, page_name, render
from stacktune.suppressions import SUPPRESSION_RULES
from stacktune.workers.rules import WORKER_RULES

DOCS = REPO / "docs" / "rules"


def test_every_rule_has_its_generated_page_and_no_page_is_extra() -> None:
    rules = all_rules()
    codes = [rule.code for rule in rules]
    assert len(codes) == len(set(codes))
    assert {r.code for r in (*all_rules(), *WORKER_RULES, *SUPPRESSION_RULES)} == set(codes)
    pages = {path.name for path in DOCS.glob("*.md")}
    assert pages == {page_name(rule) for rule in rules}, "run scripts/gen_rule_docs.py"
    for rule in rules:
        assert (DOCS / page_name(rule)).read_text(encoding="utf-8") == render(rule), page_name(rule)


def test_page_sections() -> None:
    rule = next(r for r in all_rules() if r.code == "ST101")
    page = render(rule)
    assert page.startswith("# ST101 fk-without-index\n")
    for heading in ("## Why it matters", "## Bad", "## Good", "## How the fix works", "## How to suppress"):
        assert heading in page
    assert "```sql\n-- stacktune: ignore[fk-without-index]\n```" in page
    assert "+CREATE INDEX IF NOT EXISTS idx_orders_user_id" in page  # the diff from bad to good


def test_example_language_is_decided_by_the_parsers() -> None:
    assert example_language("CREATE TABLE t (id int);\n") == "sql"
    assert example_language("worker_concurrency = int(x)\n") == "python"
    assert example_language("celery -A app worker -c 2\n") == "text"


def test_generator_check_mode_agrees() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "gen_rule_docs.py"), "--check"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
