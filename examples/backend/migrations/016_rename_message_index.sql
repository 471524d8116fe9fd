-- Naming convention: idx_<table>_<column>.
ALTER INDEX idx_msg_sender RENAME TO idx_messages_sender;
