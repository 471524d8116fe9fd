from __future__ import annotations

import pytest

from stacktune.sources.sql.predicate import predicate_from_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("user_id IS NOT NULL", {"user_id"}),
        ("(a IS NOT NULL) AND (b IS NOT NULL)", {"a", "b"}),
        ('(a IS NOT NULL) AND ("B c" IS NOT NULL AND d IS NOT NULL)', {"a", "B c", "d"}),
        ("user_id IS NULL", None),
        ("(a IS NOT NULL) OR (b IS NOT NULL)", None),
        ("(a IS NOT NULL) AND (deleted_at IS NULL)", None),
        ("NOT (a IS NULL)", None),
        ("t.a IS NOT NULL", None),
        ("status = 'active'::text", None),
        ("this is not ) sql", None),
    ],
)
def test_not_null_columns(text: str, expected: set[str] | None) -> None:
    predicate = predicate_from_text(text)
    assert predicate.text == text
    assert predicate.not_null_columns == (frozenset(expected) if expected is not None else None)
