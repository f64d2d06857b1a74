"""Names for the classes of a union's alternatives.

`anyOf: [{type: object, ...}, {type: object, ...}]` written inline under one property (or
under one schema name) would make two classes of one name; each alternative gets a name of
its own instead, from what the document says of it.
"""

from __future__ import annotations

from .naming import class_name as safe_class_name
from .naming import python_name
from .object_shape import is_object_schema
from .request_body import fixed_values
from .resolve import Node, Spec
from .samples import Sample, code

_MAX_DEPTH = 32


def member_hints(spec: Spec, elements: list[Node], name_hint: str) -> list[str]:
    """The name hint of each alternative of a union: the union's own, unless several inline
    alternatives may make classes; then each adds its `title`, else the one value of a
    property (`type: image_url`), else its position, so that no two take one name."""
    may_name = [_makes_class(e.value, 0) for e in elements]
    if sum(may_name) < 2:
        return [name_hint] * len(elements)
    hints, taken = [], set()
    for index, (element, named) in enumerate(zip(elements, may_name, strict=True)):
        suffix = _member_suffix(spec, element) if named else ""
        if suffix in taken or (named and not suffix):
            suffix = f"Variant{index + 1}"
        taken.add(suffix)
        hints.append(f"{name_hint}_{suffix}" if named else name_hint)
    return hints


def _makes_class(value: object, depth: int) -> bool:
    """Whether an inline schema is, or holds, an object that becomes a class."""
    if not isinstance(value, dict) or "$ref" in value or depth > _MAX_DEPTH:
        return False
    if is_object_schema(value) or _makes_class(value.get("items"), depth + 1):
        return True
    options = [o for key in ("anyOf", "oneOf") for o in value.get(key) or []]
    return any(_makes_class(option, depth + 1) for option in options)


def _member_suffix(spec: Spec, element: Node) -> str:
    title = element.value.get("title")
    if isinstance(title, str) and safe_class_name(title):
        return safe_class_name(title)
    properties = element.get("properties")
    for _, prop in properties.items() if properties else []:
        values = fixed_values(spec, prop)
        if len(values) == 1 and isinstance(values[0], str) and safe_class_name(values[0]):
            return safe_class_name(values[0])
    return ""


def tagged_sample(spec: Spec, union: Node, member: Node, sample: Sample, naming: str) -> Sample:
    """A member's sample with the union's discriminator property set to the member's value,
    when the member declares it but leaves it optional: OpenAPI expects the property in every
    value of a discriminated union, and a mock server that reads the discriminator rejects a
    value without it."""
    discriminator = union.value.get("discriminator")
    prop = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
    values = _declared(spec, spec.deref(member), prop, 0) if isinstance(prop, str) else ()
    if not isinstance(prop, str) or not values or sample.kind != "object":
        return sample
    key = repr(python_name(prop, naming))
    if key in sample.keys:
        return sample
    return Sample("object", items=(*sample.items, code(repr(values[0]))), keys=(*sample.keys, key))


def _declared(spec: Spec, node: Node, prop: str, depth: int) -> tuple[object, ...]:
    """The values a schema (its `allOf` parts too) gives its property `prop`, else ()."""
    props = node.get("properties")
    found = fixed_values(spec, props.get(prop) if props else None)
    parts = node.get("allOf")
    for part in parts.elements() if parts and not found and depth < _MAX_DEPTH else []:
        found = found or _declared(spec, spec.deref(part), prop, depth + 1)
    return found
