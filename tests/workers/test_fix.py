"""Fix: each format's rewrite, byte for byte elsewhere, re-audited clean, idempotent."""

from __future__ import annotations

import subprocess

import pytest
import yaml
from worker_project import apply_round, write

from stacktune.workers.audit import audit_workers

GUARD = (
    'if ! [ "${CELERY_CONCURRENCY:-4}" -gt 0 ] 2>/dev/null; then echo "CELERY_CONCURRENCY must be a positive '
    "integer (worker processes), got '${CELERY_CONCURRENCY}'\" >&2; exit 64; fi\n"
)
CASES = [
    ("start_celery.sh",
     "#!/usr/bin/env bash\nset -e\n# 启动\ncelery -A app.celery_app worker --loglevel=info --concurrency=2\n",
     "#!/usr/bin/env bash\nset -e\n# 启动\n" + GUARD
     + 'exec celery -A app.celery_app worker --loglevel=info --concurrency="${CELERY_CONCURRENCY:-4}"\n'),
    ("run.sh", "if true; then\n  celery -A a worker -c 2 &\nfi\n",
     'if true; then\n  ' + GUARD + '  celery -A a worker -c "${CELERY_CONCURRENCY:-4}" &\nfi\n'),
    ("Procfile", "web: x\nworker: celery -A a worker -c2 # two\n",
     'web: x\nworker: celery -A a worker -c"${CELERY_CONCURRENCY:-4}" # two\n'),
    ("Makefile", "w:\n\t@celery -A a worker -c ${N:-2}\n", 'w:\n\t@celery -A a worker -c "$${N:-2}"\n'),
    ("Dockerfile", "FROM x\nCMD celery -A a worker \\\n  --concurrency=2\n",
     'FROM x\nCMD exec celery -A a worker \\\n  --concurrency="${CELERY_CONCURRENCY:-4}"\n'),
    ("Dockerfile", 'FROM x\nCMD ["celery", "-A", "a", "worker", "--concurrency=2"]\n',
     'FROM x\nCMD ["sh", "-c", "exec celery -A a worker --concurrency=\\"${CELERY_CONCURRENCY:-4}\\""]\n'),
    ("Dockerfile", 'FROM x\nENTRYPOINT ["tini", "--", "celery", "-A", "a", "worker", "-c", "${C:-3}"]\n',
     'FROM x\nENTRYPOINT ["tini", "--", "sh", "-c", "exec celery -A a worker -c \\"${C:-3}\\""]\n'),
    ("docker-compose.yml", "services:\n  w:\n    command: celery -A a worker -c 2  # x\n    image: i\n",
     "services:\n  w:\n    command: sh -c 'exec celery -A a worker -c \"$${CELERY_CONCURRENCY:-4}\"'  # x\n    image: i\n"),
    ("docker-compose.yml", "services:\n  w:\n    command:\n      - celery\n      - worker\n      - -c\n      - '2'\n    image: i\n",
     'services:\n  w:\n    command:\n      ["sh", "-c", "exec celery worker -c \\"$${CELERY_CONCURRENCY:-4}\\""]\n    image: i\n'),
    ("fly.toml", '[processes]\n  worker = "celery -A a worker -c 2"\n',
     '[processes]\n  worker = "sh -c \'exec celery -A a worker -c \\"${CELERY_CONCURRENCY:-4}\\"\'"\n'),
    ("railway.json", '{"deploy": {"startCommand": "celery -A a worker -c 2"}, "build": {"builder": "DOCKERFILE"}}\n',
     '{"deploy": {"startCommand": "sh -c \'exec celery -A a worker -c \\"${CELERY_CONCURRENCY:-4}\\"\'"}, "build": {"builder": "DOCKERFILE"}}\n'),
    ("railway.toml", '[deploy]\nstartCommand = "celery -A a worker -c 2"\n',
     '[deploy]\nstartCommand = "celery -A a worker -c \\"${CELERY_CONCURRENCY:-4}\\""\n'),
    ("render.yaml", "services:\n  - startCommand: celery -A a worker -c 2\n",
     'services:\n  - startCommand: celery -A a worker -c "${CELERY_CONCURRENCY:-4}"\n'),
    ("k.yaml", "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - command: [celery]\n      args: [-A, a, worker, -c, '2']\n",
     'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - command: ["sh", "-c", "exec celery -A a worker -c \\"${CELERY_CONCURRENCY:-4}\\""]\n      args: []\n'),
    ("w.conf", "[program:w]\ncommand=celery -A a worker -c 2 -l %(ENV_L)s\n",
     "[program:w]\ncommand=sh -c 'exec celery -A a worker -c \"${CELERY_CONCURRENCY:-4}\" -l %(ENV_L)s'\n"),
    ("w.service", "[Service]\nExecStart=-/usr/bin/celery -A a worker -c 2\n",
     "[Service]\nExecStart=-/bin/sh -c 'exec /usr/bin/celery -A a worker -c \"$${CELERY_CONCURRENCY:-4}\"'\n"),
    ("celeryconfig.py", '"""Config."""\nfrom __future__ import annotations\n\nworker_concurrency = 2\n',
     '"""Config."""\nfrom __future__ import annotations\n\nimport os\nworker_concurrency = int(os.environ.get("CELERY_CONCURRENCY", "4"))\n'),
    ("app.py", "import os\napp.conf.update(worker_concurrency=8)\n",
     'import os\napp.conf.update(worker_concurrency=int(os.environ.get("CELERY_CONCURRENCY", "4")))\n'),
]


