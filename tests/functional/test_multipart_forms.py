"""Multipart as OpenAPI says: the parts of a list are repeated under the field's own name
(`name[]` when sdk.yaml says `multipart: {array_names: brackets}`), an object or a list of
objects is one JSON part, and an operation that offers JSON too is sent as multipart only when
its body has files or the config names it."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import anyio
import pytest
from sdkforge.diagnostics import SpecError

from .helpers import Part, Wire, generated_package, multipart_parts
from .typecheck import assert_clean

SPEC = """
openapi: 3.0.3
info: {title: Board API, version: 1.0.0}
servers:
  - url: https://board.example.test
paths:
  /boards:
    post:
      requestBody:
        content:
          multipart/form-data:
            schema: {$ref: '#/components/schemas/NewBoard'}
      responses:
        '200': {$ref: '#/components/responses/Board'}
  /notes:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Note'}
          multipart/form-data:
            schema: {$ref: '#/components/schemas/Note'}
      responses:
        '200': {$ref: '#/components/responses/Board'}
  /pins:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Note'}
          multipart/form-data:
            schema: {$ref: '#/components/schemas/Note'}
      responses:
        '200': {$ref: '#/components/responses/Board'}
components:
  responses:
    Board:
      description: The board.
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/Board'
  schemas:
    NewBoard:
      type: object
      required: [cover]
      properties:
        cover: {type: string, format: binary}
        pictures: {type: array, items: {type: string, format: binary}}
        tags: {type: array, items: {type: string}}
        owner:
          type: object
          required: [name]
          properties:
            name: {type: string}
        regions:
          type: array
          items:
            type: object
            properties:
              x: {type: integer}
    Note:
      type: object
      required: [text]
      properties:
        text: {type: string}
        tags: {type: array, items: {type: string}}
    Board:
      type: object
      properties:
        id: {type: string}
"""
CONFIG = """
package: {package}
client:
  sync: BoardClient
  async: AsyncBoardClient
  api_key_env: BOARD_API_KEY
resources:
  boards:
    methods:
      create: post /boards
      note: post /notes
      pin: post /pins
multipart:
  methods: [boards.pin]
"""
PNG = b"\x89PNG\r\n\x1a\n"


class TestForms:
    SPEC, CONFIG = SPEC, CONFIG

    def test_lists_repeat_the_name_and_objects_are_json(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "b1"})
        with wire.sync_client(sdk.BoardClient) as client:
            board = client.boards.create(
                cover=PNG,
                pictures=[PNG, ("b.gif", b"GIF89a")],
                tags=["red", "blue"],
                owner={"name": "Ada"},
                regions=[{"x": 1}, {"x": 2}],
            )
        assert board.id == "b1"
        assert multipart_parts(wire.request) == [
            Part("owner", None, "application/json", b'{"name":"Ada"}'),
            Part("regions", None, "application/json", b'[{"x":1},{"x":2}]'),
            Part("tags", None, None, b"red"),
            Part("tags", None, None, b"blue"),
            Part("cover", "upload.png", "image/png", PNG),
            Part("pictures", "upload.png", "image/png", PNG),
            Part("pictures", "b.gif", "image/gif", b"GIF89a"),
        ]

    def test_json_is_sent_when_no_file_is_offered(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "b2"})
        with wire.sync_client(sdk.BoardClient) as client:
            client.boards.note(text="hi", tags=["a"])
        assert wire.sent_json() == {"text": "hi", "tags": ["a"]}

    def test_multipart_when_the_config_says_so(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "b3"})
        with wire.sync_client(sdk.BoardClient) as client:
            client.boards.pin(text="hi", tags=["a", "b"])
        assert multipart_parts(wire.request) == [
            Part("text", None, None, b"hi"),
            Part("tags", None, None, b"a"),
            Part("tags", None, None, b"b"),
        ]

    def test_async(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "b4"})

        async def call() -> None:
            async with wire.async_client(sdk.AsyncBoardClient) as client:
                await client.boards.create(cover=PNG, tags=["x", "y"], owner={"name": "Bo"})

        anyio.run(call)
        names = [part.name for part in multipart_parts(wire.request)]
        assert names == ["owner", "tags", "tags", "cover"]
        assert json.loads(multipart_parts(wire.request)[0].data) == {"name": "Bo"}

    def test_generated_code_is_clean(self, sdk: ModuleType) -> None:
        assert_clean(sdk)


def test_brackets_when_the_config_says_so(tmp_path: Path) -> None:
    config = CONFIG.replace("multipart:\n", "multipart:\n  array_names: brackets\n")
    with generated_package(SPEC, config, tmp_path, "fn_forms_brackets") as sdk:
        wire = Wire.json({"id": "b5"})
        with wire.sync_client(sdk.BoardClient) as client:
            client.boards.create(cover=PNG, pictures=[PNG], tags=["a", "b"])
        names = [part.name for part in multipart_parts(wire.request)]
        assert names == ["tags[]", "tags[]", "cover", "pictures[]"]


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            "  array_names: bracket\n",
            "array_names must be repeat or brackets, not 'bracket' (did you mean 'brackets'?)",
        ),
        (
            "  methods: [boards.pins]\n",
            "'boards.pins' is not a configured method (did you mean 'boards.pin'?)",
        ),
        ("  method: [boards.pin]\n", "unknown key 'method' (did you mean 'methods'?)"),
    ],
)
def test_bad_multipart_config(tmp_path: Path, section: str, message: str) -> None:
    config = CONFIG.replace("  methods: [boards.pin]\n", section)
    with pytest.raises(SpecError) as caught, generated_package(SPEC, config, tmp_path, "fn_bad"):
        pass
    assert [f"{d.message} ({d.hint})" for d in caught.value.diagnostics] == [message]
