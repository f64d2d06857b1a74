"""The response side of the build: what a method returns for each kind of success response,
and the class names of the response models (`model_names`, the numbering rule)."""

from __future__ import annotations

import pytest
from _inline import ECHO_CONFIG, ECHO_SPEC, inline_context
from sdkforge.build import MethodParts, build_method
from sdkforge.load import parse_yaml
from sdkforge.model_names import model_names
from sdkforge.resolve import Spec
from sdkforge.response_shape import json_shape, method_response

SCHEMAS = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Image: {type: object, properties: {url: {type: string}}}
    image_list: {type: array, items: {$ref: '#/components/schemas/Image'}}
    Echoes: {type: object, properties: {n: {type: integer}}}
    Omit: {type: object, properties: {n: {type: integer}}}
    Foo.Bar: {type: object, properties: {n: {type: integer}}}
    FooBar: {type: object, properties: {n: {type: integer}}}
    2fa: {type: object, properties: {n: {type: integer}}}
    my-schema: {type: object, properties: {n: {type: integer}}}
    echo_create_params: {type: object, properties: {n: {type: integer}}}
    I: {type: object, properties: {n: {type: integer}}}
"""


def _spec(text: str = SCHEMAS) -> Spec:
    return Spec(parse_yaml(text, "openapi.yaml"))


def test_class_names_and_the_numbering_rule() -> None:
    ctx, _ = inline_context(SCHEMAS, ECHO_CONFIG)
    names = dict(ctx.names.components)
    assert names["Image"] == "Image"
    assert names["image_list"] == "ImageList"
    # Taken by the resource `echoes` (its class) and by a runtime name: numbered.
    assert names["Echoes"] == "Echoes2" and names["Omit"] == "Omit2"
    # A class name already is one keeps it; the converted one yields.
    assert names["FooBar"] == "FooBar" and names["Foo.Bar"] == "FooBar2"
    assert names["2fa"] == "Schema2fa" and names["my-schema"] == "MySchema"
    # The params module of echoes.create is types/echo_create_params.py.
    assert names["echo_create_params"] == "EchoCreateParams2"
    assert ctx.names.inline("Image") == "Image2"
    # A name ruff refuses as a class (E742, ambiguous) is numbered as well.
    assert names["I"] == "I2"
    assert ctx.names.inline("EchoCreateResponse") == "EchoCreateResponse"


def test_names_do_not_depend_on_what_is_configured() -> None:
    one = model_names(_spec(), ())
    assert one.component("Echoes") == "Echoes"  # no resource `echoes`: nothing clashes
    assert one == model_names(_spec(), ())


@pytest.mark.parametrize(
    ("schema", "annotation", "check"),
    [
        ("{$ref: '#/components/schemas/Image'}", "Image", "Image"),
        ("{$ref: '#/components/schemas/image_list'}", "List[Image]", "list"),
        ("{type: array, items: {type: string}}", "List[str]", "list"),
        ("{type: array, items: {type: array, items: {type: integer}}}", "List[List[int]]", "list"),
        ("{type: object, additionalProperties: {type: number}}", "Dict[str, float]", "dict"),
        ("{type: object}", "Dict[str, object]", "dict"),
        ("{type: string, enum: [a, b]}", "str", "str"),
        ("{type: [integer, 'null']}", "int | None", "(int, type(None))"),
        (
            "{anyOf: [{$ref: '#/components/schemas/Image'}, {type: 'null'}]}",
            "Image | None",
            "(Image, type(None))",
        ),
        ("{oneOf: [{type: string}, {type: boolean}]}", "str | bool", "object"),
        ("{}", "object", "object"),
        ("{type: object, properties: {a: {type: string}}}", "XResponse", "XResponse"),
        (
            "{type: array, items: {type: object, properties: {a: {type: string}}}}",
            "List[XResponseItem]",
            "list",
        ),
    ],
)
def test_json_shapes(schema: str, annotation: str, check: str) -> None:
    spec = _spec(SCHEMAS.replace("paths: {}", f"paths: {{}}\nx-schema: {schema}"))
    node = spec.root.get("x-schema")
    assert node is not None
    shaped = json_shape(spec, model_names(spec, ()), node, "XResponse")
    assert (shaped.type.annotation, shaped.type.check) == (annotation, check)
    inline = [m.name for m in shaped.models if m.schema_path[0] == "x-schema"]
    assert inline == (
        [annotation.removeprefix("List[").rstrip("]")] if "XResponse" in annotation else []
    )


RESPONSES = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
x-responses:
  none: {description: Nothing.}
  binary: {content: {image/png: {schema: {type: string, format: binary}}, image/webp: {}}}
  text: {content: {text/csv: {schema: {type: string}}}}
  both: {content: {application/json: {schema: {type: integer}}, application/zip: {}}}
  any_json: {content: {application/problem+json: {}}}
  xml: {content: {application/xml: {}}}
  only_events: {content: {text/event-stream: {schema: {type: string}}}}
  wildcard_json: {content: {'*/*': {schema: {type: array, items: {type: integer}}}}}
  wildcard_text: {content: {'*/*': {schema: {type: string}}}}
  sdp: {content: {application/sdp: {schema: {type: string}}, image/png: {}}}
  events_or_bytes: {content: {audio/mpeg: {}, text/event-stream: {schema: {type: string}}}}
"""


