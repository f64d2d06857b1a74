"""Type mapping: one test per rule of TARGET.md's "Params TypedDicts" section, plus the
schemas the mapper must refuse (with the place of the offending keyword)."""

from __future__ import annotations

import ast
import textwrap

import pytest
from sdkforge.build import context
from sdkforge.config import read_config
from sdkforge.diagnostics import Reporter, SpecError
from sdkforge.load import parse_yaml
from sdkforge.merge import build_resources, merge
from sdkforge.naming import safe_module_name
from sdkforge.resolve import Node, Spec
from sdkforge.typemap import PyType, TypeContext, TypeMapper

COMPONENTS = """\
    ImageModel:
      type: string
      enum: [model-a, model-b]
    PartialImages:
      type: integer
      nullable: true
      description: how many partial images
    Point:
      type: object
      required: [x]
      properties:
        x: {type: integer}
        y: {type: integer}
"""


def _spec(schema: str) -> Spec:
    body = textwrap.dedent(schema).rstrip("\n") + "\n"
    text = (
        "openapi: 3.1.0\npaths: {}\ncomponents:\n  schemas:\n    Subject:\n"
        + textwrap.indent(body, "      ")
        + COMPONENTS
    )
    return Spec(parse_yaml(text, "spec.yaml"))


def _subject(spec: Spec) -> Node:
    return Node(
        spec.root.value["components"]["schemas"]["Subject"], ("components", "schemas", "Subject")
    )


def _map(
    schema: str, aliases: frozenset[str] = frozenset({"ImageModel"})
) -> tuple[PyType, TypeContext]:
    spec = _spec(schema)
    ctx = TypeContext()
    mapped = TypeMapper(spec, aliases, safe_module_name).map(_subject(spec), ctx, "Thing_field")
    return mapped, ctx


def _render(schema: str) -> str:
    return _map(schema)[0].render()


def _error(schema: str) -> str:
    with pytest.raises(SpecError) as error:
        _map(schema)
    assert len(error.value.diagnostics) == 1
    return str(error.value.diagnostics[0])


@pytest.mark.parametrize(
    ("schema", "annotation"),
    [
        ("type: string", "str"),
        ("type: integer", "int"),
        ("type: number", "float"),
        ("type: boolean", "bool"),
        ("{}", "object"),
    ],
)
def test_scalars(schema: str, annotation: str) -> None:
    assert _render(schema) == annotation


@pytest.mark.parametrize(
    "schema",
    [
        "type: string\nnullable: true",  # OpenAPI 3.0 style, used by most of the real spec
        "anyOf:\n  - type: string\n  - type: 'null'",  # 3.1 style
        "type: [string, 'null']",  # 3.1 type list
        "oneOf:\n  - type: string\n  - type: 'null'",
    ],
)
def test_every_nullable_style_is_optional(schema: str) -> None:
    mapped, ctx = _map(schema)
    assert mapped.render() == "Optional[str]"
    assert ("typing", "Optional") in ctx.imports


def test_field_that_may_be_absent_but_not_null_is_plain() -> None:
    assert _render("type: string\nnullable: false") == "str"


def test_enum_is_a_literal() -> None:
    mapped, ctx = _map("type: string\nenum: [url, b64_json]")
    assert mapped.render() == "Literal['url', 'b64_json']"
    assert ("typing_extensions", "Literal") in ctx.imports


def test_nullable_enum() -> None:
    assert _render("type: string\nenum: [low, high]\nnullable: true") == (
        "Optional[Literal['low', 'high']]"
    )
    # null listed among the values means nullable as well
    assert _render("enum: [low, high, null]") == "Optional[Literal['low', 'high']]"


def test_integer_and_boolean_enums() -> None:
    assert _render("type: integer\nenum: [1, 2, 3]") == "Literal[1, 2, 3]"
    assert _render("const: true") == "Literal[True]"


def test_const_is_a_single_value_literal() -> None:
    assert _render("type: string\nconst: image_generation.completed") == (
        "Literal['image_generation.completed']"
    )


def test_enum_values_are_escaped_literals() -> None:
    values = ['say "hi"', "back\\slash", "it's", "{{ x }}"]
    schema = "type: string\nenum:\n" + "".join(
        "  - " + value.replace("\\", "\\\\").replace('"', '\\"').join('""') + "\n"
        for value in values
    )
    rendered = _render(schema)
    literal = ast.parse(rendered, mode="eval").body
    assert isinstance(literal, ast.Subscript)
    assert [ast.literal_eval(e) for e in literal.slice.elts] == values  # type: ignore[attr-defined]


def test_open_enum() -> None:
    schema = """\
        anyOf:
          - type: string
          - type: string
            enum: [auto, 1024x1024]
        """
    assert _render(schema) == "Union[str, Literal['auto', '1024x1024']]"


