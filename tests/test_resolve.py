"""Stage 2, resolve: `$ref` chains, JSON-pointer escapes, and located errors for bad refs."""

from __future__ import annotations

import pytest
from sdkforge.diagnostics import Reporter, SpecError
from sdkforge.load import parse_yaml
from sdkforge.resolve import Node, Spec, check_openapi_root

SPEC = """\
openapi: 3.1.0
paths: {}
components:
  schemas:
    Start:
      $ref: '#/components/schemas/Middle'
    Middle:
      $ref: '#/components/schemas/End'
    End:
      type: string
      description: the end of the chain
    Ping:
      $ref: '#/components/schemas/Pong'
    Pong:
      $ref: '#/components/schemas/Ping'
    Self:
      $ref: '#/components/schemas/Self'
    Dangling:
      $ref: '#/components/schemas/Missing'
    DeepDangling:
      $ref: '#/components/schemas/End/properties/x'
    Remote:
      $ref: 'other.yaml#/components/schemas/X'
    NotText:
      $ref: 7
    a/b:
      type: integer
    a~b:
      type: boolean
    ~1:
      type: number
    ViaSlash:
      $ref: '#/components/schemas/a~1b'
    ViaTilde:
      $ref: '#/components/schemas/a~0b'
    ViaTildeOne:
      $ref: '#/components/schemas/~01'
    ViaPercent:
      $ref: '#/components/schemas/a%2Fb'
    Choice:
      anyOf: [{type: string}, {type: integer}]
    ViaIndex:
      $ref: '#/components/schemas/Choice/anyOf/1'
"""


def _spec() -> Spec:
    return Spec(parse_yaml(SPEC, "spec.yaml"))


def _schema(spec: Spec, name: str) -> Node:
    node = spec.root.get("components")
    node = node.get("schemas") if node else None
    found = node.get(name) if node else None
    assert found is not None, name
    return found


def _deref_error(name: str) -> str:
    spec = _spec()
    with pytest.raises(SpecError) as error:
        spec.deref(_schema(spec, name))
    assert len(error.value.diagnostics) == 1
    return str(error.value.diagnostics[0])


def test_node_is_returned_as_is_when_not_a_reference() -> None:
    spec = _spec()
    end = _schema(spec, "End")
    assert spec.deref(end) == end


def test_chain_of_references_is_followed_to_the_end() -> None:
    spec = _spec()
    target = spec.deref(_schema(spec, "Start"))
    assert target.path == ("components", "schemas", "End")
    assert target.value["description"] == "the end of the chain"


@pytest.mark.parametrize(
    ("name", "target_key", "type_"),
    [
        ("ViaSlash", "a/b", "integer"),
        ("ViaTilde", "a~b", "boolean"),
        ("ViaTildeOne", "~1", "number"),  # '~01' is '~' then '1', not '/'
        ("ViaPercent", "a/b", "integer"),
    ],
)
def test_pointer_escapes(name: str, target_key: str, type_: str) -> None:
    spec = _spec()
    node = _schema(spec, name)
    target = spec.deref(node)
    assert target.path == ("components", "schemas", target_key)
    assert target.value == {"type": type_}
    assert spec.ref_name(node) == target_key


def test_pointer_into_a_list() -> None:
    spec = _spec()
    target = spec.deref(_schema(spec, "ViaIndex"))
    assert target.path == ("components", "schemas", "Choice", "anyOf", 1)
    assert target.value == {"type": "integer"}


def test_ref_name_is_the_last_segment() -> None:
    spec = _spec()
    assert spec.ref_name(_schema(spec, "Start")) == "Middle"
    assert spec.ref_name(_schema(spec, "End")) is None


def test_ref_pointing_nowhere_is_located_at_the_ref() -> None:
    assert _deref_error("Dangling") == (
        "spec.yaml:19:7: error: $ref '#/components/schemas/Missing' points nowhere: "
        "no 'Missing' in #/components/schemas (fix the reference or add the missing schema)"
    )


def test_ref_pointing_below_a_leaf_names_the_missing_part() -> None:
    message = _deref_error("DeepDangling")
    assert message.startswith("spec.yaml:21:7: error: $ref '#/components/schemas/End/properties/x'")
    assert "no 'properties' in #/components/schemas/End" in message


@pytest.mark.parametrize(
    ("name", "line"),
    [("Ping", 12), ("Self", 16)],
)
def test_circular_reference_is_an_error(name: str, line: int) -> None:
    message = _deref_error(name)
    assert message.startswith(
        f"spec.yaml:{line}:5: error: circular $ref: #/components/schemas/{name} -> "
    )
    assert message.count(f"#/components/schemas/{name}") == 2  # the chain closes on itself


@pytest.mark.parametrize(("name", "line"), [("Remote", 23), ("NotText", 25)])
def test_reference_outside_the_document_is_unsupported(name: str, line: int) -> None:
    message = _deref_error(name)
    assert message.startswith(f"spec.yaml:{line}:7: error: unsupported $ref")


def _root_errors(text: str) -> list[str]:
    reporter = Reporter()
    try:
        check_openapi_root(Spec(parse_yaml(text, "spec.yaml")), reporter)
    except SpecError as error:
        return [str(d) for d in error.diagnostics]
    return []


def test_openapi_root_accepts_3x() -> None:
    assert _root_errors("openapi: 3.0.3\npaths: {}\n") == []
    assert _root_errors("openapi: 3.1.0\npaths: {}\n") == []


def test_openapi_root_rejects_swagger_2_and_missing_paths() -> None:
    errors = _root_errors("swagger: '2.0'\ninfo: {title: x}\n")
    assert any("not an OpenAPI 3.x document" in e for e in errors)
    assert any("the document has no 'paths' mapping" in e for e in errors)


def test_openapi_root_must_be_a_mapping() -> None:
    assert any("must be a mapping" in e for e in _root_errors("- openapi\n- 3.1.0\n"))
