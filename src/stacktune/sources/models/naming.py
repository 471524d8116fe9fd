"""SQLAlchemy's naming conventions, applied the way sqlalchemy/sql/naming.py does.

A convention template fills an unnamed constraint's name (or a named one when the
template uses %(constraint_name)s); convention-made names longer than PostgreSQL's
63 characters are shortened as the compiler's `_truncate_and_render_maxlen_name` does.
Names the user wrote are kept as written (SQLAlchemy itself refuses ones over 63).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

DEFAULT_CONVENTION: dict[str, str] = {"ix": "ix_%(column_0_label)s"}  # sqlalchemy MetaData's default
MAX_IDENTIFIER = 63  # PostgreSQL dialect's max_identifier_length
_COLUMN_TOKEN = re.compile(r".*_?column_(\d+)(_?N)?_.+")


class NamingError(Exception):
    """The convention cannot be applied (SQLAlchemy raises at create_all)."""


@dataclass(frozen=True, slots=True)
class NamingColumn:
    name: str
    key: str


@dataclass(frozen=True, slots=True)
class NamingSubject:
    """What a convention may refer to: the table, the constraint's columns, its FK target."""

    table: str
    schema: str | None
    columns: tuple[NamingColumn, ...]
    name: str | None = None
    referred_table: str | None = None
    referred_columns: tuple[str, ...] = ()


class _Tokens:
    """`template % tokens` mapping; mirrors sqlalchemy.sql.naming.ConventionDict."""

    def __init__(self, subject: NamingSubject) -> None:
        self.s = subject

    def _column(self, idx: int, attr: str) -> str:
        if idx >= len(self.s.columns):
            return ""
        col = self.s.columns[idx]
        if attr == "label":
            prefix = f"{self.s.schema.replace('.', '_')}_{self.s.table}" if self.s.schema else self.s.table
            return f"{prefix}_{col.name}"
        return col.name if attr == "name" else col.key

    def _by_template(self, template: str, idx: int) -> str:
        """`template` has X where the column index goes: column_X_name, referred_column_X_name..."""
        if template in ("column_X_name", "column_X_key", "column_X_label"):
            return self._column(idx, template.rsplit("_", 1)[1])
        if template == "referred_column_X_name":
            if idx >= len(self.s.referred_columns):
                raise NamingError(f"no referred column {idx}")
            return self.s.referred_columns[idx]
        raise KeyError(template)

    def __getitem__(self, key: str) -> str:
        if key == "table_name":
            return self.s.table
        if key == "constraint_name":
            if self.s.name is None:
                raise NamingError("a convention with %(constraint_name)s needs an explicitly named constraint")
            return self.s.name
        if key == "referred_table_name" and self.s.referred_table is not None:
            return self.s.referred_table
        match = _COLUMN_TOKEN.match(key)
        if match is None:
            raise KeyError(key)
        idx, multiples = match.group(1), match.group(2)
        if not multiples:
            return self._by_template(key.replace(idx, "X"), int(idx))
        template = key.replace("0" + multiples, "X")
        count = len(self.s.referred_columns) if template.startswith("referred_") else len(self.s.columns)
        sep = "_" if multiples.startswith("_") else ""
        return sep.join(self._by_template(template, i) for i in range(count))


def truncate(name: str) -> str:
    """SQLAlchemy's shortening of generated (conv) names longer than the dialect allows."""
    if len(name) <= MAX_IDENTIFIER:
        return name
    return name[: MAX_IDENTIFIER - 8] + "_" + hashlib.md5(name.encode("utf-8")).hexdigest()[-4:]


def constraint_name(
    prefix: str, convention: dict[str, str], subject: NamingSubject, final: bool = False
) -> str | None:
    """The name SQLAlchemy sends for a constraint of kind `prefix` ("ix", "uq", "ck", "fk", "pk").

    `final` is for conv()/op.f() names, which bypass the convention. Raises NamingError
    where SQLAlchemy would refuse to build the DDL.
    """
    if final and subject.name is not None:
        return truncate(subject.name)
    template = convention.get(prefix)
    if template is not None and (subject.name is None or "constraint_name" in template):
        try:
            return truncate(template % _Tokens(subject))
        except KeyError as exc:
            raise NamingError(f"naming convention {template!r} uses unknown token {exc}") from None
    return subject.name
