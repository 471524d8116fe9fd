"""read_models / find_model_files: locations, diagnostics, discovery, speed."""

from __future__ import annotations

from pathlib import Path

from models_helpers import read, write

from stacktune.model.events import AddConstraint, CreateIndex, CreateTable
from stacktune.sources.models import find_model_files, read_models

MODELS = """\
from sqlalchemy import CheckConstraint, Column, Integer, ForeignKey
from sqlalchemy.orm import declarative_base
Base = declarative_base()
class Parent(Base):
    __tablename__ = "parents"
    id = Column(Integer, primary_key=True)
class Child(Base):
    __tablename__ = "children"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, CheckConstraint("parent_id <> 'é'"), ForeignKey("parents.id"), index=True)
"""


def test_locations_point_at_class_column_and_foreign_key(tmp_path: Path) -> None:
    result = read(tmp_path, MODELS)
    tables = [e for e in result.events if isinstance(e, CreateTable)]
    assert [str(t.table) for t in tables] == ["parents", "children"]
    child = tables[1]
    assert (child.location.line, child.location.column) == (7, 1)
    line = MODELS.splitlines()[9]
    fk = child.constraints[-1]  # PK, the column's CHECK, then the FK
    assert [c.kind for c in child.constraints] == ["primary", "check", "foreign"]
    assert fk.location.line == 10 and fk.location.column == line.index("ForeignKey") + 1  # characters, not bytes
    index = next(e for e in result.events if isinstance(e, CreateIndex))
    assert (index.location.line, index.location.column) == (10, 17) and index.name == "ix_children_parent_id"
    assert child.columns[1].location == index.location
    assert result.kind == "models" and result.style == "sqlalchemy" and result.files == ["models.py"]


def test_classes_resolve_across_files_and_fk_cycle_goes_to_alter(tmp_path: Path) -> None:
    files = write(tmp_path, {
        "app/base.py": "from sqlalchemy.orm import declarative_base\nBase = declarative_base()\n",
        "app/mixins.py": (
            "import sqlalchemy as sa\n"
            "class Owned:\n"
            "    owner_id = sa.Column(sa.Integer, sa.ForeignKey('b.id'))\n"
        ),
        "app/a.py": (
            "import sqlalchemy as sa\nfrom app.base import Base\nfrom app.mixins import Owned\n"
            "class A(Owned, Base):\n    __tablename__ = 'a'\n    id = sa.Column(sa.Integer, primary_key=True)\n"
        ),
        "app/b.py": (
            "import sqlalchemy as sa\nfrom app.base import Base\n"
            "class B(Base):\n    __tablename__ = 'b'\n    id = sa.Column(sa.Integer, primary_key=True)\n"
            "    a_id = sa.Column(sa.ForeignKey(A.id))\n"
        ),
    })
    result = read_models(tmp_path, sorted(files))
    assert result.path == "app"
    creates = [e for e in result.events if isinstance(e, CreateTable)]
    alters = [e for e in result.events if isinstance(e, AddConstraint)]
    assert [str(c.table) for c in creates] == ["a", "b"]
    assert all(c.kind != "foreign" for t in creates for c in t.constraints)
    assert [(str(a.table), a.constraint.columns, str(a.constraint.ref_table)) for a in alters] == [
        ("a", ("owner_id",), "b"), ("b", ("a_id",), "a")]
    assert creates[1].columns[1].type_name == "int4"  # from the FK target
    assert alters[0].location.path == "app/mixins.py"


def test_syntax_error_is_a_diagnostic_and_other_files_still_read(tmp_path: Path) -> None:
    files = write(tmp_path, {"bad.py": "class X(:\n", "good.py": MODELS})
    result = read_models(tmp_path, files)
    assert [(d.location.path, d.location.line) for d in result.diagnostics] == [("bad.py", 1)]
    assert "invalid Python" in result.diagnostics[0].message
    assert len([e for e in result.events if isinstance(e, CreateTable)]) == 2


def test_what_cannot_be_known_statically_is_reported(tmp_path: Path) -> None:
    result = read(tmp_path, """\
        import sqlalchemy as sa
        from sqlalchemy.orm import declarative_base, declared_attr
        Base = declarative_base()
        def name(): return "t"
        class Dyn(Base):
            __tablename__ = name()
            id = sa.Column(sa.Integer, primary_key=True)
        class Kw(Base):
            __tablename__ = "kw"
            id = sa.Column(sa.Integer, primary_key=True, **{"nullable": False})
            @declared_attr
            def other_id(cls):
                if cls.__name__ == "X":
                    return None
                return sa.Column(sa.Integer)
        cols = [sa.Column(n, sa.Integer) for n in "ab"]
        loop = sa.Table("loop", Base.metadata, *cols)
    """)
    messages = sorted((d.location.line, d.message.split(":")[0]) for d in result.diagnostics)
    assert messages == [
        (6, "cannot compute __tablename__ statically"),
        (10, "cannot read **{'nullable'"),
        (12, "declared_attr other_id on Kw"),
        (17, "cannot read *cols statically"),
    ]
    tables = [str(e.table) for e in result.events if isinstance(e, CreateTable)]
    assert tables == ["kw", "loop"]


def test_find_model_files_prefilters_and_skips_tests_and_migrations(tmp_path: Path) -> None:
    write(tmp_path, {
        "app/models.py": MODELS,
        "app/tables.py": "import sqlalchemy as sa\nt = sa.Table('t', sa.MetaData())\n",
        "app/views.py": "def index():\n    return 'hello'\n",
        "app/notsa.py": "__tablename__ = 'x'\n",
        "tests/test_models.py": MODELS,
        "migrations/versions/001_init.py": MODELS,
        ".venv/lib/sqlalchemy_models.py": MODELS,
    })
    assert [p.relative_to(tmp_path).as_posix() for p in find_model_files(tmp_path)] == [
        "app/models.py", "app/tables.py"]


def test_150_models_across_files_are_all_read(tmp_path: Path) -> None:
    header = "import sqlalchemy as sa\nfrom sqlalchemy.orm import declarative_base\nBase = declarative_base()\n"
    body = "".join(
        f"class M{i}(Base):\n    __tablename__ = 't{i}'\n    id = sa.Column(sa.Integer, primary_key=True)\n"
        f"    name = sa.Column(sa.String(50), index=True)\n"
        f"    prev_id = sa.Column(sa.Integer, sa.ForeignKey('t{max(i - 1, 0)}.id'))\n"
        for i in range(150)
    )
    files = write(tmp_path, {"base.py": header, "models.py": header.replace("Base = declarative_base()\n", "") + body})
    result = read_models(tmp_path, files)
    # (How fast: bench/audit_scale.py measures it.)
    assert len([e for e in result.events if isinstance(e, CreateTable)]) == 150
    assert result.diagnostics == []
