-- Names of the table constraints that are neither foreign keys nor backed by an
-- index (CHECK, constraint triggers, NOT NULL constraints on PostgreSQL 18+): they
-- share the constraint namespace, so naming needs them.
SELECT c.conrelid AS table_oid, c.conname AS name
FROM pg_catalog.pg_constraint c
WHERE c.contype NOT IN ('f', 'p', 'u', 'x')
  AND c.conrelid = ANY (%(tables)s::oid[])
