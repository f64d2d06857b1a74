"""A request body written as `allOf` of several objects: one set of arguments, every part's
fields, required when any part requires them; a property two parts describe differently is
refused where it stands."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from types import ModuleType

import anyio
import pytest
from sdkforge.diagnostics import SpecError

from .helpers import Wire, generated_package, multipart_parts
from .typecheck import assert_clean

SPEC = """
openapi: 3.0.3
info: {title: Paint API, version: 1.0.0}
servers:
  - url: https://paint.example.test
paths:
  /paint:
    post:
      requestBody:
        content:
          application/json:
            schema:
              allOf:
                - $ref: '#/components/schemas/Canvas'
                - $ref: '#/components/schemas/Brush'
                - required: [color]
                  properties:
                    style:
                      allOf:
                        - $ref: '#/components/schemas/Brush'
                        - properties: {opacity: {type: number}}
      responses:
        '200':
          description: Done.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Painting'}
  /upscale:
    post:
      requestBody:
        content:
          multipart/form-data:
            schema:
              allOf:
                - $ref: '#/components/schemas/Canvas'
                - type: object
                  required: [image]
                  properties:
                    image: {type: string, format: binary}
      responses:
        '200':
          description: Done.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Painting'}
components:
  schemas:
    Canvas:
      type: object
      required: [width]
      properties:
        width: {type: integer, description: In pixels.}
        color: {type: string}
    Brush:
      type: object
      properties:
        size: {type: integer}
        color: {type: string, description: Described again.}
    Painting:
      type: object
      required: [id]
      properties:
        id: {type: string}
"""
CONFIG = """
package: {package}
client:
  sync: Paint
  async: AsyncPaint
  api_key_env: PAINT_API_KEY
resources:
  paintings:
    singular: painting
    methods:
      create: post /paint
      upscale: post /upscale
"""


class TestAllOf:
    SPEC, CONFIG = SPEC, CONFIG

    def test_every_part_gives_arguments(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "p1"})
        with wire.sync_client(sdk.Paint) as client:
            painting = client.paintings.create(
                width=640, color="red", size=3, style={"size": 1, "opacity": 0.5}
            )
        assert painting.id == "p1"
        assert wire.sent_json() == {
            "width": 640,
            "color": "red",
            "size": 3,
            "style": {"size": 1, "opacity": 0.5},
        }

    def test_required_lists_are_combined(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "p1"})
        with wire.sync_client(sdk.Paint) as client, pytest.raises(TypeError, match="color"):
            client.paintings.create(width=640)

    def test_nested_all_of_is_one_typed_dict(self, sdk: ModuleType) -> None:
        params = sys.modules[f"{sdk.__name__}.types.painting_create_params"]
        assert set(params.PaintingCreateStyle.__annotations__) == {"size", "color", "opacity"}

    def test_multipart_all_of(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "p2"})
        with wire.sync_client(sdk.Paint) as client:
            client.paintings.upscale(width=2, image=b"\x89PNG\r\n\x1a\nxx")
        parts = {part.name: part for part in multipart_parts(wire.request)}
        assert parts["width"].data == b"2"
        assert parts["image"].content_type == "image/png"

    def test_async(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "p3"})

        async def call() -> object:
            async with wire.async_client(sdk.AsyncPaint) as client:
                return await client.paintings.create(width=1, color="blue")

        assert anyio.run(call).id == "p3"  # type: ignore[attr-defined]
        assert wire.sent_json() == {"width": 1, "color": "blue"}

    def test_generated_code_is_clean(self, sdk: ModuleType) -> None:
        assert_clean(sdk)


def test_a_property_described_differently_is_refused(tmp_path: Path) -> None:
    spec = SPEC.replace(
        "color: {type: string, description: Described again.}",
        "color: {type: integer}",
    )
    with pytest.raises(SpecError) as caught, generated_package(spec, CONFIG, tmp_path, "fn_x"):
        pass
    (problem,) = {str(d) for d in caught.value.diagnostics}
    line = textwrap.dedent(spec).splitlines().index("        color: {type: integer}") + 1
    assert f"openapi.yaml:{line}:9: error: property 'color' is described differently" in problem
