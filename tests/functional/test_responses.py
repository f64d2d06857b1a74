"""Responses of every shape, typed: inline objects (named after the method), arrays, unions,
primitives, free-form objects, no body, binary and text bodies, JSON or binary by config;
lenient parsing by default and `strict_response_validation=True`. Sync and async, through a
canned transport, and a large binary body streamed to a file from a local server."""

from __future__ import annotations

import inspect
import json
import threading
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType

import anyio
import pytest

from .helpers import Wire
from .typecheck import assert_clean

SPEC = """
openapi: 3.1.0
info: {title: Shapes, version: "1"}
servers: [{url: "https://shapes.example"}]
paths:
  /things/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      responses:
        "200":
          description: An inline object, with an inline `user` beside the `User` component.
          content:
            application/json:
              schema:
                type: object
                required: [id, state]
                properties:
                  id: {type: string}
                  state: {type: string, enum: [queued, done]}
                  user:
                    type: object
                    properties:
                      nick: {type: string}
                  owner: {$ref: "#/components/schemas/User"}
    delete:
      responses:
        "204": {description: Gone.}
  /things:
    get:
      responses:
        "200":
          description: An array of a component.
          content:
            application/json:
              schema:
                type: array
                items: {$ref: "#/components/schemas/Thing"}
  /things/search:
    get:
      responses:
        "200":
          description: An array of inline objects.
          content:
            application/json:
              schema:
                type: array
                items:
                  type: object
                  properties:
                    score: {type: number}
  /things/{id}/image:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      responses:
        "200":
          description: The image.
          headers:
            X-Job-Id: {schema: {type: string}}
          content:
            image/png:
              schema: {type: string, format: binary}
  /things/{id}/report:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      responses:
        "200":
          description: A text report.
          content:
            text/plain:
              schema: {type: string}
  /things/{id}/export:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      responses:
        "200":
          description: JSON or the file, by Accept.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
            application/zip:
              schema: {type: string, format: binary}
  /pets:
    get:
      responses:
        "200":
          description: A discriminated union.
          content:
            application/json:
              schema:
                oneOf:
                  - {$ref: "#/components/schemas/Cat"}
                  - {$ref: "#/components/schemas/Dog"}
                discriminator:
                  propertyName: kind
                  mapping:
                    cat: "#/components/schemas/Cat"
                    dog: "#/components/schemas/Dog"
  /count:
    get:
      responses:
        "200":
          description: An integer.
          content: {application/json: {schema: {type: integer}}}
  /name:
    get:
      responses:
        "200":
          description: A string, or nothing.
          content: {application/json: {schema: {type: [string, "null"]}}}
  /flag:
    get:
      responses:
        "200":
          description: A boolean.
          content: {application/json: {schema: {type: boolean}}}
  /meta:
    get:
      responses:
        "201":
          description: A free-form object.
          content: {application/json: {schema: {type: object}}}
  /ping:
    get:
      responses:
        "200": {$ref: "#/components/responses/Ok"}
  /pong:
    get:
      responses:
        "200": {$ref: "#/components/responses/Ok"}
  /credits:
    get:
      responses:
        "200":
          description: Named like the resource's class.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Credits"}
  /odd:
    get:
      responses:
        "200":
          description: Schema names of other styles.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Foo.Bar"}
components:
  responses:
    Ok:
      description: Shared by two operations, with an inline schema.
      content:
        application/json:
          schema:
            type: object
            properties:
              ok: {type: boolean, nullable: false}
  schemas:
    User:
      type: object
      required: [name]
      properties:
        name: {type: string}
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
        size: {type: integer}
        thing:  # an inline object that datamodel-code-generator would also call `Thing`
          type: object
          properties:
            x: {type: integer}
    Cat:
      type: object
      required: [kind]
      properties:
        kind: {type: string, enum: [cat]}
        lives: {type: integer}
    Dog:
      type: object
      required: [kind]
      properties:
        kind: {type: string, enum: [dog]}
        good: {type: boolean}
    Credits:
      type: object
      properties:
        left: {type: integer}
    Foo.Bar:
      type: object
      properties:
        inner: {$ref: "#/components/schemas/my-schema"}
        file: {$ref: "#/components/schemas/file_response"}
        cost: {$ref: "#/components/schemas/cost"}
    file_response:
      type: object
      properties:
        url: {type: string}
    cost:
      type: object
      properties:
        credits: {type: number}
    my-schema:
      type: object
      properties:
        value: {type: string}
"""
CONFIG = """
package: {package}
client: {sync: ShapeClient, async: AsyncShapeClient}
resources:
  things:
    singular: thing
    methods:
      get: get /things/{id}
      fetch: get /things/{id}
      delete: delete /things/{id}
      list: get /things
      search: get /things/search
      image: get /things/{id}/image
      report: get /things/{id}/report
      export: get /things/{id}/export
      export_file: get /things/{id}/export
  pets:
    methods:
      list: get /pets
  values:
    methods:
      count: get /count
      name: get /name
      flag: get /flag
      meta: get /meta
      odd: get /odd
      ping: get /ping
      pong: get /pong
  credits:
    methods:
      get: get /credits
binary_responses: [things.export_file]
"""

