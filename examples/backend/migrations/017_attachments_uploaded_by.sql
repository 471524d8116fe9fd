-- Align with the API field name.
ALTER TABLE task_attachments RENAME COLUMN uploader_id TO uploaded_by;
