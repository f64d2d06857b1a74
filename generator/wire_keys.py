"""The `WireKeys` constants of a params module: how the keys of its nested TypedDicts go on
the wire, written at generation time so that the request builder reads no annotations.

A class gets a constant when one of its keys is named otherwise in Python than on the wire,
or when one of its values holds a class that does; a method's argument whose value holds
such a class is sent through `to_wire` with the constant (`Field.wire_keys`).
"""

from __future__ import annotations

from dataclasses import replace

from .model import Field, TypedDictClass
from .resolve import Node, Spec
from .shape import KeyMap, Shape

WIRE_MODULE = ".._wire"


def constant_name(class_name: str) -> str:
    # Class names are PascalCase without underscores: no class can be called this.
    return f"_{class_name}_wire"


def key_maps(
    spec: Spec, classes: list[TypedDictClass], nodes: dict[str, Node], fields: list[Field]
) -> tuple[KeyMap, ...]:
    """The constants `classes` need, each after those it refers to; `nodes` locates each
    class for an error, and `fields` are the method's own (whose unions are checked too)."""
    by_name = {cls.name: cls for cls in classes}
    needed = _needing_keys(by_name)
    ordered: list[str] = []

    def visit(name: str) -> None:
        if name in ordered or name not in needed:
            return
        for f in by_name[name].fields:
            for inner in _classes_in(f.shape):
                visit(inner)
        ordered.append(name)

    for name in sorted(needed):
        visit(name)
    for f in [*fields, *(f for cls in classes for f in cls.fields)]:
        _check_union(spec, by_name, nodes, f.shape)
    return tuple(
        KeyMap(constant_name(name), _class_keys(by_name[name], needed)) for name in ordered
    )


def with_wire_keys(fields: list[Field], maps: tuple[KeyMap, ...]) -> list[Field]:
    """`fields`, each with the expression of the keys its value is sent with."""
    known = {m.name for m in maps}
    return [replace(f, wire_keys=expression(f.shape, known)) for f in fields]


def body_names(
    fields: list[Field], maps: tuple[KeyMap, ...], params_module: str
) -> list[tuple[str, str]]:
    """(module, name) of what a method body needs to send `fields` by their wire keys: the
    key maps, from the params module (dotted, relative to the package), and the runtime's."""
    known = {m.name for m in maps}
    names: set[tuple[str, str]] = set()
    for f in fields:
        if f.wire_keys:
            names.add((WIRE_MODULE, "to_wire"))
            names.update(_names_used(f.shape, known, params_module))
    return sorted(names)


def _names_used(shape: Shape, known: set[str], params_module: str) -> set[tuple[str, str]]:
    used = {(f"..{params_module}", constant_name(c)) for c in shape.classes}
    used = {(module, name) for module, name in used if name in known}
    if shape.values is not None and expression(shape.values, known):
        used.add((WIRE_MODULE, "WireKeys"))
        used |= _names_used(shape.values, known, params_module)
    return used


def expression(shape: Shape, known: set[str]) -> str:
    """The `WireKeys` of a value of `shape`; '' when nothing in it is renamed."""
    parts = [constant_name(c) for c in shape.classes if constant_name(c) in known]
    if shape.values is not None:
        inner = expression(shape.values, known)
        if inner:
            parts.append(f"WireKeys(values={inner})")
    if not parts:
        return ""
    return parts[0] + "".join(f".merged({part})" for part in parts[1:])


def _needing_keys(by_name: dict[str, TypedDictClass]) -> set[str]:
    needed = {
        name for name, cls in by_name.items() if any(f.name != f.wire_name for f in cls.fields)
    }
    # A class holding one that needs keys needs them too: repeat until nothing is added.
    grown = True
    while grown:
        grown = False
        for name, cls in by_name.items():
            if name not in needed and any(_classes_in(f.shape) & needed for f in cls.fields):
                needed.add(name)
                grown = True
    return needed


def _classes_in(shape: Shape) -> set[str]:
    found = set(shape.classes)
    if shape.values is not None:
        found |= _classes_in(shape.values)
    return found


def _class_keys(cls: TypedDictClass, needed: set[str]) -> str:
    known = {constant_name(name) for name in needed}
    names = {f.name: f.wire_name for f in cls.fields if f.name != f.wire_name}
    nested = {f.name: expression(f.shape, known) for f in cls.fields}
    arguments = []
    if names:
        arguments.append("names={" + ", ".join(f"{k!r}: {v!r}" for k, v in names.items()) + "}")
    if any(nested.values()):
        items = ", ".join(f"{k!r}: {v}" for k, v in nested.items() if v)
        arguments.append("nested={" + items + "}")
    return f"WireKeys({', '.join(arguments)})"


def _check_union(
    spec: Spec, by_name: dict[str, TypedDictClass], nodes: dict[str, Node], shape: Shape
) -> None:
    """A value that may be one of several classes is sent by their keys merged: one Python
    key must then mean one wire name."""
    seen: dict[str, tuple[str, str]] = {}
    for name in shape.classes:
        for f in by_name[name].fields if name in by_name else ():
            wire, owner = seen.setdefault(f.name, (f.wire_name, name))
            if wire != f.wire_name:
                raise spec.error(
                    nodes[name],
                    f"'{f.name}' is '{wire}' on the wire in '{owner}' and "
                    f"'{f.wire_name}' in '{name}', and a value may be either",
                    "rename one of the properties, "
                    "or keep wire names with `naming: wire` in sdk.yaml",
                )
    if shape.values is not None:
        _check_union(spec, by_name, nodes, shape.values)
