-- Foreign keys declared on the given tables. conparentid <> 0 marks the clones
-- PostgreSQL makes on partitions (and for partitioned referenced tables): skipped,
-- the parent's constraint stands for them.
SELECT c.conrelid AS table_oid,
       c.conname AS name,
       ARRAY(SELECT a.attname
             FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, pos)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
             ORDER BY k.pos) AS columns,
       rn.nspname AS ref_schema,
       r.relname AS ref_table,
       ARRAY(SELECT a.attname
             FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, pos)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum
             ORDER BY k.pos) AS ref_columns,
       c.confdeltype AS on_delete,
       c.confupdtype AS on_update,
       c.convalidated AS validated
FROM pg_catalog.pg_constraint c
JOIN pg_catalog.pg_class r ON r.oid = c.confrelid
JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
WHERE c.contype = 'f'
  AND c.conparentid = 0
  AND c.conrelid = ANY (%(tables)s::oid[])
