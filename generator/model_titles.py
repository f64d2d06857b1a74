"""Names for the inline objects nested in a response model, given before DCG sees them.

datamodel-code-generator names an untitled inline object after its property (`usage` ->
`Usage`, the items of `users` -> `User`). When that name is taken (by the model's own class,
by another component's class, or by a sibling), DCG would rename one of the two classes
(`User` -> `UserModel`), and the method could be handed the nested class instead of its own
model. So such an object gets a title that names it by its property path instead:
`<Model><Property>` (`UserUser`), numbered from 2 up while that is taken too; an inline
member of a union that is the model itself is `<Model>Variant<n>`.
"""

from __future__ import annotations

from typing import Any

from .naming import pascal_case

_UNION_KEYS = ("anyOf", "oneOf", "allOf")


def title_nested(schema: dict[str, Any], stem: str, own: str, taken: set[str]) -> None:
    """Give the clashing inline objects of `schema` (the copy of component `own`, written to
    module `stem`) titles of the form `<stem>.<Name>`; `taken` is updated."""
    # DCG names an inline member of a top-level union after the union itself, and renames
    # the union: each such member gets `<Model>Variant<n>` (n: its place in the union).
    # A union of one object and `null` is that object, nullable: DCG writes it into the
    # fields that use it as `X | None`, so the object takes the component's own name.
    for key in ("anyOf", "oneOf"):
        members = schema.get(key)
        members = members if isinstance(members, list) else []
        others = [m for m in members if not (isinstance(m, dict) and m.get("type") == "null")]
        for index, member in enumerate(members, start=1):
            if (
                isinstance(member, dict)
                and "$ref" not in member
                and "title" not in member
                and isinstance(member.get("properties"), dict)
            ):
                alone = others == [member] and "properties" not in schema
                name = own if alone else _numbered(f"{own}Variant{index}", taken)
                member["title"] = f"{stem}.{name}"
    taken.add(own)
    _walk(schema, stem, own, taken)


def _walk(schema: dict[str, Any], stem: str, place: str, taken: set[str]) -> None:
    properties = schema.get("properties")
    for prop, value in properties.items() if isinstance(properties, dict) else []:
        if not isinstance(value, dict):
            continue
        inner = f"{place}{pascal_case(str(prop))}"
        for target in _objects(value):
            title = target.get("title")
            dcg = title.partition(".")[2] if isinstance(title, str) else pascal_case(str(prop))
            if dcg in taken or _singular(dcg) in taken:
                target["title"] = f"{stem}.{_numbered(inner, taken)}"
            elif isinstance(title, str):
                taken.add(dcg)
            _walk(target, stem, inner, taken)
    for key in _UNION_KEYS:
        members = schema.get(key)
        for member in members if isinstance(members, list) else []:
            if isinstance(member, dict):
                _walk(member, stem, place, taken)


def _objects(value: dict[str, Any]) -> list[dict[str, Any]]:
    """The inline objects a property is (or holds as array items)."""
    items = value.get("items")
    if isinstance(items, dict):
        return _objects(items)
    if "$ref" not in value and isinstance(value.get("properties"), dict):
        return [value]
    return []


def _singular(name: str) -> str:
    # DCG names array items by the singular of the property: close enough to catch a clash.
    return name[:-1] if name.endswith("s") else name


def _numbered(base: str, taken: set[str]) -> str:
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base}{number}"
    taken.add(name)
    return name
