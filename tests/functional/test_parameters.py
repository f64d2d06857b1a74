"""Path, query and header parameters on the wire, and an operation without a request body."""

from __future__ import annotations

from types import ModuleType

import anyio

from .helpers import Wire

SPEC = """
openapi: 3.1.0
info: {title: Gallery API, version: "1.0"}
servers:
  - url: https://gallery.example/v2
paths:
  /albums/{album_id}/pictures:
    parameters:
      - {name: album_id, in: path, required: true, description: The album., schema: {type: string}}
    get:
      summary: List the pictures of an album.
      parameters:
        - name: limit
          in: query
          description: How many at most.
          schema: {type: integer}
        - name: order
          in: query
          required: true
          description: Newest or oldest first.
          schema: {type: string, enum: [asc, desc]}
        - name: tag
          in: query
          description: Only pictures with all of these tags.
          schema: {type: array, items: {type: string}}
        - name: X-Request-Tag
          in: header
          description: A label for the server's logs.
          schema: {type: string}
        - name: Gallery-Features
          in: header
          description: Preview features, one comma-separated header.
          schema: {type: array, items: {type: string}}
        - name: Accept
          in: header
          description: Ignored, as OpenAPI says.
          schema: {type: string}
      responses:
        "200":
          description: A page of pictures.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/PictureList"}
  /albums/{album_id}/pictures/{picture_id}:
    get:
      summary: Fetch one picture.
      parameters:
        - {name: album_id, in: path, required: true, description: The album., schema: {type: string}}
        - {name: picture_id, in: path, required: true, description: The picture., schema: {type: integer}}
      responses:
        "200":
          description: The picture.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Picture"}
  /albums/{album_id}/pictures/{picture_id}/star:
    post:
      summary: Star a picture.
      parameters:
        - {name: album_id, in: path, required: true, description: The album., schema: {type: string}}
        - {name: picture_id, in: path, required: true, description: The picture., schema: {type: integer}}
      responses:
        "200":
          description: The starred picture.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Picture"}
components:
  schemas:
    Picture:
      type: object
      required: [id, url]
      properties:
        id: {type: integer, description: The picture's number.}
        url: {type: string, description: Where to download it.}
    PictureList:
      type: object
      required: [data]
      properties:
        data:
          type: array
          description: The pictures on this page.
          items: {$ref: "#/components/schemas/Picture"}
"""
CONFIG = """
package: {package}
client:
  sync: GalleryClient
  async: AsyncGalleryClient
  api_key_env: GALLERY_API_KEY
resources:
  pictures:
    methods:
      list: get /albums/{album_id}/pictures
      retrieve: get /albums/{album_id}/pictures/{picture_id}
      star: post /albums/{album_id}/pictures/{picture_id}/star
"""
PICTURE = {"id": 7, "url": "https://g.test/7.png"}


class TestParameters:
    SPEC, CONFIG = SPEC, CONFIG

    def test_path_query_and_header_parameters(self, sdk: ModuleType) -> None:
        wire = Wire.json({"data": [PICTURE]})
        with wire.sync_client(sdk.GalleryClient, base_url="https://g.test/v2") as client:
            page = client.pictures.list(
                album_id="a b/c",
                order="asc",
                limit=5,
                x_request_tag="t-1",
                gallery_features=["big", "fast"],
                tag=["x", "y"],
            )
            client.pictures.list(album_id="a", order="desc")
        assert type(page) is sdk.types.PictureList
        assert [(p.id, p.url) for p in page.data] == [(7, "https://g.test/7.png")]
        first, second = wire.requests
        assert first.method == "GET"
        assert first.url.raw_path == b"/v2/albums/a%20b%2Fc/pictures?order=asc&limit=5&tag=x&tag=y"
        assert first.headers["x-request-tag"] == "t-1"
        assert first.headers["gallery-features"] == "big,fast"
        assert first.headers["accept"] == "application/json"  # the ignored `Accept` parameter
        assert first.content == b""
        assert second.url.raw_path == b"/v2/albums/a/pictures?order=desc"
        assert "x-request-tag" not in second.headers and "gallery-features" not in second.headers

    def test_an_integer_path_parameter(self, sdk: ModuleType) -> None:
        wire = Wire.json(PICTURE)
        with wire.sync_client(sdk.GalleryClient) as client:
            picture = client.pictures.retrieve(album_id="holiday", picture_id=7)
        assert type(picture) is sdk.types.Picture and picture.id == 7
        assert str(wire.request.url) == "https://gallery.example/v2/albums/holiday/pictures/7"

    def test_an_operation_without_a_request_body_sends_none(self, sdk: ModuleType) -> None:
        wire = Wire.json(PICTURE)
        with wire.sync_client(sdk.GalleryClient, base_url="https://g.test/v2") as client:
            picture = client.pictures.star(album_id="a", picture_id=7)
        assert picture.id == 7
        request = wire.request
        assert (request.method, request.url.path) == ("POST", "/v2/albums/a/pictures/7/star")
        assert request.content == b""
        assert "content-type" not in request.headers

    def test_async_and_extra_headers_win(self, sdk: ModuleType) -> None:
        wire = Wire.json({"data": []})

        async def call() -> object:
            async with wire.async_client(sdk.AsyncGalleryClient) as client:
                return await client.pictures.list(
                    album_id="a",
                    order="asc",
                    x_request_tag="t-2",
                    extra_headers={"X-Request-Tag": "t-3"},
                    extra_query={"page": "2"},
                )

        page = anyio.run(call)
        assert type(page) is sdk.types.PictureList and page.data == []
        request = wire.request
        assert request.headers.get_list("x-request-tag") == ["t-3"]
        assert str(request.url) == "https://gallery.example/v2/albums/a/pictures?order=asc&page=2"