THING = {"id": "t1", "state": "done", "user": {"nick": "n"}, "owner": {"name": "o"}}


class TestShapes:
    SPEC, CONFIG = SPEC, CONFIG

    def test_an_inline_object_is_named_after_the_method(self, sdk: ModuleType) -> None:
        wire = Wire.json(THING)
        result = wire.sync_client(sdk.ShapeClient).things.get(id="t1")
        assert type(result).__name__ == "ThingGetResponse"
        assert result.state == "done" and result.user.nick == "n"
        # The `User` component stays the owner's class; the inline `user` has its own.
        assert type(result.owner) is sdk.types.User
        assert type(result.user) is not sdk.types.User
        signature = inspect.signature(sdk.resources.things.Things.get)
        assert signature.return_annotation == "ThingGetResponse"

    def test_methods_that_share_a_schema_share_its_class(self, sdk: ModuleType) -> None:
        # An alias of `things.get`, and two operations of one `components/responses` entry.
        fetched = Wire.json(THING).sync_client(sdk.ShapeClient).things.fetch(id="t1")
        assert type(fetched) is sdk.types.ThingGetResponse
        values = Wire.json({"ok": True}).sync_client(sdk.ShapeClient).values
        assert type(values.ping()) is type(values.pong()) is sdk.types.OkResponse

    def test_arrays_of_components_and_of_inline_objects(self, sdk: ModuleType) -> None:
        client = Wire.json([{"id": "a"}, {"id": "b", "size": 2}]).sync_client(sdk.ShapeClient)
        things = client.things.list()
        assert [type(t) for t in things] == [sdk.types.Thing, sdk.types.Thing]
        assert things[1].size == 2
        found = Wire.json([{"score": 0.5}]).sync_client(sdk.ShapeClient).things.search()
        assert type(found[0]) is sdk.types.ThingSearchResponseItem and found[0].score == 0.5

    def test_a_discriminated_union(self, sdk: ModuleType) -> None:
        client = Wire.json({"kind": "dog", "good": True}).sync_client(sdk.ShapeClient)
        assert type(client.pets.list()) is sdk.types.Dog

    def test_primitives_and_free_form(self, sdk: ModuleType) -> None:
        values = Wire.json(3).sync_client(sdk.ShapeClient).values
        assert values.count() == 3
        assert Wire.json(None).sync_client(sdk.ShapeClient).values.name() is None
        assert Wire.json("x").sync_client(sdk.ShapeClient).values.name() == "x"
        assert Wire.json(True).sync_client(sdk.ShapeClient).values.flag() is True
        wire = Wire(json.dumps({"a": [1]}).encode(), status=201)
        meta = wire.sync_client(sdk.ShapeClient).values.meta()
        assert meta == {"a": [1]}

    def test_no_content_is_none(self, sdk: ModuleType) -> None:
        wire = Wire(b"", status=204)
        assert wire.sync_client(sdk.ShapeClient).things.delete(id="t1") is None
        assert wire.request.method == "DELETE"

    def test_a_binary_body(self, sdk: ModuleType, tmp_path: Path) -> None:
        wire = Wire(b"\x89PNG-bytes", content_type="image/png", headers={"X-Job-Id": "j-7"})
        image = wire.sync_client(sdk.ShapeClient).things.image(id="t1")
        assert isinstance(image, sdk.BinaryResponse)
        assert image.content == image.read() == b"\x89PNG-bytes"
        assert b"".join(image.iter_bytes(3)) == b"\x89PNG-bytes"
        image.write_to_file(tmp_path / "out.png")
        assert (tmp_path / "out.png").read_bytes() == b"\x89PNG-bytes"
        assert wire.request.headers["accept"] == "image/png"
        # The response headers (a job id) through with_raw_response.
        raw = wire.sync_client(sdk.ShapeClient).things.with_raw_response.image(id="t1")
        assert raw.headers["x-job-id"] == "j-7"
        assert raw.parse().content == b"\x89PNG-bytes"

    def test_text(self, sdk: ModuleType) -> None:
        wire = Wire(b"all good", content_type="text/plain")
        assert wire.sync_client(sdk.ShapeClient).things.report(id="t1") == "all good"
        assert wire.request.headers["accept"] == "text/plain"

    def test_json_or_binary_by_config(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "t1"})
        assert type(wire.sync_client(sdk.ShapeClient).things.export(id="t1")) is sdk.types.Thing
        assert wire.request.headers["accept"] == "application/json"
        wire = Wire(b"PK...", content_type="application/zip")
        archive = wire.sync_client(sdk.ShapeClient).things.export_file(id="t1")
        assert archive.content == b"PK..."
        assert wire.request.headers["accept"] == "application/zip"

    def test_names_that_clash_or_are_not_class_names(self, sdk: ModuleType) -> None:
        # `Credits` is the resource's class: the model takes the first free number.
        credits = Wire.json({"left": 4}).sync_client(sdk.ShapeClient).credits.get()
        assert type(credits) is sdk.types.Credits2 and credits.left == 4
        body = {"inner": {"value": "v"}, "file": {"url": "u"}, "cost": {"credits": 1.5}}
        odd = Wire.json(body).sync_client(sdk.ShapeClient).values.odd()
        assert type(odd) is sdk.types.FooBar and type(odd.inner) is sdk.types.MySchema
        assert type(odd.file) is sdk.types.FileResponse and odd.file.url == "u"
        assert type(odd.cost) is sdk.types.Cost and odd.cost.credits == 1.5
        # A component's own class, never the inline object of the same name inside it.
        thing = Wire.json([{"id": "a", "thing": {"x": 1}}]).sync_client(sdk.ShapeClient).things
        (listed,) = thing.list()
        assert type(listed) is sdk.types.Thing and listed.thing.x == 1
        assert type(listed.thing).__name__ == "ThingThing"

    def test_async(self, sdk: ModuleType) -> None:
        async def main() -> None:
            client = Wire.json([{"id": "a"}]).async_client(sdk.AsyncShapeClient)
            assert [t.id for t in await client.things.list()] == ["a"]
            wire = Wire(b"img", content_type="image/png")
            image = await wire.async_client(sdk.AsyncShapeClient).things.image(id="t1")
            assert image.content == b"img"
            assert (
                await Wire(b"", status=204)
                .async_client(sdk.AsyncShapeClient)
                .things.delete(id="t1")
                is None
            )
            pet = await Wire.json({"kind": "cat"}).async_client(sdk.AsyncShapeClient).pets.list()
            assert type(pet) is sdk.types.Cat

        anyio.run(main)

    def test_lenient_by_default_strict_when_asked(self, sdk: ModuleType) -> None:
        drifted = {"id": "t1", "state": "archived", "owner": {"nick": 1}, "new": [1]}
        result = Wire.json(drifted).sync_client(sdk.ShapeClient).things.get(id="t1")
        # A new enum value, a missing required field: the data is kept, in the models.
        assert type(result) is sdk.types.ThingGetResponse and result.state == "archived"
        assert type(result.owner) is sdk.types.User and result.owner.nick == 1
        assert result.to_dict()["new"] == [1]
        things = Wire.json([{"size": "big"}]).sync_client(sdk.ShapeClient).things.list()
        assert type(things[0]) is sdk.types.Thing and things[0].size == "big"
        strict = Wire.json(drifted).sync_client(sdk.ShapeClient, strict_response_validation=True)
        with pytest.raises(sdk.APIResponseValidationError, match="ThingGetResponse"):
            strict.things.get(id="t1")
        with pytest.raises(sdk.APIResponseValidationError):
            strict.things.with_raw_response.get(id="t1").parse()
        # Not JSON at all stays an error, strict or not.
        with pytest.raises(sdk.APIResponseValidationError, match="not a valid"):
            Wire(b"<html>").sync_client(sdk.ShapeClient).things.list()

    def test_a_lenient_union_picks_by_discriminator(self, sdk: ModuleType) -> None:
        pet = Wire.json({"kind": "cat", "lives": "nine"}).sync_client(sdk.ShapeClient).pets.list()
        assert type(pet) is sdk.types.Cat and pet.lives == "nine"

    def test_the_package_type_checks(self, sdk: ModuleType) -> None:
        assert_clean(sdk)


