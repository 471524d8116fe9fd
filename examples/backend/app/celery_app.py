"""Background jobs: notification fan-out and the nightly cleanup of expired tokens."""

import os
from datetime import datetime, timezone

from celery import Celery
from sqlalchemy import delete, select

celery_app = Celery("app", broker=os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/0"))
celery_app.conf.update(task_acks_late=True, worker_prefetch_multiplier=1, timezone="Asia/Shanghai")


@celery_app.task(name="notifications.fan_out", max_retries=3, default_retry_delay=30)
def fan_out_task_update(task_id: int, kind: str) -> int:
    """Notify every participant of a task that something happened to it."""
    from app.db import SessionLocal
    from app.models import Notification, TaskParticipant

    with SessionLocal() as session:
        user_ids = session.scalars(
            select(TaskParticipant.user_id).where(TaskParticipant.task_id == task_id)
        ).all()
        session.add_all(
            Notification(user_id=user_id, task_id=task_id, kind=kind, payload={"task_id": task_id})
            for user_id in user_ids
        )
        session.commit()
    return len(user_ids)


@celery_app.task(name="oauth.purge_expired_refresh_tokens")
def purge_expired_refresh_tokens() -> int:
    from app.db import SessionLocal
    from app.models import OAuthRefreshToken

    with SessionLocal() as session:
        result = session.execute(
            delete(OAuthRefreshToken).where(OAuthRefreshToken.expires_at < datetime.now(timezone.utc))
        )
        session.commit()
    return result.rowcount


celery_app.conf.beat_schedule = {
    "purge-expired-refresh-tokens": {
        "task": "oauth.purge_expired_refresh_tokens",
        "schedule": 3600.0,
    },
}
