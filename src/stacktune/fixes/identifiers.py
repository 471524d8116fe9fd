"""Writing PostgreSQL identifiers into SQL text so they mean exactly that name, nothing more."""

from __future__ import annotations

from pglast.keywords import COL_NAME_KEYWORDS
from pglast.stream import maybe_double_quote_name

DEFAULT_SCHEMA = "public"


def quote_ident(name: str) -> str:
    """`name` as SQL: bare when simple lower case and no keyword, else double-quoted with `"` doubled.

    pglast quotes reserved and type/function-name keywords; column-name keywords
    (`int`, `json`, `between`, ...) are quoted too, since some positions reject them bare.
    """
    if not name or "\x00" in name:
        raise ValueError(f"not a valid PostgreSQL identifier: {name!r}")
    if name in COL_NAME_KEYWORDS:
        return '"' + name.replace('"', '""') + '"'
    return maybe_double_quote_name(name)


def qualified(schema: str | None, name: str) -> str:
    """A relation name as SQL; the default schema is left to search_path, as migrations usually write it."""
    if schema is None or schema == DEFAULT_SCHEMA:
        return quote_ident(name)
    return f"{quote_ident(schema)}.{quote_ident(name)}"
