"""A request body that is not required (`requestBody.required` false or absent, OpenAPI's
default) may be left out: a call that gives none of its fields sends no body at all."""

from __future__ import annotations

import json
from types import ModuleType

import anyio
import pytest

from .helpers import Wire, multipart_parts

SPEC = """
openapi: 3.0.3
info: {title: Canvas API, version: "1.0"}
servers:
  - url: https://canvas.example/v1
components:
  schemas:
    Options:
      type: object
      properties:
        width: {type: integer, description: Pixels across.}
        note: {type: string, nullable: true, description: A remark.}
    Canvas:
      type: object
      required: [id]
      properties:
        id: {type: string, description: The canvas's id.}
paths:
  /canvases:
    post:
      summary: Make a canvas; every option may be left out, and the body too.
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Options"}
      responses:
        "200":
          description: The canvas.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Canvas"}
  /canvases/strict:
    post:
      summary: The same body, required.
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Options"}
      responses:
        "200":
          description: The canvas.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Canvas"}
  /canvases/named:
    post:
      summary: Not marked required, but a field is.
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
      responses:
        "200":
          description: The canvas.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Canvas"}
  /canvases/{id}/layers:
    post:
      summary: Add a layer; the upload is optional.
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        required: false
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                image: {type: string, format: binary}
                opacity: {type: number}
      responses:
        "200":
          description: The canvas.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Canvas"}
  /canvases/{id}/publish:
    post:
      summary: Publish; a form body that may be left out.
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                public: {type: boolean}
      responses:
        "200":
          description: The canvas.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Canvas"}
"""
CONFIG = """
package: {package}
client:
  sync: CanvasClient
  async: AsyncCanvasClient
  api_key_env: CANVAS_KEY
resources:
  canvases:
    methods:
      create: post /canvases
      create_strict: post /canvases/strict
      create_named: post /canvases/named
      add_layer: post /canvases/{id}/layers
      publish: post /canvases/{id}/publish
"""
CANVAS = {"id": "c1"}


def _no_body(wire: Wire) -> None:
    request = wire.request
    assert request.content == b""
    assert "content-type" not in request.headers
    assert request.headers.get("content-length") in (None, "0")


class TestOptionalBody:
    SPEC, CONFIG = SPEC, CONFIG

    def test_nothing_given_sends_no_body(self, sdk: ModuleType) -> None:
        wire = Wire.json(CANVAS)
        with wire.sync_client(sdk.CanvasClient) as client:
            assert client.canvases.create().id == "c1"
        _no_body(wire)

    def test_a_field_given_sends_the_object(self, sdk: ModuleType) -> None:
        wire = Wire.json(CANVAS)
        with wire.sync_client(sdk.CanvasClient) as client:
            client.canvases.create(width=3)
            client.canvases.create(note=None)  # a JSON null is given
            client.canvases.create(extra_body={"beta": True})
        assert [json.loads(r.content) for r in wire.requests] == [
            {"width": 3},
            {"note": None},
            {"beta": True},
        ]

    def test_a_required_body_is_sent_empty(self, sdk: ModuleType) -> None:
        wire = Wire.json(CANVAS)
        with wire.sync_client(sdk.CanvasClient) as client:
            client.canvases.create_strict()
        assert wire.sent_json() == {}

    def test_a_required_field_keeps_the_body(self, sdk: ModuleType) -> None:
        wire = Wire.json(CANVAS)
        with wire.sync_client(sdk.CanvasClient) as client:
            with pytest.raises(TypeError, match="name"):
                client.canvases.create_named()
            client.canvases.create_named(name="n")
        assert wire.sent_json() == {"name": "n"}

    def test_multipart_and_form_bodies_too(self, sdk: ModuleType) -> None:
        wire = Wire.json(CANVAS)
        with wire.sync_client(sdk.CanvasClient) as client:
            client.canvases.add_layer(id="c1")
            client.canvases.publish(id="c1")
            client.canvases.add_layer(id="c1", opacity=0.5)
            client.canvases.publish(id="c1", public=True)
        for request in wire.requests[:2]:
            assert request.content == b"" and "content-type" not in request.headers
        [part] = multipart_parts(wire.requests[2])
        assert (part.name, part.data) == ("opacity", b"0.5")
        assert wire.requests[3].content == b"public=true"

    def test_async(self, sdk: ModuleType) -> None:
        wire = Wire.json(CANVAS)

        async def main() -> None:
            async with wire.async_client(sdk.AsyncCanvasClient) as client:
                await client.canvases.create()

        anyio.run(main)
        _no_body(wire)
