-- Disputes are raised by a participant of the task and resolved by staff.

CREATE TABLE IF NOT EXISTS disputes (
    id SERIAL PRIMARY KEY,
    task_id INTEGER NOT NULL,
    raised_by INTEGER NOT NULL,
    resolved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    reason TEXT NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'open',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    resolved_at TIMESTAMPTZ,
    CONSTRAINT fk_disputes_task FOREIGN KEY (task_id) REFERENCES tasks(id) ON DELETE CASCADE,
    CONSTRAINT fk_disputes_participant FOREIGN KEY (task_id, raised_by)
        REFERENCES task_participants (task_id, user_id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS idx_disputes_task_status ON disputes (task_id, status);
CREATE INDEX IF NOT EXISTS idx_disputes_open ON disputes (created_at) WHERE status = 'open';
