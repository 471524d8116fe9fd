from __future__ import annotations

import pytest
from psycopg.conninfo import conninfo_to_dict

from stacktune.pg.urls import redact_url, with_database

SECRET = "S3cr3t-pw"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"postgresql://app:{SECRET}@db.example:5432/prod", "postgresql://app:***@db.example:5432/prod"),
        (f"postgres://app:{SECRET}@h1,h2/prod?sslmode=require", "postgres://app:***@h1,h2/prod?sslmode=require"),
        (
            f"postgresql://app@h/prod?password={SECRET}&sslmode=require",
            "postgresql://app@h/prod?password=***&sslmode=require",
        ),
        ("postgresql://app@h/prod", "postgresql://app@h/prod"),
        (f"host=h user=app password={SECRET} dbname=prod", "host=h user=app password=*** dbname=prod"),
        (f"host=h password = '{SECRET} with \\' quote' dbname=prod", "host=h password = *** dbname=prod"),
        ("host=h dbname=prod", "host=h dbname=prod"),
    ],
)
def test_redact_url_hides_the_password(url: str, expected: str) -> None:
    assert redact_url(url) == expected
    assert SECRET not in redact_url(url)


def test_redact_url_finds_urls_inside_a_message() -> None:
    message = f'could not connect to "postgresql://app:{SECRET}@h/prod": timeout'
    assert redact_url(message) == 'could not connect to "postgresql://app:***@h/prod": timeout'


def test_with_database_rewrites_a_uri_and_keeps_the_socket_host() -> None:
    url = f"postgresql://postgres:{SECRET}@/postgres?host=/tmp/sock&dbname=other"
    rewritten = with_database(url, "stacktune_x")
    parsed = conninfo_to_dict(rewritten)
    assert parsed["dbname"] == "stacktune_x"
    assert parsed["host"] == "/tmp/sock"
    assert parsed["password"] == SECRET


def test_with_database_rewrites_a_conninfo() -> None:
    parsed = conninfo_to_dict(with_database("host=h dbname=prod user=app", "copy"))
    assert parsed == {"host": "h", "dbname": "copy", "user": "app"}
