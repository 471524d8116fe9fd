"""The worker rules' metadata, one record each, in code order (ST201..)."""

from __future__ import annotations

from stacktune.checks.rule import Rule

HARDCODED = Rule(
    code="ST201",
    name="worker-concurrency-hardcoded",
    title="Celery worker concurrency is a hard-coded number",
    severity="warning",
    why=(
        "A fixed --concurrency is only right for the machine it was chosen on. When the platform "
        "gives the worker more CPU or memory the extra capacity sits idle; when it gives less, the "
        "processes fight over a CPU quota or get OOM-killed. Reading it from CELERY_CONCURRENCY "
        "(with the old number as a default) lets the platform's variables size the pool without "
        "a code change or redeploy."
    ),
    fix="always",
    bad_example="celery -A app.celery_app worker --loglevel=info --concurrency=2\n",
    good_example='celery -A app.celery_app worker --loglevel=info --concurrency="${CELERY_CONCURRENCY:-4}"\n',
)
NOT_EXPANDED = Rule(
    code="ST202",
    name="worker-variable-not-expanded",
    title="A variable in a worker command is not expanded where it is written",
    severity="error",
    why=(
        "Only a shell expands ${VAR:-default}. A Dockerfile exec-form CMD, Fly processes, "
        "Kubernetes args, supervisord and systemd pass it to Celery literally (Celery then rejects "
        "it or falls back to the CPU count), docker compose expands it from the host instead of the "
        "service's environment, and make eats it as a make variable."
    ),
    fix="always",
    bad_example='CMD ["celery", "-A", "app", "worker", "--concurrency=${CELERY_CONCURRENCY:-4}"]\n',
    good_example=(
        'CMD ["sh", "-c", "exec celery -A app worker --concurrency=\\"${CELERY_CONCURRENCY:-4}\\""]\n'
    ),
)
INVALID = Rule(
    code="ST203",
    name="worker-concurrency-invalid",
    title="Celery worker concurrency value is invalid",
    severity="error",
    why=(
        "Celery rejects a non-integer or negative --concurrency at start-up, treats 0 or an empty "
        "value as 'use the CPU count', only accepts 'auto' from 5.7 on, and needs --autoscale as "
        "MAX,MIN integers. A bad value in config or the environment fails or silently falls back "
        "to the host's CPU count."
    ),
    bad_example="celery -A app worker --autoscale=ten,2\n",
    good_example="celery -A app worker --autoscale=10,2\n",
)
NOT_INT = Rule(
    code="ST204",
    name="worker-concurrency-not-int",
    title="worker_concurrency is assigned an environment string without int()",
    severity="warning",
    why=(
        "os.environ values are strings. Celery before 5.7 passes a string worker_concurrency to "
        "the pool and fails or misbehaves; 5.7 coerces valid strings but silently falls back to the "
        "CPU count on an invalid one. Converting with int() (or stacktune.celery.concurrency()) "
        "fails loudly at import time instead."
    ),
    bad_example='worker_concurrency = os.environ.get("CELERY_CONCURRENCY", 4)\n',
    good_example='worker_concurrency = int(os.environ.get("CELERY_CONCURRENCY", "4"))\n',
)
OVERRIDDEN = Rule(
    code="ST205",
    name="worker-concurrency-overridden",
    title="Worker concurrency is set in several places and this one loses",
    severity="info",
    why=(
        "Celery takes --concurrency from the command line first, then the CELERY_WORKER_CONCURRENCY "
        "environment variable (click's automatic variable for the option), then worker_concurrency "
        "in config, then the CPU count. A value that is overridden misleads whoever tunes it."
    ),
    bad_example='# celeryconfig.py\nworker_concurrency = 8\n# Procfile\nworker: celery -A app worker -c 2\n',
    good_example='# celeryconfig.py\n# (no worker_concurrency)\n# Procfile\nworker: celery -A app worker -c "${CELERY_CONCURRENCY:-4}"\n',
)
IGNORED = Rule(
    code="ST206",
    name="worker-concurrency-ignored",
    title="Worker concurrency is ignored by the pool or by --autoscale",
    severity="warning",
    why=(
        "The solo pool always runs one task at a time, and --autoscale=MAX,MIN replaces the fixed "
        "pool size, so a -c next to them has no effect and hides the real number of processes."
    ),
    bad_example="celery -A app worker -P solo -c 4\n",
    good_example="celery -A app worker -P solo\n",
)
WITHOUT_EXEC = Rule(
    code="ST207",
    name="worker-start-without-exec",
    title="Worker started by a shell without exec",
    severity="warning",
    why=(
        "When a start script or a shell-form CMD runs celery as a child, the shell is the "
        "container's PID 1 and does not forward SIGTERM, so the worker never gets its warm "
        "shutdown: running tasks are killed when the platform gives up waiting. `exec celery ...` "
        "makes Celery the process that receives the signal."
    ),
    fix="sometimes",
    bad_example="#!/usr/bin/env bash\ncd /app\ncelery -A app worker\n",
    good_example="#!/usr/bin/env bash\ncd /app\nexec celery -A app worker\n",
)
UNSET = Rule(
    code="ST208",
    name="worker-concurrency-unset",
    title="No concurrency set for a worker that runs in a container",
    severity="warning",
    why=(
        "With no -c, CELERY_WORKER_CONCURRENCY or worker_concurrency, Celery starts one process per "
        "CPU the kernel reports: the host's CPUs, not the container's CPU quota. On a 64-core host "
        "with a 1-CPU quota that is 64 processes sharing one CPU and 64 times the memory."
    ),
    fix="none",
    bad_example="CMD celery -A app worker\n",
    good_example='CMD exec celery -A app worker --concurrency="${CELERY_CONCURRENCY:-4}"\n',
)
CONNECTION_BUDGET = Rule(
    code="ST209",
    name="worker-connection-budget",
    title="Worker processes can open more database connections than PostgreSQL allows",
    severity="warning",
    why=(
        "Every prefork process has its own SQLAlchemy engine, each allowed pool_size + max_overflow "
        "connections. Workers x processes x that number past max_connections makes PostgreSQL "
        "refuse connections ('too many clients already') under load."
    ),
    bad_example='# pool_size=5, max_overflow=10, max_connections=100\ncelery -A app worker -c 8\n',
    good_example='# pool_size=2, max_overflow=3\ncelery -A app worker -c "${CELERY_CONCURRENCY:-4}"\n',
)

WORKER_RULES: tuple[Rule, ...] = (
    HARDCODED, NOT_EXPANDED, INVALID, NOT_INT, OVERRIDDEN, IGNORED, WITHOUT_EXEC, UNSET, CONNECTION_BUDGET,
)
