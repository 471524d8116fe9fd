"""CREATE TABLE, ALTER TABLE, renames and DROP TABLE as schema events."""

from __future__ import annotations

from dataclasses import replace

from stacktune.model.events import (
    AddColumn,
    AddConstraint,
    AlterColumnType,
    ColumnDef,
    ConstraintDef,
    ConstraintKind,
    CreateTable,
    DropColumn,
    DropConstraint,
    DropTable,
    FkAction,
    LikeClause,
    RelName,
    RenameColumn,
    RenameConstraint,
    RenameRelation,
    SchemaEvent,
    SetColumnNotNull,
    SetRelationSchema,
)
from stacktune.sources.sql.context import Statement
from stacktune.sources.sql.indexes import index_key, predicate
from stacktune.sources.sql.nodes import (
    Json,
    last_name,
    qualified,
    range_var,
    strings,
    type_name,
    unwrap,
)

_KINDS: dict[str, ConstraintKind] = {
    "CONSTR_PRIMARY": "primary",
    "CONSTR_UNIQUE": "unique",
    "CONSTR_FOREIGN": "foreign",
    "CONSTR_CHECK": "check",
    "CONSTR_EXCLUSION": "exclude",
}
# pglast's fk_del_action / fk_upd_action codes.
_ACTIONS: dict[str, FkAction] = {
    "a": "NO ACTION",
    "r": "RESTRICT",
    "c": "CASCADE",
    "n": "SET NULL",
    "d": "SET DEFAULT",
}
# Column constraints that make the column NOT NULL.
_NOT_NULL = frozenset({"CONSTR_NOTNULL", "CONSTR_PRIMARY", "CONSTR_IDENTITY"})
_LIKE_INCLUDING_INDEXES = 1 << 6  # CREATE_TABLE_LIKE_INDEXES; INCLUDING ALL sets every bit


def constraint_def(
    stmt: Statement, node: Json, path: tuple[str | int, ...], *, column: str | None, altering: bool
) -> ConstraintDef | None:
    """A Constraint node (at `path`) as a ConstraintDef; None for NOT NULL, DEFAULT and the like.

    `altering` is True for ALTER TABLE ADD CONSTRAINT: only there does NOT VALID
    stick; CREATE TABLE marks its constraints valid whatever was written.
    """
    kind = _KINDS.get(node["contype"])
    if kind is None:
        return None
    if column is not None:
        columns: tuple[str, ...] = (column,)
    else:
        columns = strings(node.get("fk_attrs") if kind == "foreign" else node.get("keys"))
    pktable = node.get("pktable")
    where = node.get("where_clause")
    return ConstraintDef(
        kind=kind,
        columns=columns,
        name=node.get("conname"),
        ref_table=range_var(pktable) if pktable else None,
        ref_columns=strings(node.get("pk_attrs")),
        on_delete=_ACTIONS.get(node.get("fk_del_action", "a"), "NO ACTION"),
        on_update=_ACTIONS.get(node.get("fk_upd_action", "a"), "NO ACTION"),
        not_valid=altering and node.get("skip_validation", False),
        using_index=node.get("indexname"),
        include=strings(node.get("including")),
        index_method=node.get("access_method", "btree").lower() if kind == "exclude" else None,
        keys=tuple(
            index_key(stmt, item["List"]["items"][0]["IndexElem"], *path, "exclusions", i, 0)
            for i, item in enumerate(node.get("exclusions", ()))
        ),
        predicate=predicate(stmt, where, *path, "where_clause") if where else None,
        location=stmt.at(node),
    )


def _column(
    stmt: Statement, node: Json, path: tuple[str | int, ...], *, altering: bool
) -> tuple[ColumnDef, list[ConstraintDef]]:
    """A ColumnDef node and its inline constraints, in the order written."""
    name = node["colname"]
    type_text, not_null = type_name(node["typeName"])
    constraints = []
    for i, item in enumerate(node.get("constraints", ())):
        con = item["Constraint"]
        if con["contype"] in _NOT_NULL:
            not_null = True
        elif con["contype"] == "CONSTR_NULL":
            not_null = False
        converted = constraint_def(stmt, con, (*path, "constraints", i), column=name, altering=altering)
        if converted is not None:
            constraints.append(converted)
    collation = last_name(node.get("collClause", {}).get("collname"))
    column = ColumnDef(name, type_text, not_null=not_null, collation=collation, location=stmt.at(node))
    return column, constraints


