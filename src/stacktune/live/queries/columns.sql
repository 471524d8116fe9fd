-- Live columns of the given tables in attnum order. The collation is named only when
-- it differs from the type's default, as a migration would spell it.
SELECT a.attrelid AS table_oid,
       a.attname AS name,
       t.typname AS type_name,
       a.attnotnull AS not_null,
       CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
WHERE a.attrelid = ANY (%(tables)s::oid[])
  AND a.attnum > 0
  AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
