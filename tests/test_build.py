"""The build stage (generator/build.py, generator/merge.py): each method built on its own
into parts or a skip with located reasons; the merge reports what clashes between them."""

from __future__ import annotations

import pytest
from _inline import ECHO_CONFIG, ECHO_SPEC, inline_context
from sdkforge.build import Claim, MethodParts, MethodSkip, build_method
from sdkforge.diagnostics import Diagnostic, Location, Reporter, SpecError
from sdkforge.merge import build_resources, merge

QUERYSTRING = ECHO_SPEC.replace(
    "      summary: Repeat a message back.\n",
    "      summary: Repeat a message back.\n"
    "      parameters:\n"
    "        - {name: session, in: querystring, schema: {type: string}}\n",
)
TWO_PROBLEMS = QUERYSTRING.replace(
    "        - {name: session, in: querystring, schema: {type: string}}\n",
    "        - {name: session, in: querystring, schema: {type: string}}\n"
    "        - {name: id, in: query}\n",
)
TWO_METHODS = ECHO_CONFIG + "      again: post /echo/again\n"
SECOND_PATH = """\
  /echo/again:
    post:
      responses:
        '200':
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Echo'}
"""


def _only_method(spec: str = ECHO_SPEC, config: str = ECHO_CONFIG) -> MethodParts | MethodSkip:
    ctx, _ = inline_context(spec, config)
    resource = ctx.config.resources[0]
    return build_method(ctx, resource, resource.methods[0])


def test_a_method_comes_back_with_its_parts() -> None:
    parts = _only_method()
    assert isinstance(parts, MethodParts)
    assert parts.qualified == "echoes.create"
    assert [f.name for f in parts.method.fields] == ["message", "times"]
    assert parts.method.response.annotation == "Echo"
    assert parts.method.response.names == (("..types.echo", "Echo"),)
    assert parts.params.path == "types/echo_create_params.py"
    assert parts.params.exports == ("EchoCreateParams",)
    assert parts.claims == (
        Claim("types/echo.py", "Echo", ()),
        Claim(
            "types/echo_create_params.py",
            "EchoCreateParams",
            ("resources", "echoes", "methods", "create"),
        ),
    )
    assert [r.name for r in parts.responses] == ["Echo"]
    assert parts.events == ()
    assert parts.method.body_imports == ("from ..types.echo import Echo",)


def test_an_unsupported_method_is_a_skip_with_located_reasons() -> None:
    skip = _only_method(QUERYSTRING)
    assert isinstance(skip, MethodSkip)
    assert skip.qualified == "echoes.create"
    assert [(str(r.location), r.message) for r in skip.reasons] == [
        ("openapi.yaml:10:11", "querystring parameters are not supported yet")
    ]


def test_every_problem_of_a_method_is_among_its_reasons() -> None:
    skip = _only_method(TWO_PROBLEMS)
    assert isinstance(skip, MethodSkip)
    assert sorted(r.message for r in skip.reasons) == [
        "parameter 'id' has no schema",
        "querystring parameters are not supported yet",
    ]


def test_a_failing_method_leaves_nothing_in_the_next() -> None:
    spec = TWO_PROBLEMS.replace("paths:\n", "paths:\n" + SECOND_PATH, 1)
    ctx, _ = inline_context(spec, TWO_METHODS)
    resource = ctx.config.resources[0]
    alone = build_method(ctx, resource, resource.methods[1])
    first, second = (build_method(ctx, resource, m) for m in resource.methods)
    assert isinstance(first, MethodSkip)
    assert second == alone
    assert isinstance(second, MethodParts)


def test_the_merge_skips_or_reports_a_failed_method() -> None:
    ctx, reporter = inline_context(QUERYSTRING)
    built = build_resources(ctx)
    with pytest.raises(SpecError, match="querystring parameters"):
        merge(ctx, built, reporter, "openapi.yaml")
    # Skipping the only method leaves nothing to generate: that is an error of its own.
    with pytest.raises(SpecError, match="every configured method was skipped"):
        merge(ctx, built, Reporter(), "openapi.yaml", skip_unsupported=True)


def _response_named_like_the_params_module() -> str:
    """`/echo/again` answers with `Echo_create_params`, whose module is the one of the
    params of `/echo`'s method."""
    second = SECOND_PATH.replace("schemas/Echo'", "schemas/Echo_create_params'")
    spec = ECHO_SPEC.replace("paths:\n", "paths:\n" + second, 1)
    return spec + "    Echo_create_params:\n      properties: {n: {type: integer}}\n"


def test_a_schema_named_like_a_params_module_takes_a_number() -> None:
    # The params module's file is taken before any schema is named: the schema's class
    # (and its module) get the first free number instead of overwriting it.
    ctx, reporter = inline_context(_response_named_like_the_params_module(), TWO_METHODS)
    sdk = merge(ctx, build_resources(ctx), reporter, "openapi.yaml")
    assert [m.name for m in sdk.resources[0].methods] == ["create", "again"]
    assert sorted((s.name, s.module) for s in sdk.response_schemas) == [
        ("Echo", "echo"),
        ("EchoCreateParams2", "echo_create_params2"),
    ]


def test_two_resources_of_one_class_clash() -> None:
    config = (
        ECHO_CONFIG + "  Echoes:\n    singular: other\n    methods:\n      create: post /echo\n"
    )
    ctx, reporter = inline_context(ECHO_SPEC, config)
    with pytest.raises(SpecError) as caught:
        merge(ctx, build_resources(ctx), reporter, "openapi.yaml")
    messages = [d.message for d in caught.value.diagnostics]
    assert "resources 'echoes' and 'Echoes' would both define class Echoes" in messages


def test_merging_again_leaves_out_the_excluded_methods_only() -> None:
    spec = ECHO_SPEC.replace("paths:\n", "paths:\n" + SECOND_PATH, 1)
    ctx, reporter = inline_context(spec, TWO_METHODS)
    built = build_resources(ctx)
    full = merge(ctx, built, reporter, "openapi.yaml")
    assert [m.name for m in full.resources[0].methods] == ["create", "again"]
    reasons = (Diagnostic(Location("openapi.yaml", 30, 5), "its models fail"),)
    again = merge(ctx, built, Reporter(), "openapi.yaml", True, {"echoes.again": reasons})
    assert [m.name for m in again.resources[0].methods] == ["create"]
    assert [(s.method, s.reasons) for s in again.skipped] == [("echoes.again", reasons)]
    assert again.type_modules == tuple(
        m for m in full.type_modules if m.path == "types/echo_create_params.py"
    )
