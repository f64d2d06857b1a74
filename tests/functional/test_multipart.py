"""multipart/form-data bodies: one file or several, as bytes, a Path, a file object or a
(filename, content[, type]) tuple, beside plain form fields; sync and async."""

from __future__ import annotations

import io
from pathlib import Path
from types import ModuleType

import anyio

from .helpers import Part, Wire, multipart_parts

SPEC = """
openapi: 3.1.0
info: {title: Photo Retouch API, version: 0.3.0}
servers:
  - url: https://retouch.example.test
paths:
  /photos/retouch:
    post:
      summary: Retouch one or more photos.
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema: {$ref: '#/components/schemas/RetouchRequest'}
      responses:
        '200':
          description: Where the retouched photos are.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/RetouchResult'}
components:
  schemas:
    RetouchRequest:
      type: object
      required: [photo, filter]
      properties:
        photo:
          description: One photo or several.
          anyOf:
            - {type: string, format: binary}
            - type: array
              items: {type: string, format: binary}
        mask: {type: string, format: binary, description: Where to retouch.}
        filter: {type: string, description: The filter to apply.}
        strength: {type: number, description: From 0 to 1.}
        keep_exif: {type: boolean, description: Keep the photos' metadata.}
    RetouchResult:
      type: object
      required: [urls]
      properties:
        urls:
          type: array
          items: {type: string}
          description: One address per photo.
"""
CONFIG = """
package: {package}
client:
  sync: Retouch
  async: AsyncRetouch
  api_key_env: RETOUCH_API_KEY
resources:
  photos:
    methods:
      retouch: post /photos/retouch
# The parts of a list named `photo[]`; tests/functional/test_multipart_forms.py has the default.
multipart: {array_names: brackets}
"""
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))  # every byte value, CR and LF among them
RESULT = {"urls": ["https://retouch.example.test/1.png"]}


def _retouch(sdk: ModuleType, **arguments: object) -> tuple[object, list[Part]]:
    wire = Wire.json(RESULT)
    with wire.sync_client(sdk.Retouch) as client:
        result = client.photos.retouch(**arguments)
    request = wire.request
    assert (request.method, str(request.url)) == (
        "POST",
        "https://retouch.example.test/photos/retouch",
    )
    # a body whose size is known up front says so; one streamed without it is chunked
    if "content-length" in request.headers:
        assert request.headers["content-length"] == str(len(request.content))
    else:
        assert request.headers["transfer-encoding"] == "chunked"
    return result, multipart_parts(request)


class TestMultipart:
    SPEC, CONFIG = SPEC, CONFIG

    def test_one_file_as_bytes_and_the_form_fields(self, sdk: ModuleType) -> None:
        result, parts = _retouch(sdk, photo=PNG, filter="sepia", strength=0.5, keep_exif=False)
        assert type(result) is sdk.types.RetouchResult
        assert result.urls == RESULT["urls"]
        assert parts == [
            Part("filter", None, None, b"sepia"),
            Part("keep_exif", None, None, b"false"),
            Part("strength", None, None, b"0.5"),
            Part("photo", "upload.png", "image/png", PNG),
        ]

    def test_a_path_sends_its_name_and_content(self, sdk: ModuleType, tmp_path: Path) -> None:
        photo = tmp_path / "beach.jpg"
        photo.write_bytes(b"\xff\xd8\xff jpeg bytes")
        _, parts = _retouch(sdk, photo=photo, filter="warm")
        assert parts[-1] == Part("photo", "beach.jpg", "image/jpeg", b"\xff\xd8\xff jpeg bytes")

    def test_tuples_name_and_type_the_file(self, sdk: ModuleType) -> None:
        _, parts = _retouch(
            sdk,
            photo=("scan.bin", b"raw", "image/webp"),
            mask=("mask.png", PNG),
            filter="none",
        )
        assert parts[1:] == [
            Part("photo", "scan.bin", "image/webp", b"raw"),
            Part("mask", "mask.png", "image/png", PNG),
        ]

    def test_several_files_are_repeated_parts(self, sdk: ModuleType, tmp_path: Path) -> None:
        first = tmp_path / "first.png"
        first.write_bytes(PNG)
        opened = io.BytesIO(b"GIF89a...")
        _, parts = _retouch(sdk, photo=[first, opened, ("c.txt", b"text")], filter="grey")
        assert parts == [
            Part("filter", None, None, b"grey"),
            Part("photo[]", "first.png", "image/png", PNG),
            Part("photo[]", "upload.gif", "image/gif", b"GIF89a..."),
            Part("photo[]", "c.txt", "text/plain", b"text"),
        ]
        assert not opened.closed, "a file object passed in stays open for its owner"

    def test_async(self, sdk: ModuleType, tmp_path: Path) -> None:
        photo = tmp_path / "night.png"
        photo.write_bytes(PNG)
        wire = Wire.json(RESULT)

        async def call() -> object:
            async with wire.async_client(sdk.AsyncRetouch) as client:
                return await client.photos.retouch(photo=[photo, PNG], filter="cool", mask=PNG)

        result = anyio.run(call)
        assert type(result) is sdk.types.RetouchResult
        assert multipart_parts(wire.request) == [
            Part("filter", None, None, b"cool"),
            Part("photo[]", "night.png", "image/png", PNG),
            Part("photo[]", "upload.png", "image/png", PNG),
            Part("mask", "upload.png", "image/png", PNG),
        ]
