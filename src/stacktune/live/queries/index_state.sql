-- What holds the name of an index about to be built: nothing, a usable index, an INVALID
-- one (a concurrent build that failed or was cancelled), or another kind of relation.
SELECT c.relkind AS kind,
       x.indisvalid AND x.indisready AS valid,
       x.indrelid = pg_catalog.to_regclass(%(table)s) AS same_table,
       t.relname AS table_name
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_index x ON x.indexrelid = c.oid
LEFT JOIN pg_catalog.pg_class t ON t.oid = x.indrelid
WHERE n.nspname = %(schema)s
  AND c.relname = %(name)s
