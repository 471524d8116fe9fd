"""HTTP API. On startup: create the ORM tables, then apply migrations/*.sql in file-name order."""

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.celery_app import fan_out_task_update
from app.db import SessionLocal, engine
from app.models import Base, Task

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def apply_migrations() -> None:
    """Run each migrations/*.sql not yet recorded, in file-name order, one transaction per file."""
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " filename TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        applied = set(conn.exec_driver_sql("SELECT filename FROM schema_migrations").scalars())
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        if path.name in applied:
            continue
        with engine.begin() as conn:
            conn.exec_driver_sql(path.read_text(encoding="utf-8"))
            conn.execute(text("INSERT INTO schema_migrations (filename) VALUES (:name)"), {"name": path.name})


@asynccontextmanager
async def lifespan(_: FastAPI):
    Base.metadata.create_all(engine)
    apply_migrations()
    yield


app = FastAPI(title="Task marketplace", lifespan=lifespan)


def get_session():
    with SessionLocal() as session:
        yield session


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/tasks/{task_id}")
def read_task(task_id: int, session: Session = Depends(get_session)) -> dict:
    task = session.get(Task, task_id)
    if task is None or task.deleted_at is not None:
        raise HTTPException(status_code=404, detail="task not found")
    return {"id": task.id, "title": task.title, "status": task.status, "reward_cents": task.reward_cents}


@app.get("/tasks")
def list_open_tasks(limit: int = 20, session: Session = Depends(get_session)) -> list[dict]:
    rows = session.scalars(
        select(Task)
        .where(Task.status == "open", Task.deleted_at.is_(None))
        .order_by(Task.created_at.desc())
        .limit(min(limit, 100))
    )
    return [{"id": t.id, "title": t.title, "reward_cents": t.reward_cents} for t in rows]


@app.post("/tasks/{task_id}/complete")
def complete_task(task_id: int, session: Session = Depends(get_session)) -> dict:
    task = session.get(Task, task_id)
    if task is None:
        raise HTTPException(status_code=404, detail="task not found")
    task.status = "completed"
    session.commit()
    fan_out_task_update.delay(task_id, "task_completed")
    return {"id": task.id, "status": task.status}
