"""Query parameters in the style the document gives them: a list repeated (the default) or
joined (`explode: false`, `pipeDelimited`, `spaceDelimited`), an object as its own keys (the
default) or as `name[key]` (`deepObject`)."""

from __future__ import annotations

from types import ModuleType

import anyio

from .helpers import Wire
from .typecheck import assert_clean

SPEC = """
openapi: 3.0.3
info: {title: Search API, version: 1.0.0}
servers:
  - url: https://search.example.test
paths:
  /images:
    get:
      parameters:
        - {name: tag, in: query, schema: {type: array, items: {type: string}}}
        - name: sizes
          in: query
          explode: false
          schema: {type: array, items: {type: integer}}
        - name: ids
          in: query
          style: pipeDelimited
          explode: false
          schema: {type: array, items: {type: string}}
        - name: filter
          in: query
          style: deepObject
          explode: true
          schema:
            type: object
            properties: {color: {type: string}, min_width: {type: integer}}
        - name: near
          in: query
          schema:
            type: object
            properties: {lat: {type: number}, lon: {type: number}}
      responses:
        '200':
          description: Found.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Found'}
components:
  schemas:
    Found:
      type: object
      properties:
        count: {type: integer}
"""
CONFIG = """
package: {package}
client: {sync: Search, async: AsyncSearch}
resources:
  images:
    singular: image
    methods:
      search: get /images
"""


class TestQueryStyles:
    SPEC, CONFIG = SPEC, CONFIG

    def test_each_style_on_the_wire(self, sdk: ModuleType) -> None:
        wire = Wire.json({"count": 1})
        with wire.sync_client(sdk.Search) as client:
            client.images.search(
                tag=["a", "b"],
                sizes=[256, 512],
                ids=["x", "y"],
                filter={"color": "red", "min_width": 10},
                near={"lat": 1.5, "lon": 2.0},
            )
        assert sorted(wire.request.url.params.multi_items()) == sorted(
            [
                ("tag", "a"),
                ("tag", "b"),
                ("sizes", "256,512"),
                ("ids", "x|y"),
                ("filter[color]", "red"),
                ("filter[min_width]", "10"),
                ("lat", "1.5"),
                ("lon", "2.0"),
            ]
        )

    def test_async_and_omitted(self, sdk: ModuleType) -> None:
        wire = Wire.json({"count": 0})

        async def call() -> None:
            async with wire.async_client(sdk.AsyncSearch) as client:
                await client.images.search(sizes=[1])

        anyio.run(call)
        assert str(wire.request.url.query, "ascii") == "sizes=1"

    def test_generated_code_is_clean(self, sdk: ModuleType) -> None:
        assert_clean(sdk)
