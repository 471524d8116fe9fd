"""Detection: every format finds its worker commands (and only those), with style, expansion
and location; settings come from config, env files and platform environments."""

from __future__ import annotations

import pytest

CASES = [
    # (file, content, style, expansion, argv, line)
    ("start.sh", "#!/bin/sh\nset -e\ncelery -A app worker -c 2\n", "shell", "shell",
     ["celery", "-A", "app", "worker", "-c", "2"], 3),
    ("bin/worker", "#!/usr/bin/env bash\nexec python -m celery -A app worker\n", "shell", "shell",
     ["python", "-m", "celery", "-A", "app", "worker"], 2),
    ("run.sh", "if true; then\n  uv run celery worker -A app --concurrency=3 &\nfi\n", "shell", "shell",
     ["celery", "worker", "-A", "app", "--concurrency=3"], 2),
    ("Procfile", "web: uvicorn app:app\nworker: celery -A app worker -c 2\n", "procfile", "shell",
     ["celery", "-A", "app", "worker", "-c", "2"], 2),
    ("Dockerfile", "FROM python\nCMD celery -A app worker \\\n  -c 2\n", "dockerfile", "shell",
     ["celery", "-A", "app", "worker", "-c", "2"], 2),
    ("Dockerfile", 'FROM python\nCMD ["celery", "-A", "app", "worker", "-c", "2"]\n', "dockerfile", "none",
     ["celery", "-A", "app", "worker", "-c", "2"], 2),
    ("Dockerfile", 'FROM python\nENTRYPOINT ["sh", "-c", "exec celery -A app worker -c 2"]\n', "dockerfile",
     "shell", ["celery", "-A", "app", "worker", "-c", "2"], 2),
    ("docker-compose.yml", "services:\n  w:\n    command: celery -A app worker -c 2\n", "compose", "compose",
     ["celery", "-A", "app", "worker", "-c", "2"], 3),
    ("compose.yaml", "services:\n  w:\n    command: [celery, -A, app, worker, -c, '2']\n", "compose", "compose",
     ["celery", "-A", "app", "worker", "-c", "2"], 3),
    ("railway.toml", '[build]\nbuilder = "RAILPACK"\n[deploy]\nstartCommand = "celery -A app worker -c 2"\n',
     "railway", "shell", ["celery", "-A", "app", "worker", "-c", "2"], 4),
    ("railway.json", '{"deploy": {"startCommand": "celery -A app worker -c 2"}, "build": {"builder": "DOCKERFILE"}}',
     "railway", "none", ["celery", "-A", "app", "worker", "-c", "2"], 1),
    ("fly.toml", '[processes]\nworker = "celery -A app worker -c 2"\n', "fly", "none",
     ["celery", "-A", "app", "worker", "-c", "2"], 2),
    ("render.yaml", "services:\n  - type: worker\n    startCommand: celery -A app worker -c 2\n", "render", "shell",
     ["celery", "-A", "app", "worker", "-c", "2"], 3),
    ("k8s/deploy.yaml",
     "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
     "        - name: w\n          command: [celery]\n          args: [-A, app, worker, -c, '2']\n",
     "kubernetes", "kubernetes", ["celery", "-A", "app", "worker", "-c", "2"], 8),
    ("k8s/cron.yaml",
     "apiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
     "          containers:\n            - command: [celery, -A, app, worker, -c, '2']\n",
     "kubernetes", "kubernetes", ["celery", "-A", "app", "worker", "-c", "2"], 9),
    ("supervisord.conf", "[program:w]\ncommand=celery -A app worker -c 2\n", "supervisord", "supervisord",
     ["celery", "-A", "app", "worker", "-c", "2"], 2),
    ("celery.service", "[Service]\nExecStart=-/usr/bin/celery -A app worker -c 2\n", "systemd", "systemd",
     ["/usr/bin/celery", "-A", "app", "worker", "-c", "2"], 2),
    ("Makefile", "worker:\n\t@celery -A app worker -c 2\n", "makefile", "make",
     ["celery", "-A", "app", "worker", "-c", "2"], 2),
    # bashlex implements neither `case` nor `[[ ]]`: such scripts are read line by line.
    ("entrypoint.sh", 'case "$1" in\n  worker)\n    celery -A app worker \\\n      -c 2\n    ;;\nesac\n', "shell",
     "shell", ["celery", "-A", "app", "worker", "-c", "2"], 3),
    ("start.sh", 'if [[ "$1" == "worker" ]]; then\n  celery worker --app=app -Ofair -c 2\nfi\n', "shell", "shell",
     ["celery", "worker", "--app=app", "-Ofair", "-c", "2"], 2),
    ("celery@.service",
     "[Service]\nExecStart=/venv/bin/celery -A app worker \\\n    -c 2 \\\n    -n w%i@%%h\nRestart=always\n",
     "systemd", "systemd", ["/venv/bin/celery", "-A", "app", "worker", "-c", "2", "-n", "w%i@%%h"], 2),
]


