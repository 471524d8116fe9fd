-- Drop indexes that duplicate a unique constraint or a composite index.
DROP INDEX IF EXISTS idx_task_participants_task;  -- uq_task_participants_task_user starts with task_id
DROP INDEX IF EXISTS idx_reviews_reviewee;        -- ix_reviews_reviewer_reviewee has reviewee_id