UNION_SPEC = """
openapi: 3.1.0
info: {title: U, version: "1"}
servers: [{url: "https://u.example"}]
paths:
  /allof:
    get:
      responses:
        "200":
          description: Members pin the tag through allOf.
          content:
            application/json:
              schema:
                oneOf:
                  - {$ref: "#/components/schemas/Square"}
                  - {$ref: "#/components/schemas/Circle"}
                discriminator:
                  propertyName: shape
                  mapping: {square: "#/components/schemas/Square", circle: "#/components/schemas/Circle"}
  /many:
    get:
      responses:
        "200":
          description: A member takes several tag values.
          content:
            application/json:
              schema:
                oneOf:
                  - {$ref: "#/components/schemas/Small"}
                  - {$ref: "#/components/schemas/Large"}
                discriminator: {propertyName: size}
  /nested:
    get:
      responses:
        "200":
          description: A member is itself a oneOf.
          content:
            application/json:
              schema:
                oneOf:
                  - {$ref: "#/components/schemas/Small"}
                  - oneOf:
                      - {$ref: "#/components/schemas/Square"}
                      - {$ref: "#/components/schemas/Circle"}
  /plain:
    get:
      responses:
        "200":
          description: Not discriminated.
          content:
            application/json:
              schema:
                anyOf:
                  - {$ref: "#/components/schemas/Square"}
                  - {type: object, properties: {note: {type: string}}, required: [note]}
  /scalars:
    get:
      responses:
        "200":
          description: A string or a number.
          content:
            application/json:
              schema:
                oneOf: [{type: string}, {type: integer}]
components:
  schemas:
    Base:
      type: object
      required: [shape]
      properties:
        shape: {type: string}
    Square:
      allOf:
        - {$ref: "#/components/schemas/Base"}
        - type: object
          properties:
            side: {type: number}
    Circle:
      allOf:
        - {$ref: "#/components/schemas/Base"}
        - type: object
          properties:
            radius: {type: number}
    Small:
      type: object
      required: [size]
      properties:
        size: {type: string, enum: [xs, s]}
    Large:
      type: object
      required: [size]
      properties:
        size: {type: string, enum: [l, xl]}
        n: {type: integer}
"""
UNION_CONFIG = """
package: {package}
client: {sync: UClient, async: AsyncUClient}
resources:
  shapes:
    singular: shape
    methods:
      allof: get /allof
      many: get /many
      nested: get /nested
      plain: get /plain
      scalars: get /scalars
"""


