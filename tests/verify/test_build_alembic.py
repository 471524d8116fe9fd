"""Building an Alembic source without the database: what is said when Alembic cannot run at all."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from psycopg.conninfo import conninfo_to_dict

from stacktune.live.build import BuildReport, sqlalchemy_url, upgrade_alembic
from stacktune.model.events import SourceResult

LINEAR = Path(__file__).resolve().parents[1] / "fixtures" / "alembic" / "linear"


def test_without_alembic_importable_the_source_is_noted_and_nothing_built(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "alembic", None)  # `import alembic` now raises ImportError
    source = SourceResult(kind="alembic", path="migrations", style="alembic", files=["migrations/versions/0001_users.py"])
    report = BuildReport()
    upgrade_alembic("postgresql://nobody@localhost/none", LINEAR, source, report)
    (note,) = report.notes
    assert note.startswith("migrations: not built: Alembic is not importable where stacktune runs")
    assert "install alembic" in note
    assert report.failures == [] and report.files_applied == 0


@pytest.mark.parametrize(
    "uri",
    [
        "postgresql://u:p%25w@/db?host=/tmp/sock%20dir",
        "host=db.example port=5433 dbname=app user=u password='p w'",
    ],
)
def test_sqlalchemy_url_names_the_same_server(uri: str) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(sqlalchemy_url(uri))
    assert url.drivername == "postgresql+psycopg"
    given = conninfo_to_dict(uri)
    ours = {"user": url.username, "password": url.password, "dbname": url.database, **url.query}
    assert {k: v for k, v in ours.items() if v is not None} == given
