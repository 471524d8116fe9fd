-- Every index on the given tables with its key columns / expressions, INCLUDE columns,
-- method, predicate, validity and owning constraint. Per key, the operator class is
-- named only when it is not the type's default, and the collation only when it
-- differs from the column's (or, for an expression, its type's), as a migration
-- would spell them.
SELECT x.indrelid AS table_oid,
       i.relname AS name,
       x.indisunique AS unique,
       am.amname AS method,
       x.indnkeyatts AS key_count,
       x.indisvalid AND x.indisready AS valid,
       pg_catalog.pg_get_expr(x.indpred, x.indrelid, true) AS predicate,
       con.contype AS constraint_type,
       (SELECT json_agg(json_build_object(
                   'column', a.attname,
                   'expression', CASE WHEN k.attnum = 0
                                      THEN pg_catalog.pg_get_indexdef(x.indexrelid, k.pos::int, true) END,
                   'opclass', CASE WHEN NOT opc.opcdefault THEN opc.opcname END,
                   'collation', CASE WHEN coll.oid IS NOT NULL
                                      AND coll.oid <> COALESCE(a.attcollation, it.typcollation)
                                     THEN coll.collname END,
                   'descending', COALESCE((x.indoption[k.pos - 1] & 1) = 1, false))
                 ORDER BY k.pos)
        FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, pos)
        LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum AND k.attnum <> 0
        JOIN pg_catalog.pg_attribute ia ON ia.attrelid = x.indexrelid AND ia.attnum = k.pos
        JOIN pg_catalog.pg_type it ON it.oid = ia.atttypid
        LEFT JOIN pg_catalog.pg_opclass opc ON opc.oid = x.indclass[k.pos - 1]
        LEFT JOIN pg_catalog.pg_collation coll ON coll.oid = x.indcollation[k.pos - 1]
       ) AS keys
FROM pg_catalog.pg_index x
JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = i.relam
LEFT JOIN pg_catalog.pg_constraint con
       ON con.conindid = x.indexrelid AND con.conrelid = x.indrelid AND con.contype IN ('p', 'u', 'x')
WHERE x.indrelid = ANY (%(tables)s::oid[])
