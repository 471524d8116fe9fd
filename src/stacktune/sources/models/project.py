"""The class index over all model files: classes, module-level tables and indexes,
naming conventions, string constants, TypeDecorators and enums.

Built first, over every file, so that a model in one file can use a mixin, a parent,
a MetaData or a ForeignKey target from another.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from stacktune.sources.models.pysource import PySource
from stacktune.sources.models.sa_calls import callee, keyword
from stacktune.sources.models.sa_types import dotted_name, last_name

# Bases that make a class a declarative root (its subclasses are mapped).
ROOT_BASES = frozenset({"DeclarativeBase", "DeclarativeBaseNoMeta", "SQLModel"})
# ... and those whose subclasses are mapped (Flask-SQLAlchemy's db.Model too).
DECLARATIVE_BASES = ROOT_BASES | {"Model"}
_BASE_FACTORIES = frozenset({"declarative_base", "generate_base"})
_ENUM_BASES = frozenset({"Enum", "StrEnum", "IntEnum", "IntFlag", "Flag"})
DECLARED_ATTR = frozenset({"declared_attr", "directive", "cascading", "classproperty"})


@dataclass(slots=True)
class ClassInfo:
    name: str
    src: PySource
    node: ast.ClassDef
    order: int  # definition order across all files
    bases: list[str]  # dotted base expressions as written ("Base", "db.Model", "TimestampMixin")
    body: dict[str, ast.stmt] = field(default_factory=dict)  # attribute name -> its last statement
    root: bool = False  # a declarative base (declarative_base(), DeclarativeBase subclass, ...)
    sqlmodel_table: bool = False  # class X(SQLModel, table=True)

    def value(self, attr: str) -> ast.expr | ast.FunctionDef | None:
        """The attribute's value node, or its declared_attr function."""
        stmt = self.body.get(attr)
        if isinstance(stmt, ast.Assign | ast.AnnAssign):
            return stmt.value
        if isinstance(stmt, ast.FunctionDef):
            return stmt
        return None

    def constant(self, attr: str) -> object:
        node = self.value(attr)
        return node.value if isinstance(node, ast.Constant) else None


@dataclass(slots=True)
class ModuleItem:
    """A module-level Table(...) or Index(...) call, in definition order."""

    src: PySource
    call: ast.Call
    order: int
    target: str | None = None  # the variable a Table was assigned to


