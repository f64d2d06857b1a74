"""The Python names of response model fields: the same names the params modules give a wire
name (`naming.python_name`), handed to datamodel-code-generator as field aliases, so that a
model reads `cfgScale` from the wire and exposes `cfg_scale`.

Two properties of one object that would get the same Python name are an error located at
the second: DCG would stop with an unlocated one.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator

from .load import PathKey
from .model_schemas import LIST, MAP, ONE
from .naming import clash_hint, python_name
from .resolve import Node, Spec

_PASSED: weakref.WeakKeyDictionary[Spec, dict[str, set[PathKey]]] = weakref.WeakKeyDictionary()

# Fields named like the methods of the models' base class would hide them: they get a
# trailing underscore, and the wire name as their alias.
MODEL_METHODS = frozenset({"to_dict", "to_json"})


def field_name(wire_name: str, naming: str) -> str:
    """A response model field's Python name; '' when the wire name makes none."""
    name = python_name(wire_name, naming)
    return f"{name}_" if name in MODEL_METHODS else name


def field_aliases(spec: Spec, schemas: Iterable[Node], naming: str) -> dict[str, str]:
    """{wire name: Python name} of every property in `schemas` (and the schemas they
    reference) whose Python name differs, sorted by wire name."""
    aliases = {name: f"{name}_" for name in MODEL_METHODS}
    for properties in _property_maps(spec, schemas):
        for wire_name, _ in properties.items():
            name = field_name(wire_name, naming)
            if name and name != wire_name:
                aliases[wire_name] = name
    return dict(sorted(aliases.items()))


def check_field_names(spec: Spec, schemas: Iterable[Node], naming: str) -> None:
    """Raise when two properties of one object get the same Python name."""
    # Each method's schemas are checked on their own, and most share schemas: a schema
    # whose every reachable property map passed an earlier check is not walked again.
    passed = _PASSED.setdefault(spec, {}).setdefault(naming, set())
    walked: set[PathKey] = set()
    for properties in _property_maps(spec, schemas, passed, walked):
        seen: dict[str, str] = {}
        for wire_name, prop in properties.items():
            name = field_name(wire_name, naming)
            other = seen.setdefault(name, wire_name) if name else wire_name
            if other != wire_name:
                raise spec.error(
                    prop,
                    f"response properties '{other}' and '{wire_name}' "
                    f"both become the model field '{name}'",
                    clash_hint(other, wire_name, naming),
                )
    passed |= walked


def _property_maps(
    spec: Spec,
    schemas: Iterable[Node],
    skip: set[PathKey] | frozenset[PathKey] = frozenset(),
    seen: set[PathKey] | None = None,
) -> Iterator[Node]:
    """Every `properties` mapping in `schemas`, `$ref`s followed, each schema once; not
    those of the schemas in `skip` (nor what only they reach). `seen` gets every schema
    walked."""
    seen = set() if seen is None else seen
    pending = list(schemas)
    while pending:
        node = pending.pop()
        # Not a schema object (a spec that says `schema: 5`): the response stage says where.
        if isinstance(node.value, dict) and "$ref" in node.value:
            node = spec.deref(node)
        if node.path in seen or node.path in skip or not isinstance(node.value, dict):
            continue
        seen.add(node.path)
        properties = node.get("properties")
        if properties is not None and isinstance(properties.value, dict):
            yield properties
        pending += _subschemas(node)


def _subschemas(node: Node) -> list[Node]:
    found = [child for key in ONE if (child := node.get(key)) is not None]
    for key in LIST:
        child = node.get(key)
        found += child.elements() if child is not None and isinstance(child.value, list) else []
    for key in MAP:
        child = node.get(key)
        if child is not None and isinstance(child.value, dict):
            found += [item for _, item in child.items()]
    return [child for child in found if isinstance(child.value, dict)]