def create_table(stmt: Statement) -> list[SchemaEvent]:
    node = stmt.node
    relation = node["relation"]
    if relation.get("relpersistence") == "t":
        return []  # a temporary table is gone when the migration's session ends
    columns: list[ColumnDef] = []
    constraints: list[ConstraintDef] = []
    likes: list[LikeClause] = []
    not_null: set[str] = set()  # columns a table-level PRIMARY KEY / NOT NULL makes NOT NULL
    for i, element in enumerate(node.get("tableElts", ())):
        kind, fields = unwrap(element)
        if kind == "ColumnDef":
            column, inline = _column(stmt, fields, ("tableElts", i), altering=False)
            columns.append(column)
            constraints.extend(inline)
        elif kind == "Constraint":
            if fields["contype"] in ("CONSTR_PRIMARY", "CONSTR_NOTNULL"):
                not_null.update(strings(fields.get("keys")))
            converted = constraint_def(stmt, fields, ("tableElts", i), column=None, altering=False)
            if converted is not None:
                constraints.append(converted)
        elif kind == "TableLikeClause":
            including = bool(fields.get("options", 0) & _LIKE_INCLUDING_INDEXES)
            likes.append(LikeClause(range_var(fields["relation"]), including_indexes=including))
    parents = tuple(range_var(rv["RangeVar"]) for rv in node.get("inhRelations", ()))
    partition = "partbound" in node
    return [
        CreateTable(
            table=range_var(relation),
            columns=tuple(replace(c, not_null=True) if c.name in not_null else c for c in columns),
            constraints=tuple(constraints),
            if_not_exists=node.get("if_not_exists", False),
            like=tuple(likes),
            inherits=() if partition else parents,
            partition_of=parents[0] if partition else None,
            partitioned="partspec" in node,
            **stmt.placed,
        )
    ]


def _result_column(target: Json) -> str | None:
    """The name PostgreSQL gives a SELECT output column, when it is plain to see."""
    if "name" in target:
        return target["name"]
    kind, value = unwrap(target["val"])
    if kind == "ColumnRef" and "String" in value["fields"][-1]:
        return value["fields"][-1]["String"]["sval"]
    if kind == "FuncCall":
        return strings(value["funcname"])[-1]
    return None


def _select_into(stmt: Statement, into: Json, query: Json) -> list[SchemaEvent]:
    """CREATE TABLE AS / SELECT INTO: a table with the query's column names, types unknown."""
    if into["rel"].get("relpersistence") == "t":
        return []
    names = list(strings(into.get("colNames")))
    targets = query.get("targetList", ())
    for target in targets[len(names) :]:
        name = _result_column(target["ResTarget"])
        if name is None:
            return []  # `*` or an unnamed expression: the columns cannot be known statically
        names.append(name)
    return [
        CreateTable(
            table=range_var(into["rel"]),
            columns=tuple(ColumnDef(name, "unknown") for name in names),
            if_not_exists=stmt.node.get("if_not_exists", False),
            **stmt.placed,
        )
    ]


def create_table_as(stmt: Statement) -> list[SchemaEvent]:
    node = stmt.node
    if node.get("objtype") != "OBJECT_TABLE":
        return []  # materialized views
    kind, query = unwrap(node["query"])
    return _select_into(stmt, node["into"], query) if kind == "SelectStmt" else []


def select_into(stmt: Statement) -> list[SchemaEvent]:
    return _select_into(stmt, stmt.node["intoClause"], stmt.node)


