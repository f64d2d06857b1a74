"""Wire names beside Python names, at generation time: the key maps of nested TypedDicts
(`wire_keys`) and the field aliases of response models (`model_field_names`)."""

from __future__ import annotations

import pytest
from _inline import ECHO_CONFIG, ECHO_SPEC, inline_context
from sdkforge.build import MethodParts, MethodSkip, build_method
from sdkforge.diagnostics import SpecError
from sdkforge.model_field_names import check_field_names, field_aliases
from sdkforge.naming import python_name
from sdkforge.resolve import Node

UNION_SPEC = ECHO_SPEC.replace(
    "                times: {type: integer}",
    """                times: {type: integer}
                source:
                  oneOf:
                    - {$ref: '#/components/schemas/Upload'}
                    - {$ref: '#/components/schemas/Link'}""",
).replace(
    "    Echo:\n",
    """    Upload:
      type: object
      properties:
        fileName: {type: string}
    Link:
      type: object
      properties:
        file_name: {type: string}
        linkTarget: {type: string}
    Echo:
""",
)
RESPONSE_SPEC = ECHO_SPEC.replace(
    "        message: {type: string}\n",
    """        message: {type: string}
        echoedAt: {type: integer}
        toJson: {type: string}
        parts:
          type: array
          items:
            type: object
            properties:
              partId: {type: string}
              part_id: {type: string}
""",
)


def _build(spec: str, config: str = ECHO_CONFIG) -> MethodParts | MethodSkip:
    ctx, reporter = inline_context(spec, config)
    assert not reporter.diagnostics
    resource = ctx.config.resources[0]
    return build_method(ctx, resource, resource.methods[0])


def test_a_union_whose_members_name_one_key_twice_is_located() -> None:
    skip = _build(UNION_SPEC)
    assert isinstance(skip, MethodSkip)
    (reason,) = skip.reasons
    assert reason.message == (
        "'file_name' is 'file_name' on the wire in 'Link' and 'fileName' in 'Upload', "
        "and a value may be either"
    )
    assert reason.location.line == UNION_SPEC.splitlines().index("    Upload:") + 1


def test_the_same_union_with_wire_names_needs_no_keys() -> None:
    parts = _build(UNION_SPEC, ECHO_CONFIG + "naming: wire\n")
    assert isinstance(parts, MethodParts)
    assert parts.params.key_maps == ()


def test_union_members_that_agree_are_sent_by_their_merged_keys() -> None:
    parts = _build(UNION_SPEC.replace("        file_name: {type: string}\n", ""))
    assert isinstance(parts, MethodParts)
    assert [m.name for m in parts.params.key_maps] == ["_Link_wire", "_Upload_wire"]
    (source,) = [f for f in parts.method.fields if f.name == "source"]
    assert source.value == "to_wire(source, _Link_wire.merged(_Upload_wire))"


def test_response_properties_that_clash_after_snake_casing_are_located() -> None:
    skip = _build(RESPONSE_SPEC)
    assert isinstance(skip, MethodSkip)
    (reason,) = skip.reasons
    assert reason.message == (
        "response properties 'partId' and 'part_id' both become the model field 'part_id'"
    )
    assert reason.hint == "rename one of them, or keep wire names with `naming: wire` in sdk.yaml"


def test_response_field_aliases_follow_the_params_names() -> None:
    ctx, _ = inline_context(RESPONSE_SPEC)
    echo = ctx.spec.deref(Node({"$ref": "#/components/schemas/Echo"}, ()))
    aliases = field_aliases(ctx.spec, [echo], "snake")
    assert aliases == {
        "echoedAt": "echoed_at",
        "partId": "part_id",
        "toJson": "to_json_",  # would hide the model's own method
        "to_dict": "to_dict_",
        "to_json": "to_json_",
    }
    assert all(python_name(wire) == name.rstrip("_") for wire, name in aliases.items())
    assert field_aliases(ctx.spec, [echo], "wire") == {
        "to_dict": "to_dict_",
        "to_json": "to_json_",
    }
    check_field_names(ctx.spec, [echo], "wire")  # no clash when names are kept
    with pytest.raises(SpecError, match="both become the model field 'part_id'"):
        check_field_names(ctx.spec, [echo], "snake")
