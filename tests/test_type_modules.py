"""The params and alias modules (generator/type_modules.py), built from small schemas."""

from __future__ import annotations

import pytest
from _inline import ECHO_SPEC, inline_context
from sdkforge.build import MethodParts, build_method
from sdkforge.diagnostics import SpecError
from sdkforge.model import Field
from sdkforge.resolve import Node
from sdkforge.samples import code
from sdkforge.type_modules import alias_module, params_module
from sdkforge.typemap import TypeContext

ALIASED = ECHO_SPEC + (
    "    Mood:\n      enum: [calm, loud]\n      nullable: true\n"
    "    Shape:\n      type: object\n      properties:\n        mood: {$ref: '#/components/schemas/Mood'}\n"
)


def _with_shape(schema: str) -> str:
    """The echo spec with a body field `shape` that refers to an object schema `schema`."""
    body = ECHO_SPEC.replace(
        "                times: {type: integer}\n",
        "                times: {type: integer}\n"
        f"                shape: {{$ref: '#/components/schemas/{schema}'}}\n",
    )
    return body + (
        f"    {schema}:\n      type: object\n      required: [sides]\n"
        "      properties:\n        sides: {type: integer}\n"
    )


def _field(name: str, type_: str = "str", required: bool = False) -> Field:
    return Field(name, name, type_, required, "", "", False, code("'x'"))


def test_a_streaming_method_has_three_classes_and_a_union() -> None:
    ctx, _ = inline_context()
    config = ctx.config.resources[0].methods[0]
    module = params_module(
        ctx.spec,
        ctx.mapper,
        "types/echo_create_params.py",
        "EchoCreate",
        [_field("message", required=True)],
        _field("stream", "bool"),
        TypeContext(),
        config,
    )
    assert [c.name for c in module.classes] == [
        "EchoCreateParamsBase",
        "EchoCreateParamsNonStreaming",
        "EchoCreateParamsStreaming",
    ]
    assert [(a.name, a.value, a.annotated) for a in module.aliases] == [
        (
            "EchoCreateParams",
            "Union[EchoCreateParamsNonStreaming, EchoCreateParamsStreaming]",
            False,
        )
    ]
    assert module.reexports == module.exports[:4]
    assert module.imports == (
        "from typing import Optional, Union",
        "",
        "from typing_extensions import Literal, Required, TypedDict",
    )


def test_an_alias_is_annotated_and_imports_only_what_it_prints() -> None:
    ctx, _ = inline_context(ALIASED)
    target = Node(
        ctx.spec.root.value["components"]["schemas"]["Mood"], ("components", "schemas", "Mood")
    )
    module = alias_module(ctx.spec, ctx.mapper, "types/mood.py", "Mood", target)
    [alias] = module.aliases
    assert (alias.name, alias.value, alias.annotated) == ("Mood", "Literal['calm', 'loud']", True)
    # Mapping the nullable enum needed `Optional`; the alias drops the None, so not imported.
    assert module.imports == ("from typing_extensions import Literal, TypeAlias",)


def test_nested_objects_become_classes_of_the_params_module() -> None:
    ctx, _ = inline_context(_with_shape("Shape"))
    resource = ctx.config.resources[0]
    parts = build_method(ctx, resource, resource.methods[0])
    assert isinstance(parts, MethodParts)
    assert [c.name for c in parts.params.classes] == ["EchoCreateParams", "Shape"]
    assert parts.params.exports == ("EchoCreateParams", "Shape")
    assert parts.params.reexports == ("EchoCreateParams",)
    assert ("..types.echo_create_params", "Shape") in parts.annotation_names


def test_a_schema_named_like_the_params_class_is_an_error() -> None:
    ctx, _ = inline_context(_with_shape("EchoCreateParams"))
    resource = ctx.config.resources[0]
    skip = build_method(ctx, resource, resource.methods[0])
    assert not isinstance(skip, MethodParts)
    assert [r.message for r in skip.reasons] == [
        "schema class 'EchoCreateParams' has the name of the params class of 'create'"
    ]


def test_a_bad_nested_property_raises_with_all_problems() -> None:
    ctx, _ = inline_context()
    types = TypeContext()
    node = Node(
        {
            "type": "object",
            "properties": {
                "cfgScale": {"type": "number"},
                "cfg_scale": {"type": "string"},
                "n": {"type": "intger"},
            },
        },
        ("components", "schemas", "Echo"),
    )
    ctx.mapper.map(node, types, "Bad")
    with pytest.raises(SpecError) as caught:
        params_module(
            ctx.spec,
            ctx.mapper,
            "types/x.py",
            "X",
            [],
            None,
            types,
            ctx.config.resources[0].methods[0],
        )
    messages = sorted(d.message for d in caught.value.diagnostics)
    assert messages == [
        "properties 'cfgScale' and 'cfg_scale' of nested object 'Bad' both become 'cfg_scale' "
        "in Python",
        "unsupported schema type 'intger'",
    ]
