"""Unit tests of `shared_params`: which nested classes move to the shared module."""

from __future__ import annotations

from sdkforge.model import Field, Module, TypedDictClass
from sdkforge.samples import NONE
from sdkforge.shared_params import PATH, share, shared_classes


def _class(name: str, field: str) -> TypedDictClass:
    f = Field(field, field, "int", False, "", "", False, NONE)
    return TypedDictClass(name, "TypedDict, total=False", "", (f,))


def _module(stem: str, *nested: TypedDictClass) -> Module:
    own = _class(f"{stem.title()}Params", "point")
    return Module(
        path=f"types/{stem}_params.py",
        imports=(),
        classes=(own, *nested),
        aliases=(),
        exports=(own.name, *(c.name for c in nested)),
        reexports=(own.name,),
        import_candidates=(("typing_extensions", "TypedDict"),),
    )


def test_only_classes_several_modules_define_alike_are_shared() -> None:
    modules = [
        _module("a", _class("Point", "x"), _class("Size", "w"), _class("Only", "o")),
        _module("b", _class("Point", "x"), _class("Size", "h")),
    ]
    assert list(shared_classes(modules)) == ["Point"]


def test_shared_classes_move_and_are_imported_back() -> None:
    a, b = _module("a", _class("Point", "x")), _module("b", _class("Point", "x"))
    modules = share({a.path: a, b.path: b}, shared_classes([a, b]))
    assert list(modules) == [a.path, b.path, PATH]
    assert [c.name for c in modules[PATH].classes] == ["Point"]
    assert modules[PATH].exports == ("Point",) and modules[PATH].reexports == ()
    for path in (a.path, b.path):
        assert [c.name for c in modules[path].classes] == [modules[path].reexports[0]]
        assert "from .shared_params import Point" in modules[path].imports
        assert "Point" in modules[path].exports


def test_nothing_shared_leaves_the_modules_as_they_are() -> None:
    a = _module("a", _class("Point", "x"))
    assert share({a.path: a}, shared_classes([a])) == {a.path: a}
