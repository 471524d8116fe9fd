-- Workers who joined a task (one row per user per task).

CREATE TABLE IF NOT EXISTS task_participants (
    id SERIAL PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role VARCHAR(20) NOT NULL DEFAULT 'worker',
    joined_at TIMESTAMPTZ DEFAULT now(),
    CONSTRAINT uq_task_participants_task_user UNIQUE (task_id, user_id)
);

CREATE INDEX IF NOT EXISTS idx_task_participants_task ON task_participants (task_id);