@pytest.mark.parametrize(("name", "before", "after"), CASES)
def test_fix(tmp_path, name, before, after) -> None:
    write(tmp_path, {name: before})
    assert apply_round(tmp_path) >= 1
    assert (tmp_path / name).read_text(encoding="utf-8") == after
    audit = audit_workers(tmp_path)
    assert audit.diagnostics == []
    fixable = {"worker-concurrency-hardcoded", "worker-variable-not-expanded", "worker-start-without-exec"}
    assert not [f for f in audit.findings if f.rule in fixable]
    assert apply_round(tmp_path) == 0  # applied twice changes nothing
    assert (tmp_path / name).read_text(encoding="utf-8") == after
    if name.endswith(".sh"):
        subprocess.run(["bash", "-n", str(tmp_path / name)], check=True)
    if name.endswith((".yml", ".yaml")):
        yaml.safe_load_all((tmp_path / name).read_text())


def test_worker_default(tmp_path) -> None:
    write(tmp_path, {"Procfile": "w: celery -A a worker -c 2\n"})
    apply_round(tmp_path, default=6)
    assert (tmp_path / "Procfile").read_text() == 'w: celery -A a worker -c "${CELERY_CONCURRENCY:-6}"\n'


def test_exec_only_fix(tmp_path) -> None:
    write(tmp_path, {"start.sh": 'cd /app\ncelery -A a worker -c "$C"\n'})
    assert apply_round(tmp_path) == 1
    assert (tmp_path / "start.sh").read_text() == 'cd /app\nexec celery -A a worker -c "$C"\n'


def test_rewritten_shell_form_runs(tmp_path) -> None:
    """The sh -c wrapper really expands: run the rewritten exec-form command with echo for celery."""
    write(tmp_path, {"Dockerfile": 'FROM x\nCMD ["celery", "worker", "-c", "2"]\n'})
    apply_round(tmp_path)
    argv = yaml.safe_load((tmp_path / "Dockerfile").read_text().split("CMD ", 1)[1])
    script = argv[2].replace("exec celery", "exec echo")
    env = {"PATH": "/usr/bin:/bin", "CELERY_CONCURRENCY": "7"}
    out = subprocess.run([argv[0], argv[1], script], capture_output=True, text=True, env=env, check=True)
    assert out.stdout == "worker -c 7\n"
