"""A request body that is `oneOf`/`anyOf` of objects: a union of params TypedDicts, and,
when a property tells the variants apart, one overload a variant, so that a type checker
rejects a field of the wrong variant."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import anyio
from _generate import mypy

from .helpers import Wire, multipart_parts
from .typecheck import assert_clean

RESULT = """
      responses:
        '200':
          description: Done.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Drawing'}
"""
SPEC = f"""
openapi: 3.1.0
info: {{title: Draw API, version: 1.0.0}}
servers:
  - url: https://draw.example.test
paths:
  /shapes/{{board}}:
    post:
      parameters:
        - {{name: board, in: path, required: true, schema: {{type: string}}}}
      requestBody:
        content:
          application/json:
            schema:
              oneOf:
                - $ref: '#/components/schemas/Circle'
                - $ref: '#/components/schemas/Polygon'
              discriminator:
                propertyName: kind
                mapping:
                  round: '#/components/schemas/Circle'
                  poly: '#/components/schemas/Polygon'
                  polygon: '#/components/schemas/Polygon'
{RESULT}
  /strokes:
    post:
      requestBody:
        content:
          application/json:
            schema:
              anyOf:
                - type: object
                  required: [tool, width]
                  properties:
                    tool: {{const: pen}}
                    width: {{type: integer}}
                - type: object
                  required: [tool]
                  properties:
                    tool: {{type: string, enum: [brush]}}
                    bristles: {{type: integer}}
{RESULT}
  /notes:
    post:
      requestBody:
        content:
          application/json:
            schema:
              oneOf:
                - type: object
                  required: [text]
                  properties: {{text: {{type: string}}}}
                - type: object
                  required: [emoji]
                  properties: {{emoji: {{type: string}}, size: {{type: integer}}}}
{RESULT}
  /stamps:
    post:
      requestBody:
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/Stamp'}}
          multipart/form-data:
            schema: {{$ref: '#/components/schemas/Stamp'}}
{RESULT}
  /layers:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                layer:
                  oneOf:
                    - type: string
                    - title: Solid fill
                      type: object
                      properties: {{color: {{type: string}}}}
                    - type: object
                      properties: {{kind: {{const: gradient}}, stops: {{type: integer}}}}
                    - type: array
                      items:
                        type: object
                        properties: {{raw: {{type: string}}}}
{RESULT}
components:
  schemas:
    Stamp:
      oneOf:
        - type: object
          required: [image]
          properties: {{image: {{type: string, format: binary}}}}
        - type: object
          required: [url]
          properties: {{url: {{type: string}}}}
    Circle:
      type: object
      required: [radius]
      properties:
        radius: {{type: number, description: In pixels.}}
    Polygon:
      type: object
      required: [kind, sides]
      properties:
        kind: {{type: string}}
        sides: {{type: integer}}
        fill: {{type: [string, 'null']}}
    Drawing:
      type: object
      properties:
        id: {{type: string}}
"""
CONFIG = """
package: {package}
client: {sync: Draw, async: AsyncDraw}
resources:
  shapes:
    singular: shape
    methods:
      create: post /shapes/{board}
      stroke: post /strokes
      note: post /notes
      layer: post /layers
      stamp: post /stamps
