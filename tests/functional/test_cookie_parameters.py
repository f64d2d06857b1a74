"""Cookie parameters (`in: cookie`): keyword arguments sent in the Cookie header, escaped as
RFC 6265 allows, after the cookie an apiKey scheme sends."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import anyio
import pytest
from sdkforge.diagnostics import SpecError

from .generated_tests import assert_generated_tests_pass
from .helpers import Wire, generated_package
from .typecheck import assert_clean

SPEC = """
openapi: 3.0.3
info: {title: Studio API, version: "1.0"}
servers:
  - url: https://studio.example/v1
security:
  - Session: []
components:
  securitySchemes:
    Session: {type: apiKey, in: cookie, name: studio_session}
  parameters:
    Region:
      name: region
      in: cookie
      required: true
      description: Where the render runs.
      schema: {type: string}
  schemas:
    Render:
      type: object
      required: [id]
      properties:
        id: {type: string, description: The render's id.}
paths:
  /renders/{render_id}:
    parameters:
      - {name: render_id, in: path, required: true, schema: {type: string}}
      - $ref: "#/components/parameters/Region"
    get:
      summary: Read a render.
      parameters:
        - name: theme
          in: cookie
          description: The preview's colours.
          schema: {type: string, enum: [light, dark]}
        - {name: beta, in: cookie, description: Beta features., schema: {type: boolean}}
        - {name: tags, in: cookie, description: Labels., schema: {type: array, items: {type: string}}}
        - {name: X-Trace, in: header, description: A trace id., schema: {type: string}}
      responses:
        "200":
          description: The render.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Render"}
  /public/renders/{render_id}:
    get:
      summary: Read a render shown to everyone.
      security: []
      parameters:
        - {name: render_id, in: path, required: true, schema: {type: string}}
        - {name: locale, in: cookie, required: true, schema: {type: string}}
      responses:
        "200":
          description: The render.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Render"}
"""
CONFIG = """
package: {package}
client:
  sync: StudioClient
  async: AsyncStudioClient
  api_key_env: STUDIO_KEY
resources:
  renders:
    methods:
      retrieve: get /renders/{render_id}
      retrieve_public: get /public/renders/{render_id}
"""


def _cookies(wire: Wire) -> list[str]:
    """The request's cookies: the auth scheme's first, then the parameters' in name order."""
    first, *rest = wire.request.headers["cookie"].split("; ")
    return [first, *sorted(rest)] if first.startswith("studio_session=") else sorted([first, *rest])


class TestCookieParameters:
    SPEC, CONFIG = SPEC, CONFIG

    def test_after_the_auth_cookie_in_one_header(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "r1"})
        with wire.sync_client(sdk.StudioClient, api_key="key-1") as client:
            render = client.renders.retrieve(
                render_id="r1", region="eu-west", theme="dark", beta=True, tags=["a", "b"]
            )
        assert render.id == "r1"
        assert wire.request.headers.get_list("cookie") == [wire.request.headers["cookie"]]
        assert _cookies(wire) == [
            "studio_session=key-1",
            "beta=true",
            "region=eu-west",
            "tags=a,b",
            "theme=dark",
        ]
        assert wire.request.url.path == "/v1/renders/r1"
        assert not wire.request.url.query

    def test_omitted_ones_are_not_sent(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "r1"})
        with wire.sync_client(sdk.StudioClient) as client:
            client.renders.retrieve(render_id="r1", region="us")
        assert _cookies(wire) == ["studio_session=k", "region=us"]

    def test_values_are_escaped_so_that_none_ends_its_cookie(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "r1"})
        with wire.sync_client(sdk.StudioClient) as client:
            client.renders.retrieve(render_id="r1", region='a; b="c",d\\é%', tags=["x,y"])
        assert _cookies(wire) == [
            "studio_session=k",
            "region=a%3B%20b=%22c%22%2Cd%5C%C3%A9%25",
            "tags=x%2Cy",
        ]

    def test_without_auth_only_the_parameters(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "r1"})
        with wire.sync_client(sdk.StudioClient) as client:
            client.renders.retrieve_public(render_id="r1", locale="fr")
        assert _cookies(wire) == ["locale=fr"]

    def test_default_headers_cookie_comes_first_and_extra_headers_replace(
        self, sdk: ModuleType
    ) -> None:
        wire = Wire.json({"id": "r1"})
        with wire.sync_client(sdk.StudioClient, default_headers={"Cookie": "ab=1"}) as client:
            client.renders.retrieve_public(render_id="r1", locale="fr")
            client.renders.retrieve_public(
                render_id="r1", locale="fr", extra_headers={"Cookie": "mine=2"}
            )
        assert [r.headers["cookie"] for r in wire.requests] == ["ab=1; locale=fr", "mine=2"]

    def test_the_package_passes_ruff_and_mypy_strict(self, sdk: ModuleType) -> None:
        assert_clean(sdk)

    def test_its_generated_tests_pass_against_steady(self, sdk: ModuleType) -> None:
        # Their auth checks look at the auth scheme's cookie only.
        assert_generated_tests_pass(sdk)

    def test_async(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "r1"})

        async def main() -> None:
            async with wire.async_client(sdk.AsyncStudioClient) as client:
                await client.renders.retrieve(render_id="r1", region="eu", theme="light")

        anyio.run(main)
        assert _cookies(wire) == ["studio_session=k", "region=eu", "theme=light"]

    def test_required_ones_are_required_keywords(self, sdk: ModuleType) -> None:
        with (
            Wire.json({}).sync_client(sdk.StudioClient) as client,
            pytest.raises(TypeError, match="region"),
        ):
            client.renders.retrieve(render_id="r1")


def test_a_cookie_name_that_is_not_a_token_is_refused(tmp_path: Path) -> None:
    spec = SPEC.replace("name: theme", "name: 'the me'")
    with (
        pytest.raises(SpecError) as caught,
        generated_package(spec, CONFIG, tmp_path, "fn_cookie_bad_name"),
    ):
        pass
    [problem] = caught.value.diagnostics
    assert "cookie name 'the me' is not an HTTP token" in str(problem)
    line = next(n for n, text in enumerate(spec.splitlines(), 1) if "'the me'" in text)
    assert problem.location.line == line
