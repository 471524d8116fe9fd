CREATE TABLE IF NOT EXISTS saved_searches (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name VARCHAR(100) NOT NULL,
    query JSONB NOT NULL,
    notify BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ
);

-- Soft-deleted searches are never listed.
CREATE INDEX IF NOT EXISTS idx_saved_searches_user_active ON saved_searches (user_id) WHERE deleted_at IS NULL;
