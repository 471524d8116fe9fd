-- The progress of one backend's CREATE INDEX (PostgreSQL 12+), polled from another session.
SELECT phase, blocks_done, blocks_total, tuples_done, tuples_total
FROM pg_catalog.pg_stat_progress_create_index
WHERE pid = %(pid)s