class TestUnions:
    """Discriminated through `allOf` with a mapping, by an enum of several values, nested
    `oneOf`, not discriminated, and of plain types."""

    SPEC, CONFIG = UNION_SPEC, UNION_CONFIG

    def test_discriminated_through_all_of(self, sdk: ModuleType) -> None:
        shapes = Wire.json({"shape": "circle", "radius": 2}).sync_client(sdk.UClient).shapes
        circle = shapes.allof()
        assert type(circle) is sdk.types.Circle and circle.radius == 2

    def test_several_values_each(self, sdk: ModuleType) -> None:
        shapes = Wire.json({"size": "s"}).sync_client(sdk.UClient).shapes
        assert type(shapes.many()) is sdk.types.Small
        shapes = Wire.json({"size": "xl"}).sync_client(sdk.UClient).shapes
        assert type(shapes.many()) is sdk.types.Large

    def test_nested_one_of(self, sdk: ModuleType) -> None:
        shapes = Wire.json({"shape": "square", "side": 1}).sync_client(sdk.UClient).shapes
        assert type(shapes.nested()) is sdk.types.Square

    def test_not_discriminated(self, sdk: ModuleType) -> None:
        shapes = Wire.json({"note": "n"}).sync_client(sdk.UClient).shapes
        variant = shapes.plain()
        assert type(variant).__name__ == "ShapePlainResponseVariant2" and variant.note == "n"
        assert "ShapePlainResponse" in vars(sdk.types.shape_plain_response)

    def test_plain_types(self, sdk: ModuleType) -> None:
        assert Wire.json(7).sync_client(sdk.UClient).shapes.scalars() == 7
        assert Wire.json("seven").sync_client(sdk.UClient).shapes.scalars() == "seven"

    def test_a_new_tag_value_still_gives_the_data(self, sdk: ModuleType) -> None:
        shapes = Wire.json({"size": "xxl", "n": 3}).sync_client(sdk.UClient).shapes
        found = shapes.many()  # no member has `xxl`: the one that names most keys
        assert type(found) is sdk.types.Large and found.size == "xxl"

    def test_async(self, sdk: ModuleType) -> None:
        async def main() -> None:
            wire = Wire.json({"shape": "square", "side": 3})
            assert type(await wire.async_client(sdk.AsyncUClient).shapes.allof()) is (
                sdk.types.Square
            )

        anyio.run(main)

    def test_the_package_type_checks(self, sdk: ModuleType) -> None:
        assert_clean(sdk)


