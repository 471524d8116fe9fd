-- Size and activity of every ordinary or partitioned table in the given schemas.
-- reltuples is the planner's estimate (-1 before the first VACUUM/ANALYZE on PostgreSQL 14+);
-- n_live_tup is the statistics collector's count, used when there is no estimate yet.
-- Partitioned parents have no storage of their own: the caller adds their partitions up.
SELECT n.nspname AS schema,
       c.relname AS name,
       c.reltuples::float8 AS estimated_rows,
       COALESCE(s.n_live_tup, 0) AS live_rows,
       pg_catalog.pg_total_relation_size(c.oid) AS size_bytes,
       COALESCE(s.seq_scan, 0) AS seq_scans,
       COALESCE(s.n_tup_upd, 0) AS updates,
       COALESCE(s.n_tup_del, 0) AS deletes
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_stat_user_tables s ON s.relid = c.oid
WHERE c.relkind IN ('r', 'p')
  AND n.nspname = ANY (%(schemas)s::text[])
