"""Unit tests of `request_body`: which shape a body has, how the variants of a union are
named and told apart."""

from __future__ import annotations

import textwrap

import pytest
from sdkforge.load import parse_yaml
from sdkforge.request_body import BodyShape, body_shape
from sdkforge.resolve import Spec


def _shape(schemas: str) -> BodyShape:
    text = "openapi: 3.1.0\ncomponents:\n  schemas:\n" + textwrap.indent(
        textwrap.dedent(schemas), "    "
    )
    spec = Spec(parse_yaml(text, "openapi.yaml"))
    return body_shape(spec, spec.root.get("components").get("schemas").get("Body"))  # type: ignore[union-attr]


@pytest.mark.parametrize("spelling", ["oneOf", "anyOf"])
def test_schema_names_are_the_tags_without_a_mapping(spelling: str) -> None:
    shape = _shape(
        f"""
        Body:
          properties: {{shared: {{type: string}}}}
          required: [shared]
          {spelling}:
            - {{$ref: '#/components/schemas/A'}}
            - {{$ref: '#/components/schemas/B'}}
          discriminator: {{propertyName: type}}
        A: {{type: object, properties: {{type: {{type: string}}, a: {{type: integer}}}}}}
        B: {{type: object, properties: {{type: {{type: string}}, b: {{type: integer}}}}}}
        """
    )
    assert shape.kind == "union" and shape.tag_name == "type"
    assert [(v.suffix, v.tag) for v in shape.variants] == [("A", ("A",)), ("B", ("B",))]
    # The union's own properties hold for each variant.
    assert [k for k, _ in shape.variants[0].shape.properties] == ["shared", "type", "a"]
    assert shape.variants[1].shape.required == frozenset({"shared"})


def test_values_that_do_not_tell_variants_apart_leave_the_union_untagged() -> None:
    shape = _shape(
        """
        Body:
          oneOf:
            - {type: object, required: [t], properties: {t: {const: x}, a: {type: integer}}}
            - {type: object, required: [t], properties: {t: {enum: [x, y]}}}
        """
    )
    assert shape.kind == "union" and not shape.discriminated
    assert [v.suffix for v in shape.variants] == ["Variant1", "Variant2"]


def test_an_optional_fixed_property_is_no_tag() -> None:
    shape = _shape(
        """
        Body:
          oneOf:
            - {type: object, properties: {t: {const: x}}}
            - {type: object, required: [t], properties: {t: {const: y}}}
        """
    )
    assert not shape.discriminated


@pytest.mark.parametrize(
    ("schema", "kind"),
    [
        ("{type: array, items: {type: string}}", "whole"),
        ("{type: string}", "whole"),
        ("{type: object, additionalProperties: {type: integer}}", "whole"),
        ("{oneOf: [{type: string}, {type: object, properties: {a: {type: string}}}]}", "whole"),
        ("{type: object, properties: {a: {type: string}}}", "fields"),
        ("{anyOf: [{type: 'null'}, {type: object, properties: {a: {type: string}}}]}", "union"),
    ],
)
def test_what_is_not_an_object_or_a_union_of_objects_is_one_body(schema: str, kind: str) -> None:
    assert _shape(f"Body: {schema}").kind == kind


@pytest.mark.parametrize(
    "wider",
    [
        "{anyOf: [{type: integer, description: Any.}, {type: 'null'}]}",
        "{type: integer, nullable: true}",
    ],
)
@pytest.mark.parametrize("wider_first", [True, False])
def test_all_of_a_nullable_and_a_plain_property_is_the_plain_one(
    wider: str, wider_first: bool
) -> None:
    parts = [
        f"{{type: object, properties: {{n: {wider}}}}}",
        "{type: object, properties: {n: {type: integer, description: Not null.}}}",
    ]
    first, second = parts if wider_first else parts[::-1]
    shape = _shape(
        f"""
        Body:
          allOf:
            - {first}
            - {second}
        """
    )
    assert shape.shape is not None
    ((name, prop),) = shape.shape.properties
    assert name == "n" and prop.value == {"type": "integer", "description": "Not null."}


def test_two_spellings_of_a_nullable_property_are_one_property() -> None:
    shape = _shape(
        """
        Body:
          allOf:
            - {type: object, properties: {n: {anyOf: [{type: integer}, {type: 'null'}]}}}
            - {type: object, properties: {n: {type: integer, nullable: true, title: N}}}
        """
    )
    assert shape.shape is not None and [k for k, _ in shape.shape.properties] == ["n"]


@pytest.mark.parametrize(
    ("media", "kind"),
    [
        ("application/json; charset=utf-8", "json"),
        ("Application/JSON", "json"),
        ("multipart/form-data; boundary=x", "multipart"),
        ("image/png", "binary"),
        ("text/plain; charset=utf-8", "text"),
        ("application/xml", None),
    ],
)
def test_media_types_with_parameters_are_recognised(media: str, kind: str | None) -> None:
    from sdkforge.body_media import choose_media

    text = f"content:\n  '{media}':\n    schema: {{type: object, properties: {{a: {{}}}}}}\n"
    spec = Spec(parse_yaml(text, "openapi.yaml"))
    content = spec.root.get("content")
    assert content is not None
    chosen = choose_media(spec, content, False)
    assert (chosen[0] if chosen else None) == kind


@pytest.mark.parametrize(
    ("variants", "overloaded"),
    [
        # `{a}` alone fits the first variant too: an overload for it would never be chosen.
        ([{"a": True, "b": False}, {"a": True}], False),
        ([{"a": True}, {"b": True, "c": False}], True),
        ([{"a": False}, {"b": True}], False),
    ],
)
def test_untagged_variants_get_overloads_only_when_no_call_fits_two(
    variants: list[dict[str, bool]], overloaded: bool
) -> None:
    from sdkforge.method_fields import MethodFields, VariantFields
    from sdkforge.model import Field
    from sdkforge.samples import NONE
    from sdkforge.typemap import TypeContext

    made = tuple(
        VariantFields(
            f"V{n}",
            tuple(Field(k, k, "int", r, "", "", False, NONE) for k, r in fields.items()),
            False,
        )
        for n, fields in enumerate(variants)
    )
    assert MethodFields([], None, TypeContext(), made).overloaded is overloaded
