"""Checks, pass/fail pairs per rule, including the traps."""

from __future__ import annotations

import pytest

from stacktune.workers.rules import WORKER_RULES


def rules_of(audit) -> list[str]:
    return sorted(f.rule for f in audit.findings)


CASES = [
    # (files, expected rule names)
    ({"start.sh": "exec celery -A app worker --concurrency=2\n"}, ["worker-concurrency-hardcoded"]),
    ({"start.sh": 'exec celery -A app worker --concurrency="${CELERY_CONCURRENCY:-4}"\n'}, []),
    ({"Procfile": "worker: celery -A app worker -c2\n"}, ["worker-concurrency-hardcoded"]),
    ({"Procfile": "worker: celery -A app worker -c $WORKERS\n"}, []),
    # the trap: the seed's rewrite is wrong where no shell runs
    ({"Dockerfile": 'FROM x\nCMD ["celery", "-A", "a", "worker", "-c", "${CELERY_CONCURRENCY:-4}"]\n'},
     ["worker-variable-not-expanded"]),
    ({"fly.toml": '[processes]\nworker = "celery -A a worker -c ${CELERY_CONCURRENCY:-4}"\n'},
     ["worker-variable-not-expanded"]),
    ({"docker-compose.yml": "services:\n  w:\n    command: celery -A a worker -c ${CELERY_CONCURRENCY:-4}\n"},
     ["worker-variable-not-expanded"]),
    ({"docker-compose.yml": "services:\n  w:\n    command: sh -c 'exec celery -A a worker -c $${C:-4}'\n"}, []),
    ({"w.service": "[Service]\nExecStart=/usr/bin/celery -A a worker -c ${CELERY_CONCURRENCY:-4}\n"},
     ["worker-variable-not-expanded"]),
    ({"w.service": "[Service]\nEnvironment=C=3\nExecStart=/usr/bin/celery -A a worker -c ${C}\n"}, []),
    ({"w.conf": "[program:w]\ncommand=celery -A a worker -c %(ENV_C)s\n"}, []),
    ({"w.conf": "[program:w]\ncommand=celery -A a worker -c ${C:-4}\n"}, ["worker-variable-not-expanded"]),
    ({"k.yaml": "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - args: [celery, -A, a, worker, -c, $(C)]\n"}, []),
    ({"k.yaml": "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - args: [celery, -A, a, worker, -c, '${C:-4}']\n"},
     ["worker-variable-not-expanded"]),
    ({"Makefile": "w:\n\tcelery -A a worker -c ${C:-4}\n"}, ["worker-variable-not-expanded"]),
    ({"Makefile": "w:\n\tcelery -A a worker -c $${C:-4}\n"}, []),
    # invalid values
    ({"start.sh": "exec celery -A a worker -c abc\n"}, ["worker-concurrency-invalid"]),
    ({"start.sh": "exec celery -A a worker -c -2\n"}, ["worker-concurrency-invalid"]),
    ({"start.sh": "exec celery -A a worker --concurrency=\n"}, ["worker-concurrency-invalid"]),
    ({"start.sh": "exec celery -A a worker -c ${C:-x}\n"}, ["worker-concurrency-invalid"]),
    ({"start.sh": "exec celery -A a worker --autoscale=10,3,1\n"}, ["worker-concurrency-invalid"]),
    ({"start.sh": "exec celery -A a worker --autoscale=ten\n"}, ["worker-concurrency-invalid"]),
    ({"start.sh": "exec celery -A a worker --autoscale=10,3\n"}, []),
    ({"start.sh": "exec celery -A a worker -c auto\n", "requirements.txt": "celery==5.3.6\n"},
     ["worker-concurrency-invalid"]),
    ({"start.sh": "exec celery -A a worker -c auto\n", "requirements.txt": "celery==5.7.0\n"}, []),
    ({".env": "CELERY_CONCURRENCY=four\n"}, ["worker-concurrency-invalid"]),
    # env string without int()
    ({"celeryconfig.py": 'import os\nworker_concurrency = os.environ.get("C", 4)\n'}, ["worker-concurrency-not-int"]),
    ({"celeryconfig.py": 'import os\nworker_concurrency = int(os.environ.get("C", "4"))\n'}, []),
    # precedence: CLI > CELERY_WORKER_CONCURRENCY > config
    ({"start.sh": "exec celery -A a worker -c $C\n", "celeryconfig.py": "import os\nworker_concurrency = int(os.environ['X'])\n"},
     ["worker-concurrency-overridden"]),
    ({".env": "CELERY_WORKER_CONCURRENCY=3\n", "c.py": "import os\napp.conf.worker_concurrency = int(os.environ['X'])\n"},
     ["worker-concurrency-overridden"]),
    # -c ignored
    ({"start.sh": 'exec celery -A a worker -P solo -c "$C"\n'}, ["worker-concurrency-ignored"]),
    ({"start.sh": 'exec celery -A a worker --autoscale=8,2 -c "$C"\n'}, ["worker-concurrency-ignored"]),
    # A fixed -c that Celery ignores is reported as ignored only: rewriting it would change nothing.
    ({"start.sh": "exec celery -A a worker --pool=solo --concurrency=1\n"}, ["worker-concurrency-ignored"]),
    ({"start.sh": "exec celery -A a worker --autoscale=8,2 -c 4\n"}, ["worker-concurrency-ignored"]),
    # no exec
    ({"start.sh": 'cd /app\ncelery -A a worker -c "$C"\n'}, ["worker-start-without-exec"]),
    ({"start.sh": 'celery -A a worker -c "$C" &\nwait\n'}, []),
    ({"Dockerfile": 'FROM x\nCMD celery -A a worker -c "$C"\n'}, ["worker-start-without-exec"]),
    # nothing set anywhere, in a container
    ({"Dockerfile": 'FROM x\nCMD ["celery", "-A", "a", "worker"]\n'}, ["worker-concurrency-unset"]),
    ({"Dockerfile": 'FROM x\nENV CELERY_WORKER_CONCURRENCY=2\nCMD ["celery", "-A", "a", "worker"]\n'}, []),
    ({"Makefile": "w:\n\tcelery -A a worker\n"}, []),  # a developer's machine: the host is the limit
]


