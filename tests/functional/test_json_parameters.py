"""Parameters described by `content: {application/json: {schema}}` instead of `schema`:
typed by that schema, sent as their JSON text (in a query, a header or a cookie)."""

from __future__ import annotations

import json
from types import ModuleType

from .helpers import Wire
from .typecheck import assert_clean

SPEC = """
openapi: 3.0.3
info: {title: Search API, version: "1.0"}
servers:
  - url: https://search.example
paths:
  /images:
    get:
      summary: Find images.
      parameters:
        - name: filter
          in: query
          description: What to match.
          content:
            application/json:
              schema:
                type: object
                properties:
                  tags: {type: array, items: {type: string}}
                  min_width: {type: integer}
        - name: X-Context
          in: header
          content:
            application/json:
              schema: {type: object, additionalProperties: {type: string}}
        - name: prefs
          in: cookie
          content:
            application/json:
              schema: {type: array, items: {type: integer}}
        - {name: q, in: query, schema: {type: string}}
      responses:
        "200":
          description: The matches.
          content:
            application/json:
              schema: {type: array, items: {type: string}}
"""
CONFIG = """
package: {package}
client:
  sync: SearchClient
  async: AsyncSearchClient
  api_key_env: SEARCH_KEY
resources:
  images:
    methods:
      search: get /images
"""


class TestJsonParameters:
    SPEC, CONFIG = SPEC, CONFIG

    def test_sent_as_json_text(self, sdk: ModuleType) -> None:
        wire = Wire.json(["a.png"])
        with wire.sync_client(sdk.SearchClient) as client:
            found = client.images.search(
                filter={"tags": ["fox", "snow"], "min_width": 64},
                x_context={"user": "ü"},
                prefs=[1, 2],
                q="fox",
            )
        assert found == ["a.png"]
        params = wire.request.url.params
        assert json.loads(params["filter"]) == {"tags": ["fox", "snow"], "min_width": 64}
        assert params["filter"] == '{"tags":["fox","snow"],"min_width":64}'
        assert params["q"] == "fox"
        assert wire.request.headers["x-context"] == r'{"user":"\u00fc"}'
        assert wire.request.headers["cookie"] == "prefs=[1%2C2]"

    def test_left_out_when_not_given(self, sdk: ModuleType) -> None:
        wire = Wire.json([])
        with wire.sync_client(sdk.SearchClient) as client:
            client.images.search()
        assert not wire.request.url.params
        assert "x-context" not in wire.request.headers and "cookie" not in wire.request.headers

    def test_the_package_passes_ruff_and_mypy_strict(self, sdk: ModuleType) -> None:
        assert_clean(sdk)
