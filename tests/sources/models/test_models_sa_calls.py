"""The reusable call readers (shared with the Alembic reader) and the import reader's errors."""

from __future__ import annotations

import ast
from pathlib import Path

from stacktune.sources.models.imported import read_imported_metadata
from stacktune.sources.models.pysource import parse_source
from stacktune.sources.models.sa_calls import CallReader, ColumnSpec, FkSpec, IndexSpec, Ref, SqlRenderer


def _reader_and_call(code: str) -> tuple[CallReader, ast.Call]:
    src = parse_source("v1.py", code.encode())
    assert not isinstance(src, Exception) and hasattr(src, "tree")
    call = src.tree.body[0].value  # type: ignore[union-attr]
    return CallReader(src), call


def test_alembic_style_column_and_fk_constraint() -> None:
    reader, call = _reader_and_call(
        "sa.Column('org_id', postgresql.UUID(as_uuid=True), sa.ForeignKey('core.orgs.id', ondelete='set null'), nullable=False)"
    )
    spec = reader.table_item(call)
    assert isinstance(spec, ColumnSpec)
    assert (spec.name, spec.type_name, spec.nullable) == ("org_id", "uuid", False)
    fk = spec.foreign_keys[0]
    assert fk.targets == ("core.orgs.id",) and fk.on_delete == "SET NULL"
    reader, call = _reader_and_call("sa.ForeignKeyConstraint(['a', 'b'], ['p.x', 'p.y'], name=op.f('fk_ab'))")
    fkc = reader.table_item(call)
    assert isinstance(fkc, FkSpec)
    assert fkc.columns == (Ref("a"), Ref("b")) and fkc.name == "fk_ab" and fkc.conv_name


def test_index_elements_and_predicate_render_with_caller_names() -> None:
    reader, call = _reader_and_call(
        "sa.Index('ix', sa.func.lower(User.email), User.org_id.desc(), postgresql_where=User.org_id.isnot(None))"
    )
    spec = reader.index(call)
    assert isinstance(spec, IndexSpec) and spec.name == "ix"
    assert spec.elements[1].ref == Ref("org_id", "User", by_key=False) and spec.elements[1].descending
    names = {"email": "email_address", "org_id": "org_id"}
    renderer = SqlRenderer(reader, lambda ref: names.get(ref.attr))
    assert renderer.render(spec.elements[0].expr) == "lower(email_address)"  # type: ignore[arg-type]
    predicate = renderer.predicate(spec.where)  # type: ignore[arg-type]
    assert predicate.text == "org_id IS NOT NULL" and predicate.not_null_columns == frozenset({"org_id"})


def test_unreadable_arguments_become_diagnostics() -> None:
    reader, call = _reader_and_call("sa.Column('x', sa.Integer, nullable=flag, *extra)")
    spec = reader.column(call)
    assert spec.nullable is None
    assert [d.message for d in reader.diagnostics] == [
        "cannot read *extra in Column(...) statically", "cannot read nullable= statically; assumed not set"]


def test_import_errors_are_diagnostics(tmp_path: Path) -> None:
    (tmp_path / "broken_models_mod.py").write_text("import not_a_real_module_xyz\n")
    result = read_imported_metadata(tmp_path, "broken_models_mod:Base")
    assert result.events == []
    assert "ModuleNotFoundError" in result.diagnostics[0].message