BIG = 24 * 1024 * 1024


@contextmanager
def _binary_server(body: bytes) -> Iterator[str]:
    view = memoryview(body)

    class _Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "image/png")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            for start in range(0, len(view), 1 << 16):
                self.wfile.write(view[start : start + (1 << 16)])

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


class TestStreamedToFile:
    SPEC, CONFIG = SPEC, CONFIG

    def test_a_large_body_goes_to_disk_without_memory(
        self, sdk: ModuleType, tmp_path: Path
    ) -> None:
        body = bytes(range(256)) * (BIG // 256)
        target = tmp_path / "big.png"
        with _binary_server(body) as url, sdk.ShapeClient(base_url=url) as client:
            tracemalloc.start()
            try:
                with client.things.with_streaming_response.image(id="t1") as response:
                    response.stream_to_file(target)
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
            assert target.read_bytes() == body
            assert peak < BIG // 4, peak
            # The default call reads it whole, and `parse()` of a streamed one too.
            assert client.things.image(id="t1").content == body
            with client.things.with_streaming_response.image(id="t1") as response:
                assert response.parse().content == body

    def test_async_stream_to_file(self, sdk: ModuleType, tmp_path: Path) -> None:
        body = b"x" * (1 << 20)

        async def main(url: str) -> None:
            async with sdk.AsyncShapeClient(base_url=url) as client:
                streamed = client.things.with_streaming_response.image(id="t1")
                async with streamed as response:
                    await response.stream_to_file(tmp_path / "a.png")

        with _binary_server(body) as url:
            anyio.run(main, url)
        assert (tmp_path / "a.png").read_bytes() == body