def test_nullable_open_enum() -> None:
    schema = """\
        anyOf:
          - type: string
          - type: string
            enum: [auto, 1024x1024]
        nullable: true
        """
    mapped, ctx = _map(schema)
    assert mapped.render() == "Union[str, Literal['auto', '1024x1024'], None]"
    assert ("typing", "Union") in ctx.imports


def test_ref_to_a_configured_alias_uses_its_name() -> None:
    schema = """\
        anyOf:
          - type: string
          - $ref: '#/components/schemas/ImageModel'
        nullable: true
        """
    mapped, ctx = _map(schema)
    assert mapped.render() == "Union[str, ImageModel, None]"
    assert (".image_model", "ImageModel") in ctx.imports
    assert ctx.alias_refs["ImageModel"].path == ("components", "schemas", "ImageModel")


def test_ref_to_a_schema_that_is_not_an_alias_is_inlined() -> None:
    mapped, ctx = _map("$ref: '#/components/schemas/ImageModel'", aliases=frozenset())
    assert mapped.render() == "Literal['model-a', 'model-b']"
    assert ctx.alias_refs == {}


def test_all_of_a_ref_and_a_part_that_only_annotates_is_the_ref() -> None:
    # `allOf: [{$ref: X}, {nullable: true}]` says "X, or null", not "an object".
    schema = "allOf:\n  - $ref: '#/components/schemas/ImageModel'\n  - nullable: true"
    assert _render(schema) == "Optional[ImageModel]"
    described = "allOf:\n  - $ref: '#/components/schemas/ImageModel'\n  - description: Which."
    assert _render(described) == "ImageModel"


def test_ref_to_a_nullable_integer() -> None:
    assert _render("$ref: '#/components/schemas/PartialImages'") == "Optional[int]"


def test_binary_string_is_a_file() -> None:
    for schema in (
        "type: string\nformat: binary",
        "type: string\ncontentMediaType: image/png",
        "type: string\ncontentEncoding: binary",
    ):
        mapped, ctx = _map(schema)
        assert (mapped.render(), mapped.is_file) == ("FileTypes", True)
        assert (".._types", "FileTypes") in ctx.imports


def test_one_file_or_several() -> None:
    schema = """\
        anyOf:
          - type: string
            format: binary
          - type: array
            items:
              type: string
              format: binary
        """
    mapped, ctx = _map(schema)
    assert mapped.render() == "Union[FileTypes, SequenceNotStr[FileTypes]]"
    assert mapped.is_file
    assert {(".._types", "FileTypes"), (".._types", "SequenceNotStr")} <= ctx.imports


def test_text_is_not_a_file() -> None:
    assert not _map("type: string")[0].is_file
    assert not _map("anyOf: [{type: string, format: binary}, {type: string}]")[0].is_file


def test_arrays() -> None:
    assert _render("type: array\nitems: {type: string}") == "SequenceNotStr[str]"
    assert _render("type: array\nitems: {type: integer, nullable: true}") == (
        "SequenceNotStr[Optional[int]]"
    )
    assert _render("items: {type: string}") == "SequenceNotStr[str]"  # type left implicit


def test_type_lists_become_unions() -> None:
    assert _render("type: [string, integer]") == "Union[str, int]"
    assert _render("type: [string, integer, 'null']") == "Union[str, int, None]"


def test_nested_object_becomes_a_class_of_the_module() -> None:
    schema = """\
        type: object
        properties:
          colour: {type: string}
        """
    mapped, ctx = _map(schema)
    assert mapped.render() == "ThingField"
    assert list(ctx.classes) == ["ThingField"]


def test_ref_to_an_object_takes_the_schema_name() -> None:
    mapped, ctx = _map("$ref: '#/components/schemas/Point'")
    assert mapped.render() == "Point"
    assert ctx.classes["Point"][1].path == ("components", "schemas", "Point")


def test_maps() -> None:
    assert _render("type: object\nadditionalProperties: {type: integer}") == "Dict[str, int]"
    assert _render("type: object") == "Dict[str, object]"


def test_single_allof_is_its_member() -> None:
    assert _render("allOf:\n  - $ref: '#/components/schemas/PartialImages'") == "Optional[int]"


@pytest.mark.parametrize(
    ("schema", "line", "column", "message"),
    [
        ("not: {type: string}", 6, 7, "unsupported schema keyword 'not'"),
        (
            "type: string\nif: {minLength: 1}\nthen: {maxLength: 2}",
            7,
            7,
            "unsupported schema keyword 'if'",
        ),
        (
            "type: object\npatternProperties: {'^x': {type: string}}",
            7,
            7,
            "unsupported schema keyword 'patternProperties'",
        ),
        (
            "type: array\nprefixItems: [{type: string}]",
            7,
            7,
            "unsupported schema keyword 'prefixItems'",
        ),
        ("type: file", 6, 7, "unsupported schema type 'file'"),
        ("type: string\nenum: []", 7, 7, "'enum' must be a non-empty list"),
        ("type: number\nenum: [0.5, 1.5]", 7, 7, "cannot be a Literal"),
        # reported at the part that is not an object
        ("allOf: [{type: string}, {maxLength: 3}]", 6, 15, "allOf of schemas that are not all"),
        ("anyOf: []", 6, 7, "'anyOf' must be a non-empty list"),
    ],
)
def test_unsupported_schemas_are_located_errors(
    schema: str, line: int, column: int, message: str
) -> None:
    error = _error(schema)
    assert error.startswith(f"spec.yaml:{line}:{column}: error: ")
    assert message in error


