#!/usr/bin/env bash
set -e

# Worker process for the Procfile's `worker` entry.
cd "$(dirname "$0")"

echo "Starting Celery worker..."
echo "Broker: ${CELERY_BROKER_URL:-redis://localhost:6379/0}"

celery -A app.celery_app worker --loglevel=info --concurrency=2
