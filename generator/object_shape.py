"""The properties an object schema describes, its `allOf` parts merged into one.

A request body or a nested object that is written as `allOf: [A, B]` is sent as one object
with the fields of both: its TypedDict lists every property once, and a field is required
when any part requires it. Two parts that describe one property differently cannot both hold;
that is a located error, not a silent choice of one of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Diagnostic, SpecError
from .resolve import Node, Spec

# `allOf` inside `allOf` inside ...: deeper than this is a cycle or a document no API needs.
_MAX_DEPTH = 32
# What two descriptions of one property may differ in and still be the same property.
_NOT_THE_TYPE = frozenset({"description", "title", "example", "examples", "deprecated"})


@dataclass(frozen=True)
class ObjectShape:
    node: Node  # the schema itself, `$ref` followed: where its description and errors are
    properties: tuple[tuple[str, Node], ...]
    required: frozenset[str]


def required_names(schema: dict[str, object]) -> frozenset[str]:
    """The names a schema's `required` lists; nothing when it is not a list (the builder
    reports that)."""
    names = schema.get("required")
    if not isinstance(names, list):
        return frozenset()
    return frozenset(name for name in names if isinstance(name, str))


def is_object_schema(value: object) -> bool:
    """Whether the schema (its `$ref` followed) describes an object by properties or allOf."""
    if not isinstance(value, dict):
        return False
    kind = value.get("type")
    if kind not in (None, "object") and kind != ["object", "null"]:
        return False
    return isinstance(value.get("properties"), dict) or isinstance(value.get("allOf"), list)


def object_shape(spec: Spec, node: Node, request: bool = False) -> ObjectShape:
    """The merged properties of the object schema `node`; raises when a part is not an object
    or two parts disagree on a property. `request`: what a request sends, without the
    `readOnly` properties (OpenAPI: they are not sent, and their `required` holds only for
    responses); a schema shared by a request and a response often has an `id` so."""
    target = spec.deref(node)
    properties: dict[str, Node] = {}
    required: set[str] = set()
    _collect(spec, target, properties, required, 0)
    if request:
        properties = {k: p for k, p in properties.items() if not _read_only(spec, p)}
        required &= properties.keys()
    return ObjectShape(target, tuple(properties.items()), frozenset(required))


def _read_only(spec: Spec, prop: Node) -> bool:
    value = prop.value
    if isinstance(value, dict) and value.get("readOnly") is True:
        return True  # beside a `$ref`, as OpenAPI 3.1 allows
    target = spec.deref(prop).value
    return isinstance(target, dict) and target.get("readOnly") is True


def _collect(
    spec: Spec, node: Node, properties: dict[str, Node], required: set[str], depth: int
) -> None:
    if depth > _MAX_DEPTH:
        raise spec.error(node, f"allOf nests more than {_MAX_DEPTH} deep", "flatten the schema")
    value = node.value
    if not isinstance(value, dict) or not _may_be_object(value):
        raise spec.error(
            node,
            "allOf of schemas that are not all objects is not supported",
            "merge the schemas into one schema",
        )
    required.update(required_names(value))
    parts = node.get("allOf")
    for part in parts.elements() if parts else []:
        _collect(spec, spec.deref(part), properties, required, depth + 1)
    own = node.get("properties")
    for key, prop in own.items() if own else []:
        earlier = properties.get(key)
        if earlier is not None and _nullable_of(spec, earlier, prop):
            # allOf means both hold: the value may not be null after all.
            properties[key] = prop
            continue
        if earlier is not None and _nullable_of(spec, prop, earlier):
            continue
        if earlier is not None and not _same(spec, earlier, prop):
            raise SpecError(
                [
                    Diagnostic(
                        spec.locate(prop),
                        f"property '{key}' is described differently by two allOf parts",
                        "describe it once, or alike in both; the other is at line "
                        f"{spec.locate(earlier).line}",
                    )
                ]
            )
        if earlier is None:
            properties[key] = prop


def _may_be_object(value: dict[str, object]) -> bool:
    kind = value.get("type")
    return kind in (None, "object") or kind == ["object", "null"]


def _nullable_of(spec: Spec, wider: Node, narrower: Node) -> bool:
    """Whether `wider` is `narrower` or null (`anyOf: [T, {type: 'null'}]`, `nullable: true`)."""
    one, other = _normal(spec.deref(wider).value), _normal(spec.deref(narrower).value)
    if not isinstance(one, dict) or not isinstance(other, dict) or one.get("nullable") is not True:
        return False
    return {k: v for k, v in one.items() if k != "nullable"} == other


def _normal(value: object) -> object:
    """The schema without what does not change its type (descriptions, examples, ...), and
    `anyOf: [T, {type: 'null'}]` written as T with `nullable: true`."""
    if not isinstance(value, dict):
        return value
    typed = {k: v for k, v in value.items() if k not in _NOT_THE_TYPE}
    options = typed.get("anyOf") or typed.get("oneOf")
    if len(typed) == 1 and isinstance(options, list) and len(options) == 2:
        kept = [o for o in options if o != {"type": "null"}]
        inner = _normal(kept[0]) if len(kept) == 1 else None
        if isinstance(inner, dict) and "$ref" not in inner:
            return {**inner, "nullable": True}
    return typed


def _same(spec: Spec, first: Node, second: Node) -> bool:
    if first.path == second.path:
        return True
    return bool(_normal(spec.deref(first).value) == _normal(spec.deref(second).value))