def test_unsupported_keyword_deep_inside_is_located_there() -> None:
    schema = """\
        type: array
        items:
          anyOf:
            - type: string
            - not: {type: integer}
        """
    assert _error(schema).startswith("spec.yaml:10:13: error: unsupported schema keyword 'not'")


def test_union_that_contains_itself_is_refused_at_the_inner_ref() -> None:
    schema = """\
        anyOf:
          - type: string
          - $ref: '#/components/schemas/Subject'
        """
    assert _error(schema).startswith(
        "spec.yaml:8:11: error: circular $ref to 'Subject' cannot be represented as a type"
    )


# -- Required[...] is decided by the builder, from the body schema's `required` list ----------

_BODY_SPEC = """\
openapi: 3.1.0
servers: [{url: 'https://x.test'}]
paths:
  /things:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ThingRequest'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    ThingRequest:
      type: object
      required: [name, size]
      properties:
        size: {type: integer, nullable: true}
        name: {type: string}
        colour: {type: string}
        amount: {type: integer, nullable: true}
    Thing:
      type: object
      properties:
        id: {type: string}
"""

_BODY_CONFIG = """\
package: things
client: {sync: ThingsClient, async: AsyncThingsClient, api_key_env: THINGS_KEY}
resources:
  things:
    methods:
      create: post /things
"""


def _build(spec_text: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """(class name, ((field, annotation), ...)) for each class of the one params module."""
    reporter = Reporter()
    config = read_config(parse_yaml(_BODY_CONFIG, "sdk.yaml"), reporter)
    ctx = context(Spec(parse_yaml(spec_text, "spec.yaml")), config)
    sdk = merge(ctx, build_resources(ctx), reporter, "spec.yaml")
    (module,) = sdk.type_modules
    return [(c.name, tuple((f.name, f.annotation) for f in c.fields)) for c in module.classes]


def test_required_fields_first_then_optional_alphabetically() -> None:
    (params,) = _build(_BODY_SPEC)
    assert params == (
        "ThingCreateParams",
        (
            ("name", "Required[str]"),
            ("size", "Required[Optional[int]]"),
            ("amount", "Optional[int]"),
            ("colour", "str"),
        ),
    )


def _with_body_properties(properties: str, extra_schemas: str = "") -> str:
    start = _BODY_SPEC.index("      required: [name, size]")
    end = _BODY_SPEC.index("    Thing:\n")
    body = "      properties:\n" + textwrap.indent(textwrap.dedent(properties), "        ")
    schemas = textwrap.indent(textwrap.dedent(extra_schemas), "    ")
    return _BODY_SPEC[:start] + body + schemas + _BODY_SPEC[end:]


def test_nested_class_fields_are_mapped_too() -> None:
    classes = dict(
        _build(
            _with_body_properties("""\
        box:
          type: object
          required: [side]
          properties:
            side: {type: number}
            label: {type: string, nullable: true}
        """)
        )
    )
    assert classes["ThingCreateParams"] == (("box", "ThingCreateBox"),)
    assert classes["ThingCreateBox"] == (("side", "Required[float]"), ("label", "Optional[str]"))


def test_self_referencing_object_through_optional_fields() -> None:
    classes = dict(
        _build(
            _with_body_properties(
                "tree: {$ref: '#/components/schemas/Tree'}\n",
                """\
            Tree:
              type: object
              properties:
                parent:
                  anyOf: [{$ref: '#/components/schemas/Tree'}, {type: 'null'}]
                children:
                  type: array
                  items: {$ref: '#/components/schemas/Tree'}
        """,
            )
        )
    )
    assert classes["Tree"] == (("children", "SequenceNotStr[Tree]"), ("parent", "Optional[Tree]"))


def test_unsupported_keyword_in_a_nested_class_is_located_there() -> None:
    spec = _with_body_properties("""\
        box:
          type: object
          properties:
            side: {not: {type: string}}
        """)
    with pytest.raises(SpecError) as error:
        _build(spec)
    line = spec.splitlines().index("            side: {not: {type: string}}") + 1
    assert [str(d).split(" (")[0] for d in error.value.diagnostics] == [
        f"spec.yaml:{line}:20: error: unsupported schema keyword 'not'"
    ]
