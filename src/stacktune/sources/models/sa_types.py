"""SQLAlchemy types (and Python annotation types) -> PostgreSQL's internal type names.

Works on the class *name* so that both the static reader (an `ast` node) and the
import reader (a live TypeEngine) share one table.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

# SQLAlchemy type class name -> PostgreSQL type name (as pg_type.typname spells it).
SA_TYPES: dict[str, str] = {
    "Integer": "int4", "INTEGER": "int4", "INT": "int4",
    "BigInteger": "int8", "BIGINT": "int8",
    "SmallInteger": "int2", "SMALLINT": "int2",
    "String": "varchar", "Unicode": "varchar", "VARCHAR": "varchar", "NVARCHAR": "varchar",
    "CHAR": "bpchar", "NCHAR": "bpchar",
    "Text": "text", "UnicodeText": "text", "TEXT": "text", "CITEXT": "citext",
    "UUID": "uuid", "Uuid": "uuid",
    "DateTime": "timestamp", "DATETIME": "timestamp", "TIMESTAMP": "timestamp",
    "Date": "date", "DATE": "date", "Time": "time", "TIME": "time",
    "Interval": "interval", "INTERVAL": "interval",
    "Boolean": "bool", "BOOLEAN": "bool",
    "Numeric": "numeric", "NUMERIC": "numeric", "DECIMAL": "numeric",
    "Float": "float8", "FLOAT": "float8", "Double": "float8", "DOUBLE": "float8",
    "DOUBLE_PRECISION": "float8", "REAL": "float4",
    "JSON": "json", "JSONB": "jsonb",
    "LargeBinary": "bytea", "BYTEA": "bytea", "LargeBinaryType": "bytea", "PickleType": "bytea",
    "INET": "inet", "CIDR": "cidr", "MACADDR": "macaddr", "MONEY": "money", "OID": "oid",
    "TSVECTOR": "tsvector", "HSTORE": "hstore", "BIT": "bit",
    "INT4RANGE": "int4range", "INT8RANGE": "int8range", "NUMRANGE": "numrange",
    "DATERANGE": "daterange", "TSRANGE": "tsrange", "TSTZRANGE": "tstzrange",
}
# Types whose `timezone=True` argument selects the "tz" variant.
_TZ_TYPES = {"timestamp": "timestamptz", "time": "timetz"}
# SQLAlchemy's default type_annotation_map, by the annotation's last name.
PYTHON_TYPES: dict[str, str] = {
    "int": "int4", "str": "varchar", "bool": "bool", "float": "float8", "Decimal": "numeric",
    "datetime": "timestamp", "date": "date", "time": "time", "timedelta": "interval",
    "UUID": "uuid", "bytes": "bytea",
}


def dotted_name(node: ast.expr) -> str | None:
    """`sa.types.Integer` -> "sa.types.Integer"; None for anything but names and attributes."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def last_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def pg_type_for(class_name: str, timezone: bool = False) -> str | None:
    """The PostgreSQL name for an SQLAlchemy type class, None when unknown."""
    name = SA_TYPES.get(class_name)
    if name is not None and timezone:
        return _TZ_TYPES.get(name, name)
    return name


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _enum_name(call: ast.Call) -> str | None:
    """Enum(..., name="x") -> "x"; Enum(PyEnumClass) -> the class name lower-cased, as SQLAlchemy does."""
    name = _keyword(call, "name")
    if isinstance(name, ast.Constant) and isinstance(name.value, str):
        return name.value
    native = _keyword(call, "native_enum")
    if isinstance(native, ast.Constant) and native.value is False:
        return "varchar"
    if call.args and (cls := last_name(call.args[0])) is not None:
        return cls.lower()
    return None


TypeImpl = Callable[[str], ast.expr | None]  # project TypeDecorator name -> its `impl` expression


def read_type(node: ast.expr, impl_of: TypeImpl | None = None, _depth: int = 0) -> str | None:
    """PostgreSQL type name of an SQLAlchemy type expression (`Integer`, `String(50)`, `ARRAY(Text)`).

    Unknown classes come back lower-cased; project TypeDecorators are followed through `impl`.
    """
    call = node if isinstance(node, ast.Call) else None
    target = call.func if call is not None else node
    name = last_name(target)
    if name is None:
        return None
    if call is not None and name == "Enum":
        return _enum_name(call)
    if call is not None and name == "ARRAY" and call.args:
        item = read_type(call.args[0], impl_of, _depth + 1)
        return f"_{item}" if item else None
    tz = call is not None and isinstance(tz_node := _keyword(call, "timezone"), ast.Constant) and tz_node.value is True
    known = pg_type_for(name, tz)
    if known is not None:
        return known
    if impl_of is not None and _depth < 5 and (impl := impl_of(name)) is not None:
        return read_type(impl, impl_of, _depth + 1)
    return name.lower()


def python_type(node: ast.expr, enums: Callable[[str], bool] | None = None) -> str | None:
    """The column type SQLAlchemy's default type_annotation_map gives a Python annotation."""
    name = last_name(node)
    if name is None:
        return None
    if name in PYTHON_TYPES:
        return PYTHON_TYPES[name]
    if enums is not None and enums(name):
        return name.lower()
    return None
