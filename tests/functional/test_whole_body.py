"""A request body that is not an object (a JSON array or string, a file's bytes, text): one
`body` argument, typed, sent as the whole body."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import anyio
import pytest

from .helpers import Wire
from .typecheck import assert_clean

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
RESULT = """
      responses:
        '200':
          description: Done.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Stored'}
"""
SPEC = f"""
openapi: 3.0.3
info: {{title: Store API, version: 1.0.0}}
servers:
  - url: https://store.example.test
paths:
  /labels:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: array
              items:
                type: object
                required: [name]
                properties: {{name: {{type: string}}}}
{RESULT}
  /title:
    put:
      requestBody:
        content:
          application/json:
            schema: {{type: string, description: The new title.}}
{RESULT}
  /blobs/{{key}}:
    put:
      parameters:
        - {{name: key, in: path, required: true, schema: {{type: string}}}}
      requestBody:
        content:
          application/octet-stream:
            schema: {{type: string, format: binary}}
{RESULT}
  /images:
    post:
      requestBody:
        content:
          image/*: {{}}
{RESULT}
  /notes:
    post:
      requestBody:
        content:
          text/plain:
            schema: {{type: string}}
{RESULT}
components:
  schemas:
    Stored:
      type: object
      properties:
        id: {{type: string}}
"""
CONFIG = """
package: {package}
client: {sync: Store, async: AsyncStore}
resources:
  items:
    singular: item
    methods:
      label: post /labels
      title: put /title
      put_blob: put /blobs/{key}
      add_image: post /images
      note: post /notes
"""


class TestWholeBody:
    SPEC, CONFIG = SPEC, CONFIG

    def test_an_array_body(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "s1"})
        with wire.sync_client(sdk.Store) as client:
            stored = client.items.label(body=[{"name": "a"}, {"name": "b"}])
        assert stored.id == "s1"
        assert wire.sent_json() == [{"name": "a"}, {"name": "b"}]

    def test_a_string_body(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "s2"})
        with wire.sync_client(sdk.Store) as client:
            client.items.title(body="Hello")
        assert wire.sent_json() == "Hello"

    def test_extra_body_needs_an_object(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "s2"})
        with wire.sync_client(sdk.Store) as client, pytest.raises(TypeError, match="extra_body"):
            client.items.title(body="Hello", extra_body={"x": 1})
        assert wire.requests == []

    def test_a_binary_upload_is_sent_as_its_media_type(
        self, sdk: ModuleType, tmp_path: Path
    ) -> None:
        wire = Wire.json({"id": "s3"})
        path = tmp_path / "photo.png"
        path.write_bytes(PNG)
        with wire.sync_client(sdk.Store) as client:
            client.items.put_blob(key="k/1", body=path)
            client.items.put_blob(key="k2", body=("a.png", PNG, "image/png"))
        first, second = wire.requests
        assert first.url.raw_path == b"/blobs/k%2F1"
        assert first.content == PNG and second.content == PNG
        assert {r.headers["content-type"] for r in wire.requests} == {"application/octet-stream"}
        assert first.headers["content-length"] == str(len(PNG))

    def test_a_wildcard_takes_the_file_s_own_type(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "s4"})
        with wire.sync_client(sdk.Store) as client:
            client.items.add_image(body=PNG)
        assert wire.request.headers["content-type"] == "image/png"
        assert wire.request.content == PNG

    def test_text(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "s5"})
        with wire.sync_client(sdk.Store) as client:
            client.items.note(body="héllo")
        assert wire.request.headers["content-type"] == "text/plain; charset=utf-8"
        assert wire.request.content == "héllo".encode()

    def test_async(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "s6"})

        async def call() -> None:
            async with wire.async_client(sdk.AsyncStore) as client:
                await client.items.put_blob(key="k", body=PNG)
                await client.items.label(body=[{"name": "c"}])

        anyio.run(call)
        upload, labels = wire.requests
        assert upload.content == PNG
        assert json.loads(labels.content) == [{"name": "c"}]

    def test_generated_tests_name_a_wildcard_type(self, sdk: ModuleType) -> None:
        # The mock server takes `image/*` only as written; the file names it.
        tests = Path(sdk.__file__ or "").parent.parent / "tests" / "test_items.py"
        text = tests.read_text(encoding="utf-8")
        assert 'add_image(body=image_file("image/*"))' in text
        assert "put_blob(body=image_file(), " in text

    def test_generated_code_is_clean(self, sdk: ModuleType) -> None:
        assert_clean(sdk)