@pytest.mark.parametrize(("name", "content", "style", "expansion", "argv", "line"), CASES)
def test_finds_the_worker_command(project, name, content, style, expansion, argv, line) -> None:
    _, audit = project({name: content})
    assert audit.diagnostics == []
    assert [(c.style, c.expansion.name, [w.text for w in c.words]) for c in audit.commands] == [
        (style, expansion, argv)
    ]
    assert audit.commands[0].location.path == name
    assert audit.commands[0].location.line == line
    assert audit.sources[0].style == style


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("start.sh", "celery -A app beat\ncelery -A app inspect ping\necho celery worker\n"),
        ("Procfile", "web: gunicorn app:app\n"),
        ("k8s.yaml", "apiVersion: v1\nkind: Service\nspec:\n  ports: [80]\n"),
        ("notes.yaml", "command: celery -A app worker -c 2\n"),  # not a deploy format
    ],
)
def test_ignores_what_is_not_a_worker(project, name, content) -> None:
    _, audit = project({name: content})
    assert audit.commands == []


def test_railway_toml_uses_exec_form_when_a_dockerfile_is_beside_it(project) -> None:
    _, audit = project({"Dockerfile": "FROM python\n", "railway.toml": '[deploy]\nstartCommand = "celery -A a worker"\n'})
    assert [c.expansion.name for c in audit.commands] == ["none"]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("celeryconfig.py", "worker_concurrency = 3\n", ("config", "worker_concurrency", "3")),
        ("settings.py", "CELERYD_CONCURRENCY = 5\n", ("config", "CELERYD_CONCURRENCY", "5")),
        ("app.py", "app.conf.update(worker_concurrency=2)\n", ("config", "worker_concurrency", "2")),
        ("app.py", 'app.conf.update({"worker_concurrency": 6})\n', ("config", "worker_concurrency", "6")),
        ("app.py", "celery_app.conf.worker_concurrency = 7\n", ("config", "worker_concurrency", "7")),
        ("app.py", 'import os\napp.conf.worker_concurrency = os.environ.get("C")\n', ("config", "worker_concurrency", None)),
        (".env", "export CELERY_WORKER_CONCURRENCY='3'\n", ("env", "CELERY_WORKER_CONCURRENCY", "3")),
        ("worker.env", "CELERY_CONCURRENCY=3 # comment\n", ("env", "CELERY_CONCURRENCY", "3")),
        ("Dockerfile", "FROM x\nENV CELERY_WORKER_CONCURRENCY 3\n", ("env", "CELERY_WORKER_CONCURRENCY", "3")),
        ("fly.toml", '[env]\nCELERY_CONCURRENCY = "3"\n', ("env", "CELERY_CONCURRENCY", "3")),
        ("render.yaml", "services:\n  - envVars:\n      - key: CELERY_CONCURRENCY\n        value: '3'\n",
         ("env", "CELERY_CONCURRENCY", "3")),
        ("docker-compose.yml", "services:\n  w:\n    environment:\n      - CELERY_WORKER_CONCURRENCY=3\n",
         ("env", "CELERY_WORKER_CONCURRENCY", "3")),
        ("w.service", "[Service]\nEnvironment=\"CELERY_CONCURRENCY=3\"\n", ("env", "CELERY_CONCURRENCY", "3")),
        ("w.conf", '[program:w]\nenvironment=A="1",CELERY_WORKER_CONCURRENCY="3"\n',
         ("env", "CELERY_WORKER_CONCURRENCY", "3")),
    ],
)
def test_reads_concurrency_settings(project, name, content, expected) -> None:
    _, audit = project({name: content})
    assert [(s.kind, s.name, s.value) for s in audit.settings] == [expected]


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        ("start.sh", "echo ok\ncelery worker -c (\n", 2),
        ("start.sh", 'case "$1" in\n  w) celery -A app worker -c (\nesac\n', 2),
        ("docker-compose.yml", "services: [\n", 2),
        ("fly.toml", "[processes\n", 1),
        ("settings.py", "worker_concurrency = (\n", 1),
    ],
)
def test_bad_input_is_a_diagnostic(project, name, content, line) -> None:
    _, audit = project({name: content, "Procfile": "worker: celery -A app worker -c 2\n"})
    assert [d.location.path for d in audit.diagnostics] == [name]
    assert audit.diagnostics[0].location.line == line
    assert len(audit.commands) == 1  # the rest of the work went on


def test_non_ascii_script_locations(project) -> None:
    _, audit = project({"start.sh": "# 启动 worker\necho '启动'; celery -A app worker -c 2\n"})
    assert audit.commands[0].location.line == 2
    assert audit.commands[0].location.column == 12
