"""Multipart `encoding`: the content type the document names for a field's part. A JSON
type sends the whole value as one JSON part (a list of strings too, which would otherwise be
repeated parts); another type goes into the part's header."""

from __future__ import annotations

import textwrap
from pathlib import Path
from types import ModuleType

import anyio
import pytest
from sdkforge.diagnostics import SpecError

from .helpers import Part, Wire, generated_package, multipart_parts
from .typecheck import assert_clean

SPEC = """
openapi: 3.0.3
info: {title: Album API, version: 1.0.0}
servers:
  - url: https://album.example.test
paths:
  /photos:
    post:
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              required: [photo]
              properties:
                photo: {type: string, format: binary}
                labels: {type: array, items: {type: string}}
                caption: {type: string}
                meta: {type: object, properties: {camera: {type: string}}}
                tags: {type: array, items: {type: string}}
            encoding:
              labels: {contentType: application/json}
              caption: {contentType: 'text/markdown, text/plain'}
              meta: {contentType: application/vnd.album+json}
              photo: {contentType: image/png}
      responses:
        '200':
          description: Done.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Photo'}
components:
  schemas:
    Photo:
      type: object
      properties:
        id: {type: string}
"""
CONFIG = """
package: {package}
client: {sync: Album, async: AsyncAlbum}
resources:
  photos:
    singular: photo
    methods:
      upload: post /photos
"""
PNG = b"\x89PNG\r\n\x1a\n"


class TestEncoding:
    SPEC, CONFIG = SPEC, CONFIG

    def test_parts_take_the_content_type_the_document_names(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "p1"})
        with wire.sync_client(sdk.Album) as client:
            client.photos.upload(
                photo=PNG,
                labels=["sea", "sky"],
                caption="*hi*",
                meta={"camera": "x"},
                tags=["a", "b"],
            )
        assert multipart_parts(wire.request) == [
            Part("caption", None, "text/markdown", b"*hi*"),
            Part("labels", None, "application/json", b'["sea","sky"]'),
            Part("meta", None, "application/vnd.album+json", b'{"camera":"x"}'),
            Part("tags", None, None, b"a"),
            Part("tags", None, None, b"b"),
            Part("photo", "upload.png", "image/png", PNG),
        ]

    def test_async(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "p2"})

        async def call() -> None:
            async with wire.async_client(sdk.AsyncAlbum) as client:
                await client.photos.upload(photo=PNG, labels=["one"])

        anyio.run(call)
        parts = multipart_parts(wire.request)
        assert Part("labels", None, "application/json", b'["one"]') in parts

    def test_generated_code_is_clean(self, sdk: ModuleType) -> None:
        assert_clean(sdk)


def test_a_content_type_that_is_not_a_media_type_is_refused(tmp_path: Path) -> None:
    bad = 'caption: {contentType: "text/plain\\r\\nX-Injected: yes"}'
    spec = SPEC.replace("caption: {contentType: 'text/markdown, text/plain'}", bad)
    with pytest.raises(SpecError) as caught, generated_package(spec, CONFIG, tmp_path, "fn_enc"):
        pass
    (problem,) = {str(d) for d in caught.value.diagnostics}
    line = next(
        n for n, text in enumerate(textwrap.dedent(spec).splitlines(), 1) if "X-Injected" in text
    )
    assert f"openapi.yaml:{line}:" in problem
    assert "is not a media type" in problem
