-- Soft delete for tasks; the listing only shows live open tasks.
ALTER TABLE tasks ADD COLUMN IF NOT EXISTS deleted_at TIMESTAMPTZ;

CREATE INDEX IF NOT EXISTS idx_tasks_open_created ON tasks (created_at DESC)
    WHERE deleted_at IS NULL AND status = 'open';