@pytest.mark.parametrize(
    ("key", "binary", "kind", "annotation", "accept"),
    [
        ("none", False, "none", "None", ""),
        ("binary", False, "binary", "BinaryResponse", "image/png, image/webp"),
        ("text", False, "text", "str", "text/csv"),
        ("both", False, "json", "int", ""),
        ("both", True, "binary", "BinaryResponse", "application/zip"),
        ("any_json", False, "json", "object", ""),
        ("wildcard_json", False, "json", "List[int]", ""),
        # `*/*` of a string: nothing says it is text, so it is bytes.
        ("wildcard_text", False, "binary", "BinaryResponse", "*/*"),
        # A media type of no known kind is bytes; the known binary types come first.
        ("xml", False, "binary", "BinaryResponse", "application/xml"),
        ("sdp", False, "binary", "BinaryResponse", "image/png, application/sdp"),
        ("only_events", False, "stream", "object", "text/event-stream"),
        # An event stream beside another form, without a `stream` field: the other form.
        ("events_or_bytes", False, "binary", "BinaryResponse", "audio/mpeg"),
    ],
)
def test_method_responses(key: str, binary: bool, kind: str, annotation: str, accept: str) -> None:
    spec = _spec(RESPONSES)
    responses = spec.root.get("x-responses")
    assert responses is not None
    shaped = method_response(spec, model_names(spec, ()), responses.get(key), "X", binary)
    assert (shaped.type.kind, shaped.type.annotation, shaped.type.accept) == (
        kind,
        annotation,
        accept,
    )


def test_binary_responses_must_name_a_binary_operation() -> None:
    ctx, reporter = inline_context(config=ECHO_CONFIG + "binary_responses: [echoes.create]\n")
    assert not reporter.diagnostics
    resource = ctx.config.resources[0]
    result = build_method(ctx, resource, resource.methods[0])
    assert not isinstance(result, MethodParts)
    assert "offers no binary response" in result.reasons[0].message


def test_binary_responses_names_configured_methods_only() -> None:
    _, reporter = inline_context(config=ECHO_CONFIG + "binary_responses: [echoes.craete]\n")
    (problem,) = reporter.diagnostics
    assert problem.message == "'echoes.craete' is not a configured method"
    assert problem.hint == "did you mean 'echoes.create'?"


def test_an_event_stream_only_answer_needs_a_schema() -> None:
    spec = ECHO_SPEC.replace(
        "            application/json:\n              schema: {$ref: '#/components/schemas/Echo'}",
        "            text/event-stream: {}",
    )
    assert spec != ECHO_SPEC
    ctx, _ = inline_context(spec)
    resource = ctx.config.resources[0]
    result = build_method(ctx, resource, resource.methods[0])
    assert not isinstance(result, MethodParts)
    (reason,) = result.reasons
    assert reason.message == "the event stream has no schema" and reason.location.line > 1
