"""Connection strings: hide passwords, point a URL at another database.

libpq accepts two spellings, a URI (postgresql://user:pw@host/db?k=v) and a
key=value conninfo (host=... password=...); both are handled here.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from psycopg.conninfo import make_conninfo

MASK = "***"
_URI_SCHEMES = ("postgresql://", "postgres://")
# A conninfo "password=value" pair; the value is either single-quoted (with
# backslash escapes) or runs to the next whitespace. This is libpq's own grammar.
_CONNINFO_PASSWORD = re.compile(r"(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s']+)", re.IGNORECASE)
# A URI embedded anywhere in a text (an error message, a log line).
_EMBEDDED_URI = re.compile(r"postgres(?:ql)?://[^\s'\"]+", re.IGNORECASE)


def is_uri(url: str) -> bool:
    return url.lstrip().lower().startswith(_URI_SCHEMES)


def redact_url(url: str) -> str:
    """Return `url` (or any text containing URLs / conninfo) with every password replaced by ***."""
    pieces: list[str] = []
    end = 0
    for match in _EMBEDDED_URI.finditer(url):
        pieces += [_redact_conninfo(url[end : match.start()]), _redact_uri(match.group(0))]
        end = match.end()
    pieces.append(_redact_conninfo(url[end:]))
    return "".join(pieces)


def _redact_conninfo(text: str) -> str:
    return _CONNINFO_PASSWORD.sub(lambda m: m.group(1) + MASK, text)


def _redact_uri(uri: str) -> str:
    parts = urlsplit(uri)
    netloc = parts.netloc
    userinfo, at, hosts = netloc.rpartition("@")
    if at and ":" in userinfo:
        netloc = f"{userinfo.split(':', 1)[0]}:{MASK}@{hosts}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(k.lower() == "password" for k, _ in pairs):
            pairs = [(k, MASK if k.lower() == "password" else v) for k, v in pairs]
            query = urlencode(pairs, safe="/*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def with_database(url: str, dbname: str) -> str:
    """The same connection string, naming database `dbname` instead."""
    if not is_uri(url):
        return make_conninfo(url, dbname=dbname)
    parts = urlsplit(url)
    query = parts.query
    if query:
        # A dbname= query parameter would override the path: drop it.
        pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "dbname"]
        query = urlencode(pairs, safe="/")
    return urlunsplit((parts.scheme, parts.netloc, "/" + quote(dbname, safe=""), query, parts.fragment))
