"""Names for the classes of a union's alternatives.

`anyOf: [{type: object, ...}, {type: object, ...}]` written inline under one property (or
under one schema name) would make two classes of one name; each alternative gets a name of
its own instead, from what the document says of it.
"""

from __future__ import annotations

from .naming import class_name as safe_class_name
from .object_shape import is_object_schema
from .request_body import fixed_values
from .resolve import Node, Spec

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
