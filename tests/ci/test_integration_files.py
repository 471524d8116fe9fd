"""The pre-commit hook and the GitHub Action are wired the way the README documents."""

from __future__ import annotations

import yaml
from ci_helpers import REPO


def test_pre_commit_hook_definition() -> None:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "stacktune"
    assert hook["language"] == "python"
    assert hook["entry"] == "stacktune audit"
    assert hook["pass_filenames"] is False
    assert hook["files"] == r"\.(sql|py|sh)$"


def test_action_uploads_sarif_before_failing() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert uses[0].startswith("actions/setup-python@")
    install, audit = steps[1]["run"], steps[2]["run"]
    assert "pip install" in install and "GITHUB_ACTION_PATH" in install
    assert "--format sarif" in audit and "|| status=$?" in audit, "the audit step must not fail before upload"
    upload = next(i for i, u in enumerate(uses) if u.startswith("github/codeql-action/upload-sarif@"))
    assert steps[upload]["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    assert upload == len(steps) - 2 and steps[-1]["run"].startswith("exit ")
