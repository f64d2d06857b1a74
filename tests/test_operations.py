"""Reading one operation (generator/operations.py): parameters, body and responses, each
checked on its own, every problem raised together."""

from __future__ import annotations

import pytest
from _inline import ECHO_SPEC, inline_context
from sdkforge.diagnostics import SpecError
from sdkforge.operations import Operation, read_operation

PARAMETERS = ECHO_SPEC.replace(
    "  /echo:\n    post:\n",
    "  /echo:\n"
    "    parameters:\n"
    "      - {name: X-Trace, in: header, schema: {type: string}}\n"
    "      - {name: lang, in: query, schema: {type: string}}\n"
    "    post:\n"
    "      parameters:\n"
    "        - {name: x-trace, in: header, required: true, schema: {type: integer}}\n"
    "        - {name: Accept, in: header, schema: {type: string}}\n",
)


def _read(spec: str, method: str = "post /echo") -> Operation:
    config = f"""\
package: echosdk
client: {{sync: EchoClient, async: AsyncEchoClient, api_key_env: ECHO_API_KEY}}
resources:
  echoes:
    methods:
      create: {method}
"""
    ctx, _ = inline_context(spec, config)
    return read_operation(ctx.spec, ctx.config.document, ctx.config.resources[0].methods[0])


def test_the_operation_holds_its_body_response_and_parameters() -> None:
    op = _read(PARAMETERS)
    assert op.body_kind == "json"
    assert op.body_schema is not None and "properties" in op.body_schema.value
    assert op.response_schema.value == {"$ref": "#/components/schemas/Echo"}
    assert op.event_schema is None
    # The operation's `x-trace` overrides the path item's `X-Trace` (header names are
    # case-insensitive); `Accept` is the client's to set.
    assert [(p.value["name"], p.value["in"]) for p in op.parameters] == [
        ("x-trace", "header"),
        ("lang", "query"),
    ]


def _both(multipart_properties: str) -> str:
    """ECHO_SPEC with its body offered as multipart too."""
    return ECHO_SPEC.replace(
        "          application/json:\n            schema:\n              type: object\n",
        "          multipart/form-data:\n"
        f"            schema: {{type: object, properties: {multipart_properties}}}\n"
        "          application/json:\n            schema:\n              type: object\n",
        1,
    )


def test_multipart_wins_over_json_when_it_carries_files() -> None:
    assert _read(_both("{}")).body_kind == "json"
    assert _read(_both("{tags: {type: array, items: {type: string}}}")).body_kind == "json"
    files = "{image: {anyOf: [{type: string, format: binary}, {type: array, items: {}}]}}"
    assert _read(_both(files)).body_kind == "multipart"


def test_multipart_wins_over_json_when_the_config_says_so() -> None:
    ctx, _ = inline_context(
        _both("{}"),
        """\
package: echosdk
client: {sync: EchoClient, async: AsyncEchoClient, api_key_env: ECHO_API_KEY}
resources:
  echoes:
    methods:
      create: post /echo
""",
    )
    method = ctx.config.resources[0].methods[0]
    assert read_operation(ctx.spec, ctx.config.document, method, True).body_kind == "multipart"


def test_an_unknown_path_is_a_config_error_with_a_suggestion() -> None:
    with pytest.raises(SpecError) as caught:
        _read(ECHO_SPEC, "post /ecko")
    [problem] = caught.value.diagnostics
    assert str(problem) == (
        "sdk.yaml:6:7: error: the spec has no path '/ecko' (did you mean '/echo'?)"
    )


def test_problems_of_parameters_body_and_responses_come_together() -> None:
    spec = PARAMETERS.replace("in: query", "in: querystring").replace(
        "          application/json:\n            schema:\n              type: object\n",
        "          application/xml:\n            schema:\n              type: object\n",
        1,
    )
    spec = spec.replace("'200':", "'404':")
    with pytest.raises(SpecError) as caught:
        _read(spec)
    assert [d.message for d in caught.value.diagnostics] == [
        "querystring parameters are not supported yet",
        "unsupported request content type(s): application/xml",
        "no 2xx response",
    ]