"""


class TestUnionBody:
    SPEC, CONFIG = SPEC, CONFIG

    def test_mapping_discriminator_picks_the_fields(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "d1"})
        with wire.sync_client(sdk.Draw) as client:
            drawing = client.shapes.create(board="b 1", kind="round", radius=2.5)
        assert drawing.id == "d1"
        assert wire.request.url.raw_path == b"/shapes/b%201"
        assert wire.sent_json() == {"kind": "round", "radius": 2.5}

    def test_one_variant_may_have_several_values(self, sdk: ModuleType) -> None:
        params = sys.modules[f"{sdk.__name__}.types.shape_create_params"]
        polygon = params.ShapeCreateParamsPolygon.__annotations__
        assert polygon["kind"].__forward_arg__ == "Required[Literal['poly', 'polygon']]"
        assert params.ShapeCreateParams.__args__ == (
            params.ShapeCreateParamsCircle,
            params.ShapeCreateParamsPolygon,
        )

    def test_const_and_single_enum_tell_variants_apart(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "d2"})
        with wire.sync_client(sdk.Draw) as client:
            client.shapes.stroke(tool="brush", bristles=40)
        assert wire.sent_json() == {"tool": "brush", "bristles": 40}
        params = sys.modules[f"{sdk.__name__}.types.shape_stroke_params"]
        # Inline variants are named after their tag.
        assert set(params.ShapeStrokeParamsPen.__annotations__) == {"tool", "width"}
        assert set(params.ShapeStrokeParamsBrush.__annotations__) == {"tool", "bristles"}

    def test_a_tag_the_variant_does_not_list_is_added(self, sdk: ModuleType) -> None:
        params = sys.modules[f"{sdk.__name__}.types.shape_create_params"]
        circle = params.ShapeCreateParamsCircle.__annotations__
        assert circle["kind"].__forward_arg__ == "Required[Literal['round']]"

    def test_async(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "d3"})

        async def call() -> object:
            async with wire.async_client(sdk.AsyncDraw) as client:
                return await client.shapes.create(board="b", kind="poly", sides=6, fill=None)

        assert anyio.run(call).id == "d3"  # type: ignore[attr-defined]
        assert wire.sent_json() == {"kind": "poly", "sides": 6, "fill": None}

    def test_a_union_without_a_tag_takes_any_variant(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "d4"})
        with wire.sync_client(sdk.Draw) as client:
            client.shapes.note(emoji="cat", size=3)
        assert wire.sent_json() == {"emoji": "cat", "size": 3}
        params = sys.modules[f"{sdk.__name__}.types.shape_note_params"]
        assert set(params.ShapeNoteParamsVariant2.__annotations__) == {"emoji", "size"}

    def test_inline_alternatives_of_a_property_get_names_of_their_own(
        self, sdk: ModuleType
    ) -> None:
        params = sys.modules[f"{sdk.__name__}.types.shape_layer_params"]
        named = {"ShapeLayerLayerSolidFill", "ShapeLayerLayerGradient", "ShapeLayerLayerVariant4"}
        assert named <= set(params.__all__)
        wire = Wire.json({"id": "d5"})
        with wire.sync_client(sdk.Draw) as client:
            client.shapes.layer(layer=[{"raw": "x"}])
        assert wire.sent_json() == {"layer": [{"raw": "x"}]}

    def test_multipart_when_an_alternative_has_a_file(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "d6"})
        with wire.sync_client(sdk.Draw) as client:
            client.shapes.stamp(image=b"GIF89a")
        (part,) = multipart_parts(wire.request)
        assert (part.name, part.content_type, part.data) == ("image", "image/gif", b"GIF89a")

    def test_generated_code_is_clean(self, sdk: ModuleType) -> None:
        assert_clean(sdk)

    def test_the_overloads_reject_a_field_of_another_variant(self, sdk: ModuleType) -> None:
        out = Path(sdk.__file__ or "").parent.parent
        script = out / "user_script.py"
        script.write_text(
            f"from {sdk.__name__} import Draw, AsyncDraw\n\n\n"
            "def right(client: Draw) -> None:\n"
            "    client.shapes.create(board='b', kind='round', radius=1.0)\n"
            "    client.shapes.create(board='b', kind='polygon', sides=3, fill='red')\n"
            "    client.shapes.note(emoji='cat', size=2)\n\n\n"
            "def wrong(client: Draw) -> None:\n"
            "    client.shapes.create(board='b', kind='round', sides=3)\n"
            "    client.shapes.note(text='a', size=2)\n\n\n"
            "async def wrong_async(client: AsyncDraw) -> None:\n"
            "    await client.shapes.stroke(tool='pen', bristles=3)\n",
            encoding="utf-8",
        )
        checked = mypy(script.name, cwd=out)
        errors = [line for line in checked.stdout.splitlines() if ": error:" in line]
        # Each variant of the notes requires a field the other does not take: overloads too.
        assert [line.split(":")[1] for line in errors] == ["11", "12", "16"], checked.stdout
        assert all("No overload variant" in line for line in errors), checked.stdout
