-- Files attached to a task, optionally to one message of its thread.

CREATE TABLE IF NOT EXISTS task_attachments (
    id SERIAL PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    uploader_id INTEGER,
    message_id INTEGER REFERENCES messages(id) ON DELETE SET NULL,
    file_url TEXT NOT NULL,
    content_type VARCHAR(100),
    size_bytes BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_task_attachments_task ON task_attachments (task_id, created_at);
CREATE INDEX IF NOT EXISTS idx_task_attachments_uploader ON task_attachments (uploader_id);
CREATE INDEX IF NOT EXISTS idx_task_attachments_message ON task_attachments (message_id);

ALTER TABLE task_attachments
    ADD CONSTRAINT fk_task_attachments_uploader FOREIGN KEY (uploader_id) REFERENCES users(id) ON DELETE SET NULL;
