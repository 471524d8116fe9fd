"""PostgreSQL's rules for identifier length and the names it gives unnamed objects.

Mirrors makeObjectName, ChooseRelationName, ChooseConstraintName and
ChooseIndexColumnNames in PostgreSQL's source (indexcmds.c, pg_constraint.c):
lengths are in bytes, cut on character boundaries, NAMEDATALEN is 64.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

MAX_IDENTIFIER_BYTES = 63  # NAMEDATALEN - 1


def clip_bytes(name: str, limit: int) -> str:
    """The longest prefix of `name` whose UTF-8 form fits `limit` bytes (pg_mbcliplen)."""
    data = name.encode()
    if len(data) <= limit:
        return name
    return data[:limit].decode("utf-8", errors="ignore")


def truncate_identifier(name: str) -> str:
    """What the server stores for a longer identifier (it truncates with a NOTICE)."""
    return clip_bytes(name, MAX_IDENTIFIER_BYTES)


def make_object_name(name1: str, name2: str | None, label: str | None) -> str:
    overhead = (1 if name2 is not None else 0) + (len(label.encode()) + 1 if label else 0)
    available = MAX_IDENTIFIER_BYTES - overhead
    len1 = len(name1.encode())
    len2 = len(name2.encode()) if name2 is not None else 0
    while len1 + len2 > available:
        if len1 > len2:
            len1 -= 1
        else:
            len2 -= 1
    result = clip_bytes(name1, len1)
    if name2 is not None:
        result += "_" + clip_bytes(name2, len2)
    if label:
        result += "_" + label
    return result


def name_addition(column_names: Iterable[str]) -> str:
    """ChooseIndexNameAddition / ChooseForeignKeyConstraintNameAddition: names joined by '_'."""
    buf = ""
    for name in column_names:
        if buf:
            buf += "_"
        buf += clip_bytes(name, MAX_IDENTIFIER_BYTES)
        if len(buf.encode()) >= MAX_IDENTIFIER_BYTES + 1:
            break
    return buf


def choose_name(name1: str, name2: str | None, label: str, taken: Callable[[str], bool]) -> str:
    """ChooseRelationName / ChooseConstraintName: append 1, 2, ... to the label until free."""
    attempt = 0
    while True:
        candidate = make_object_name(name1, name2, label if attempt == 0 else f"{label}{attempt}")
        if not taken(candidate):
            return candidate
        attempt += 1


def index_column_names(names: Iterable[str | None]) -> list[str]:
    """ChooseIndexColumnNames: a name per index column, 'expr' for unnamed expressions, deduplicated."""
    result: list[str] = []
    for original in names:
        original = original or "expr"
        current = original
        counter = 0
        while current in result:
            counter += 1
            suffix = str(counter)
            current = clip_bytes(original, MAX_IDENTIFIER_BYTES - len(suffix)) + suffix
        result.append(current)
    return result


def expression_column_name(expression: str) -> str | None:
    """FigureIndexColname: the name PostgreSQL derives from an index expression, if any.

    `lower(email)` gives "lower", `(payload->>'id')::int` gives "int4"; operators give
    nothing, and the caller falls back to "expr".
    """
    import json

    from pglast import parser

    try:
        tree = json.loads(parser.parse_sql_json(f"SELECT {expression}"))
        node = tree["stmts"][0]["stmt"]["SelectStmt"]["targetList"][0]["ResTarget"]["val"]
    except (parser.ParseError, KeyError, IndexError):
        return None
    return _figure_colname(node)


_FIXED_NAMES = {"CaseExpr": "case", "CoalesceExpr": "coalesce", "NullIfExpr": "nullif", "XmlExpr": "xml"}


def _figure_colname(node: dict) -> str | None:
    (kind, body), = node.items()
    if kind == "ColumnRef":
        last = body["fields"][-1]
        return last.get("String", {}).get("sval")
    if kind == "FuncCall":
        return body["funcname"][-1]["String"]["sval"]
    if kind == "TypeCast":
        inner = _figure_colname(body["arg"])
        if inner is not None:
            return inner
        return body["typeName"]["names"][-1]["String"]["sval"]
    if kind == "A_Indirection":
        return _figure_colname(body["arg"])
    if kind == "MinMaxExpr":
        return "greatest" if body.get("op") == "IS_GREATEST" else "least"
    return _FIXED_NAMES.get(kind)