@pytest.mark.parametrize(("files", "expected"), CASES)
def test_rules(project, files, expected) -> None:
    _, audit = project(files)
    assert audit.diagnostics == []
    assert rules_of(audit) == expected


def test_findings_carry_code_and_location(project) -> None:
    _, audit = project({"start.sh": "#!/bin/sh\n\nexec celery -A a worker --concurrency=2\n"})
    (finding,) = audit.findings
    assert (finding.code, finding.rule, finding.severity) == ("ST201", "worker-concurrency-hardcoded", "warning")
    assert (finding.location.path, finding.location.line, finding.location.column) == ("start.sh", 3, 6)
    assert "--concurrency=2" in finding.message


def test_connection_budget(project) -> None:
    files = {
        "app/db.py": "from sqlalchemy import create_engine\nengine = create_engine(URL, pool_size=10, max_overflow=20)\n",
        "Procfile": "a: celery -A app worker -c 2\nb: celery -A app worker -c 2\n",
    }
    _, audit = project(files)
    (budget,) = [f for f in audit.findings if f.rule == "worker-connection-budget"]
    # once fixed each worker runs the default 4: 2 workers x 4 x (10 + 20) = 240 > 97
    assert budget.details["demand"] == 240
    assert budget.location.path == "app/db.py"


def test_connection_budget_within_limits(project) -> None:
    _, audit = project({"app/db.py": "engine = create_engine(URL, pool_size=2, max_overflow=3)\n",
                        "Procfile": "w: celery -A app worker\n"})
    assert "worker-connection-budget" not in rules_of(audit)


def test_rule_registry() -> None:
    codes = [r.code for r in WORKER_RULES]
    assert codes == [f"ST{201 + i}" for i in range(len(WORKER_RULES))]
    assert len({r.name for r in WORKER_RULES}) == len(WORKER_RULES)
    assert WORKER_RULES[0].name == "worker-concurrency-hardcoded"
    assert WORKER_RULES[1].name == "worker-variable-not-expanded"
    for rule in WORKER_RULES:
        assert rule.name.startswith("worker-") and rule.why and rule.bad_example and rule.good_example
        assert rule.bad_example != rule.good_example