def _alter_command(stmt: Statement, table: RelName, cmd: Json, index: int) -> list[SchemaEvent]:
    subtype = cmd["subtype"]
    path = ("cmds", index, "def")
    cascade = cmd.get("behavior") == "DROP_CASCADE"
    if subtype == "AT_AddColumn":
        column, inline = _column(stmt, cmd["def"]["ColumnDef"], path, altering=False)
        return [
            AddColumn(
                table=table,
                column=column,
                constraints=tuple(inline),
                if_not_exists=cmd.get("missing_ok", False),
                **stmt.placed,
            )
        ]
    if subtype == "AT_DropColumn":
        return [
            DropColumn(
                table=table,
                column=cmd["name"],
                if_exists=cmd.get("missing_ok", False),
                cascade=cascade,
                **stmt.placed,
            )
        ]
    if subtype == "AT_AlterColumnType":
        definition = cmd["def"]["ColumnDef"]
        collation = last_name(definition.get("collClause", {}).get("collname"))
        return [
            AlterColumnType(
                table=table,
                column=cmd["name"],
                type_name=type_name(definition["typeName"])[0],
                collation=collation,
                **stmt.placed,
            )
        ]
    if subtype in ("AT_SetNotNull", "AT_DropNotNull"):
        return [SetColumnNotNull(table=table, column=cmd["name"], not_null=subtype == "AT_SetNotNull", **stmt.placed)]
    if subtype == "AT_AddConstraint":
        constraint = constraint_def(stmt, cmd["def"]["Constraint"], path, column=None, altering=True)
        return [AddConstraint(table=table, constraint=constraint, **stmt.placed)] if constraint else []
    if subtype == "AT_DropConstraint":
        return [
            DropConstraint(
                table=table,
                name=cmd["name"],
                if_exists=cmd.get("missing_ok", False),
                cascade=cascade,
                **stmt.placed,
            )
        ]
    return []  # VALIDATE CONSTRAINT, SET DEFAULT, OWNER TO...: no effect on keys and indexes


def alter_table(stmt: Statement) -> list[SchemaEvent]:
    node = stmt.node
    if node.get("objtype") != "OBJECT_TABLE":
        return []
    table = range_var(node["relation"])
    events: list[SchemaEvent] = []
    for i, cmd in enumerate(node.get("cmds", ())):
        events.extend(_alter_command(stmt, table, cmd["AlterTableCmd"], i))
    if node.get("missing_ok"):
        events = [replace(event, if_table_exists=True) for event in events]
    return events


def rename(stmt: Statement) -> list[SchemaEvent]:
    node = stmt.node
    kind = node["renameType"]
    if kind in ("OBJECT_TABLE", "OBJECT_INDEX"):
        return [
            RenameRelation(
                relation=range_var(node["relation"]),
                new_name=node["newname"],
                if_exists=node.get("missing_ok", False),
                **stmt.placed,
            )
        ]
    if kind == "OBJECT_COLUMN" and node.get("relationType") == "OBJECT_TABLE":
        return [
            RenameColumn(
                table=range_var(node["relation"]),
                if_table_exists=node.get("missing_ok", False),
                column=node["subname"],
                new_name=node["newname"],
                **stmt.placed,
            )
        ]
    if kind == "OBJECT_TABCONSTRAINT":
        return [
            RenameConstraint(
                table=range_var(node["relation"]),
                if_table_exists=node.get("missing_ok", False),
                name=node["subname"],
                new_name=node["newname"],
                **stmt.placed,
            )
        ]
    return []


def set_schema(stmt: Statement) -> list[SchemaEvent]:
    node = stmt.node
    if node.get("objectType") != "OBJECT_TABLE":
        return []
    return [
        SetRelationSchema(
            relation=range_var(node["relation"]),
            new_schema=node["newschema"],
            if_exists=node.get("missing_ok", False),
            **stmt.placed,
        )
    ]


def drop_tables(stmt: Statement) -> list[SchemaEvent]:
    node = stmt.node
    return [
        DropTable(
            tables=tuple(qualified(obj["List"]["items"]) for obj in node["objects"]),
            if_exists=node.get("missing_ok", False),
            cascade=node.get("behavior") == "DROP_CASCADE",
            **stmt.placed,
        )
    ]
