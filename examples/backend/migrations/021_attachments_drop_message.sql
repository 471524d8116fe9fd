-- Attachments are no longer tied to a single message.
ALTER TABLE task_attachments DROP COLUMN IF EXISTS message_id;