@dataclass(slots=True)
class Project:
    classes: dict[str, ClassInfo] = field(default_factory=dict)
    tables: list[ModuleItem] = field(default_factory=list)
    indexes: list[ModuleItem] = field(default_factory=list)
    # MetaData owners ("metadata", "Base", "db") -> the naming_convention expression
    conventions: dict[str, tuple[PySource, ast.expr]] = field(default_factory=dict)
    metadata_alias: dict[str, str] = field(default_factory=dict)  # "Base" -> "metadata" var it uses
    constants: dict[str, ast.expr] = field(default_factory=dict)  # module-level NAME = literal
    roots: set[str] = field(default_factory=set)  # names bound to declarative bases
    enums: set[str] = field(default_factory=set)
    type_impls: dict[str, ast.expr] = field(default_factory=dict)  # TypeDecorator name -> impl
    _order: int = 0

    def next_order(self) -> int:
        self._order += 1
        return self._order

    def add_module(self, src: PySource) -> None:
        for stmt in src.tree.body:
            if isinstance(stmt, ast.ClassDef):
                self._add_class(src, stmt)
            elif isinstance(stmt, ast.Assign | ast.AnnAssign | ast.Expr):
                self._add_statement(src, stmt)

    def _add_statement(self, src: PySource, stmt: ast.Assign | ast.AnnAssign | ast.Expr) -> None:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [getattr(stmt, "target", None)]
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        value = stmt.value
        if value is None:
            return
        if isinstance(value, ast.Constant | ast.Dict | ast.Tuple | ast.List):
            for name in names:
                self.constants[name] = value
        if not isinstance(value, ast.Call):
            return
        kind = callee(value)
        if kind == "Table":
            self.tables.append(ModuleItem(src, value, self.next_order(), names[0] if names else None))
        elif kind == "Index":
            self.indexes.append(ModuleItem(src, value, self.next_order()))
        elif kind in _BASE_FACTORIES or kind == "SQLAlchemy":
            self.roots.update(names)
            self._note_metadata(src, names, keyword(value, "metadata"))
        elif kind == "MetaData":
            self._note_metadata(src, names, value)

    def _note_metadata(self, src: PySource, owners: list[str], node: ast.expr | None) -> None:
        """Record which naming convention `owners` use: MetaData(naming_convention=...) or a variable."""
        if node is None:
            return
        if isinstance(node, ast.Call) and callee(node) == "MetaData":
            convention = keyword(node, "naming_convention")
            if convention is not None:
                for owner in owners:
                    self.conventions[owner] = (src, convention)
        elif (name := dotted_name(node)) is not None:
            for owner in owners:
                self.metadata_alias[owner] = name.removesuffix(".metadata")

    def _add_class(self, src: PySource, node: ast.ClassDef) -> None:
        bases = [d for d in (dotted_name(b) for b in node.bases) if d is not None]
        info = ClassInfo(node.name, src, node, self.next_order(), bases)
        for stmt in node.body:
            for attr in _assigned_names(stmt):
                info.body[attr] = stmt
        info.sqlmodel_table = any(k.arg == "table" and getattr(k.value, "value", None) is True for k in node.keywords)
        decorators = {last_name(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list}
        info.root = bool(
            {b.rsplit(".", 1)[-1] for b in bases} & ROOT_BASES and "__tablename__" not in info.body
            and not info.sqlmodel_table
        ) or bool(decorators & {"as_declarative", "as_declarative_base"})
        if info.root:
            self.roots.add(node.name)
            self._note_metadata(src, [node.name], info.value("metadata"))  # type: ignore[arg-type]
            for deco in node.decorator_list:
                if isinstance(deco, ast.Call):
                    self._note_metadata(src, [node.name], keyword(deco, "metadata"))
        if {b.rsplit(".", 1)[-1] for b in bases} & _ENUM_BASES:
            self.enums.add(node.name)
        if isinstance(impl := info.value("impl"), ast.expr):
            self.type_impls[node.name] = impl
        self.classes[node.name] = info

    def mro(self, name: str) -> list[ClassInfo]:
        """C3 linearisation over the classes we know (unknown bases are left out)."""
        return self._mro(name, ())

    def _mro(self, name: str, seen: tuple[str, ...]) -> list[ClassInfo]:
        info = self.classes.get(name)
        if info is None or name in seen:
            return []
        seqs = [self._mro(b.rsplit(".", 1)[-1], (*seen, name)) for b in info.bases]
        seqs = [s for s in seqs if s] + [[self.classes[b] for b in _known(self, info.bases)]]
        out = [info]
        while any(seqs):
            seqs = [s for s in seqs if s]
            for seq in seqs:
                head = seq[0]
                if not any(head in s[1:] for s in seqs):
                    break
            else:  # inconsistent hierarchy: Python would refuse; keep going depth-first
                head = seqs[0][0]
            out.append(head)
            seqs = [s[1:] if s[0] is head else s for s in seqs]
        return out

    def all_base_names(self, name: str) -> list[str]:
        """Every base expression on the way up, known classes or not ("db.Model", "Base")."""
        return [b for info in self.mro(name) for b in info.bases]

    def is_declarative(self, name: str) -> bool:
        names = {b.rsplit(".", 1)[-1] for b in self.all_base_names(name)} | {b for b in self.all_base_names(name)}
        return bool(names & (self.roots | DECLARATIVE_BASES))

    def is_sqlmodel(self, name: str) -> bool:
        """A SQLModel class: its annotated attributes are columns, read as `Field(...)`."""
        return "SQLModel" in {b.rsplit(".", 1)[-1] for b in self.all_base_names(name)}

    def convention_for(self, owner: str | None) -> tuple[PySource, ast.expr] | None:
        """The naming convention of a MetaData owner (variable, declarative base, Flask `db`)."""
        for _ in range(5):  # follow Base -> metadata aliases
            if owner is None:
                return None
            if owner in self.conventions:
                return self.conventions[owner]
            owner = self.metadata_alias.get(owner)
        return None

    def class_convention(self, name: str) -> tuple[PySource, ast.expr] | None:
        for info in self.mro(name):
            if (found := self.convention_for(info.name)) is not None:
                return found
        for base in self.all_base_names(name):  # db.Model -> db; Base imported from elsewhere
            if (found := self.convention_for(base.rsplit(".", 1)[0])) is not None:
                return found
        return None


def _known(project: Project, bases: list[str]) -> list[str]:
    return [b.rsplit(".", 1)[-1] for b in bases if b.rsplit(".", 1)[-1] in project.classes]


def _assigned_names(stmt: ast.stmt) -> list[str]:
    if isinstance(stmt, ast.Assign):
        return [t.id for t in stmt.targets if isinstance(t, ast.Name)]
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return [stmt.target.id]
    if isinstance(stmt, ast.FunctionDef) and any(
        last_name(d.func if isinstance(d, ast.Call) else d) in DECLARED_ATTR for d in stmt.decorator_list
    ):
        return [stmt.name]
    return []
