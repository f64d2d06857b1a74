"""What shape a request body has, and so how a method takes it.

- An object with properties (or `allOf` objects): each property is a keyword argument.
- `oneOf`/`anyOf` of objects: each alternative is a variant with its own fields; when a
  property tells the variants apart (a `discriminator`, or a required `const`/single-value
  `enum` property that differs in each), the method gets one overload per variant, so that
  a type checker knows which fields go together.
- Anything else (an array, a string, a file, a free-form object): one `body` argument of the
  mapped type, sent as the whole body.
"""

from __future__ import annotations

from dataclasses import dataclass

from .naming import class_name
from .object_shape import ObjectShape, is_object_schema, object_shape
from .resolve import Node, Spec

WHOLE_BODY = "body"  # the argument that carries a body that is not an object
_INLINE = "Variant"  # an inline alternative's class suffix, before its number


@dataclass(frozen=True)
class Variant:
    """One alternative of a union body."""

    suffix: str  # its params class is `<Prefix>Params<suffix>`
    shape: ObjectShape
    tag: tuple[object, ...] = ()  # the discriminator's values that select it
    inline: bool = False  # not a `$ref`: its suffix is made up


@dataclass(frozen=True)
class BodyShape:
    kind: str  # 'fields' | 'union' | 'whole'
    shape: ObjectShape | None = None  # 'fields'
    variants: tuple[Variant, ...] = ()  # 'union'
    tag_name: str = ""  # 'union': the discriminating property, '' when there is none

    @property
    def discriminated(self) -> bool:
        return bool(self.tag_name)


def body_shape(spec: Spec, schema: Node) -> BodyShape:
    body = spec.deref(schema)
    value = body.value
    options = _alternatives(spec, body)
    if options is not None:
        base = object_shape(spec, body, request=True) if is_object_schema(value) else None
        variants = [_variant(spec, option, base, index) for index, option in enumerate(options)]
        return _tagged(spec, body, _unique_suffixes(variants))
    if is_object_schema(value):
        return BodyShape("fields", shape=object_shape(spec, body, request=True))
    return BodyShape("whole")


def _alternatives(spec: Spec, body: Node) -> list[Node] | None:
    """The object alternatives of a `oneOf`/`anyOf` body (`null` left out), or None when the
    body is not such a union."""
    value = body.value
    if not isinstance(value, dict):
        return None
    key = "oneOf" if "oneOf" in value else "anyOf" if "anyOf" in value else None
    listed = body.get(key) if key else None
    if listed is None or not isinstance(listed.value, list):
        return None
    options = [o for o in listed.elements() if not _is_null(spec.deref(o).value)]
    if not options or not all(is_object_schema(spec.deref(o).value) for o in options):
        return None
    return options


def _is_null(value: object) -> bool:
    return isinstance(value, dict) and value.get("type") == "null"


def _variant(spec: Spec, option: Node, base: ObjectShape | None, index: int) -> Variant:
    shape = object_shape(spec, option, request=True)
    name = spec.ref_name(option)
    suffix = class_name(name) if name else ""
    if base is not None:
        # The union's own properties hold for every alternative; an alternative's own
        # description of one of them is the narrower one.
        own = dict(shape.properties)
        merged = [(k, p) for k, p in base.properties if k not in own] + list(shape.properties)
        shape = ObjectShape(shape.node, tuple(merged), base.required | shape.required)
    return Variant(suffix or f"{_INLINE}{index + 1}", shape, inline=not suffix)


def _unique_suffixes(variants: list[Variant]) -> list[Variant]:
    seen: dict[str, int] = {}
    result = []
    for variant in variants:
        count = seen.get(variant.suffix, 0)
        seen[variant.suffix] = count + 1
        suffix = f"{variant.suffix}{count + 1}" if count else variant.suffix
        result.append(Variant(suffix, variant.shape, inline=variant.inline))
    return result


def _tagged(spec: Spec, body: Node, variants: list[Variant]) -> BodyShape:
    """The union, discriminated when the document names a discriminator whose value each
    variant can be given by, or when a required property has one fixed value per variant."""
    discriminator = body.get("discriminator")
    named = discriminator.value.get("propertyName") if discriminator is not None else None
    names = [named] if isinstance(named, str) else _candidate_tags(spec, variants)
    for name in names:
        tags = [_tag_values(spec, body, variant, name) for variant in variants]
        flat = [value for tag in tags for value in tag]
        if all(tags) and len(flat) == len({(type(v), v) for v in flat}):
            pairs = list(zip(variants, tags, strict=True))
            tagged = [Variant(_tag_suffix(v, tag), v.shape, tag, v.inline) for v, tag in pairs]
            if len({v.suffix for v in tagged}) < len(tagged):
                tagged = [Variant(v.suffix, v.shape, tag, v.inline) for v, tag in pairs]
            return BodyShape("union", variants=tuple(tagged), tag_name=name)
    return BodyShape("union", variants=tuple(variants))


def _tag_suffix(variant: Variant, tag: tuple[object, ...]) -> str:
    """An inline alternative is named after its tag's first value, when that makes a name."""
    if not variant.inline or not isinstance(tag[0], str):
        return variant.suffix
    return class_name(tag[0]) or variant.suffix


def _candidate_tags(spec: Spec, variants: list[Variant]) -> list[str]:
    """Properties every variant requires and gives fixed values, in the first's order."""
    first = variants[0].shape
    return [
        key
        for key, _ in first.properties
        if all(
            key in v.shape.required and fixed_values(spec, dict(v.shape.properties).get(key))
            for v in variants
        )
    ]


def _tag_values(spec: Spec, body: Node, variant: Variant, name: str) -> tuple[object, ...]:
    discriminator = body.get("discriminator")
    mapping = discriminator.value.get("mapping") if discriminator is not None else None
    ref = variant.shape.node.path
    if isinstance(mapping, dict):
        found = tuple(
            value
            for value, target in mapping.items()
            if isinstance(target, str) and _names_schema(spec, target, ref)
        )
        if found:
            return found
    fixed = fixed_values(spec, dict(variant.shape.properties).get(name))
    if fixed:
        return fixed
    schema = _schema_name(ref)
    # OpenAPI: without a mapping, the value is the name of the alternative's schema.
    return (schema,) if schema and discriminator is not None else ()


def _names_schema(spec: Spec, target: str, path: tuple[str | int, ...]) -> bool:
    """Whether a discriminator mapping's value (`#/components/schemas/X` or `X`) is `path`."""
    if target.startswith("#/"):
        return tuple(target[2:].split("/")) == tuple(str(p) for p in path)
    return path == ("components", "schemas", target)


def _schema_name(path: tuple[str | int, ...]) -> str:
    if len(path) == 3 and path[:2] == ("components", "schemas"):
        return str(path[2])
    return ""


def fixed_values(spec: Spec, prop: Node | None) -> tuple[object, ...]:
    """The values a property allows when it lists them (`const`, `enum`), else ()."""
    if prop is None:
        return ()
    value = spec.deref(prop).value
    if not isinstance(value, dict):
        return ()
    allowed = [value["const"]] if "const" in value else value.get("enum")
    if not isinstance(allowed, list) or not allowed:
        return ()
    if not all(isinstance(v, (str, int, bool)) and not isinstance(v, float) for v in allowed):
        return ()
    return tuple(allowed)
