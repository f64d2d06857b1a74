"""Enums (closed, open, integer, const, a named alias) and nullable values, sent and parsed."""

from __future__ import annotations

import typing
from types import ModuleType

import anyio

from .helpers import Wire

SPEC = """
openapi: 3.1.0
info: {title: Paint Mixer API, version: 1.1.0}
servers:
  - url: https://paint.example.test/v1
paths:
  /mixes:
    post:
      summary: Mix a paint.
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/MixRequest'}
      responses:
        '200':
          description: The mixed paint.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Mix'}
components:
  schemas:
    MixRequest:
      type: object
      required: [base, finish]
      properties:
        base: {$ref: '#/components/schemas/BaseColour'}
        finish: {type: string, enum: [matte, satin, gloss], description: How shiny.}
        shade:
          description: A named shade or any custom one.
          anyOf:
            - {type: string}
            - {type: string, enum: [ivory, slate]}
        sheen: {type: string, enum: [low, high], nullable: true, description: Or null.}
        label: {type: ['string', 'null'], description: Text on the can.}
        coats: {type: integer, enum: [1, 2, 3], description: How many coats.}
        eco: {const: true, description: The low-solvent formula.}
    BaseColour:
      type: string
      enum: [white, cream, grey]
      description: Base colours in stock.
    Mix:
      type: object
      required: [id, finish, label]
      properties:
        id: {type: string, description: The mix.}
        finish: {type: string, enum: [matte, satin, gloss], description: How shiny.}
        label: {type: ['string', 'null'], description: Text on the can, if any.}
        sheen: {type: string, enum: [low, high], nullable: true, description: The sheen.}
"""
CONFIG = """
package: {package}
client:
  sync: Paint
  async: AsyncPaint
  api_key_env: PAINT_KEY
aliases: [BaseColour]
resources:
  mixes:
    singular: mix
    methods:
      create: post /mixes
"""
MIX = {"id": "m-1", "finish": "gloss", "label": None}


class TestEnumsAndNullable:
    SPEC, CONFIG = SPEC, CONFIG

    def test_enum_values_and_nulls_are_sent_as_given(self, sdk: ModuleType) -> None:
        wire = Wire.json(MIX)
        with wire.sync_client(sdk.Paint) as client:
            client.mixes.create(
                base="cream",
                finish="satin",
                shade="my own teal",
                sheen=None,
                label=None,
                coats=2,
                eco=True,
            )
        assert wire.sent_json() == {
            "base": "cream",
            "finish": "satin",
            "shade": "my own teal",
            "sheen": None,
            "label": None,
            "coats": 2,
            "eco": True,
        }

    def test_left_out_is_not_null(self, sdk: ModuleType) -> None:
        wire = Wire.json(MIX)
        with wire.sync_client(sdk.Paint) as client:
            client.mixes.create(base="white", finish="matte", shade="slate")
        assert wire.sent_json() == {"base": "white", "finish": "matte", "shade": "slate"}

    def test_the_named_alias_lists_its_values(self, sdk: ModuleType) -> None:
        alias = sdk.types.BaseColour
        assert typing.get_args(alias) == ("white", "cream", "grey")

    def test_the_response_keeps_enum_values_and_nulls(self, sdk: ModuleType) -> None:
        wire = Wire.json({**MIX, "sheen": "high"})
        with wire.sync_client(sdk.Paint) as client:
            mix = client.mixes.create(base="grey", finish="gloss")
        assert type(mix) is sdk.types.Mix
        assert (mix.id, mix.finish, mix.label, mix.sheen) == ("m-1", "gloss", None, "high")

    def test_async(self, sdk: ModuleType) -> None:
        wire = Wire.json({**MIX, "label": "Kitchen"})

        async def call() -> object:
            async with wire.async_client(sdk.AsyncPaint) as client:
                return await client.mixes.create(base="white", finish="gloss", sheen=None)

        mix = anyio.run(call)
        assert type(mix) is sdk.types.Mix and mix.label == "Kitchen" and mix.sheen is None
        assert wire.sent_json() == {"base": "white", "finish": "gloss", "sheen": None}
