"""Real image APIs' constructs together, as they come in one document: each class holds a
small spec written the way such APIs write theirs, generates it, and checks that the package
passes ruff and mypy --strict, that its own tests pass against the Steady mock server, and
that calls through a canned transport send the right wire and give the right values.

Render Cloud (Luma- or Magic Hour-like): an `x-api-key` header, server variables, camelCase
names, `$ref` parameters and responses, path-level parameters, a discriminated `oneOf` of
`allOf` bodies, a cursor page, a job to poll, a nested resource, image bytes, a 204.

Photo Tools (Picsart- or Photoroom-like): an `X-Api-Key` header, multipart bodies that are
`allOf` a `$ref` and an inline object or of two `$ref`s (integers, lists: what the mock's
spec copy writes out), not marked required, with files, integers, booleans,
lists and a JSON part; a union response of `$ref`s and one of inline objects; a form body
answered with image bytes; `application/json; charset=utf-8`; a map response; header and
cookie parameters; a `text/plain` answer with `security: []`.

Flux Studio (Black Forest Labs-like): a relative server and `default_base_url`, bearer or
`x-key` alternatives, a `$ref` request body, keys that are not names (`aspect-ratio`,
`from`, `class`, `owned-by`), 3.1 nullable types, `format: byte`, callbacks (ignored), an
offset page, an `allOf` response, integer path and header parameters, a list of files, a 202
without content.

Model Zoo (Replicate-like): the key in the query, a body schema shared with the response
(its `readOnly` fields are not arguments), a `$ref` to a `$ref`, fields named like pydantic's
own (`schema`, `json`, `copy`, `fields`, `model_id`), `allOf: [$ref]` made nullable, a
`*/*` answer with a JSON schema (as springdoc writes), a free-form object body.

Vertex-like (Google style): oauth2 as a bearer token, a server variable, a path that ends in
`{model}:predict`, path-level `$ref` parameters (a `$ref` to a `$ref`), a fixed version
header, a query parameter named `page[size]`, a page token, resources three deep, an `anyOf`
body of `$ref`s, `format: byte`, an enum with an empty value.
"""

from __future__ import annotations

import importlib
import inspect
import json
from collections.abc import Callable
from types import ModuleType

import anyio
import httpx

from .generated_tests import assert_generated_tests_pass
from .helpers import multipart_parts
from .typecheck import assert_clean

RENDER_SPEC = """
openapi: 3.1.0
info: {title: Render Cloud API, version: "2.0"}
servers:
  - url: https://{region}.render.example/{version}
    variables:
      region: {default: eu, enum: [eu, us]}
      version: {default: v2}
security:
  - ApiKey: []
components:
  securitySchemes:
    ApiKey: {type: apiKey, in: header, name: x-api-key}
  parameters:
    GenerationId:
      name: generationId
      in: path
      required: true
      description: The generation's id.
      schema: {type: string}
    Limit:
      name: limit
      in: query
      description: How many at most.
      schema: {type: integer, minimum: 1, maximum: 100, default: 20}
  responses:
    Generation:
      description: One generation.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Generation"}
    Error:
      description: An error.
      content:
        application/json:
          schema:
            type: object
            properties:
              message: {type: string}
  schemas:
    State:
      type: string
      enum: [queued, dreaming, completed, failed]
    Asset:
      type: object
      required: [assetId, url]
      properties:
        assetId: {type: string}
        url: {type: string, format: uri}
        mimeType: {type: string}
    Generation:
      type: object
      required: [id, state, createdAt]
      properties:
        id: {type: string, format: uuid}
        state: {$ref: "#/components/schemas/State"}
        createdAt: {type: string, format: date-time}
        failureReason: {type: [string, "null"]}
        assets:
          type: array
          items: {$ref: "#/components/schemas/Asset"}
        request:
          oneOf:
            - $ref: "#/components/schemas/TextRequest"
            - $ref: "#/components/schemas/ImageRequest"
    BaseRequest:
      type: object
      properties:
        aspectRatio: {type: string, enum: ["1:1", "16:9", "9:16"], default: "1:1"}
        seed: {type: integer}
    TextRequest:
      allOf:
        - $ref: "#/components/schemas/BaseRequest"
        - type: object
          required: [generationType, prompt]
          properties:
            generationType: {type: string, enum: [text]}
            prompt: {type: string, maxLength: 2000}
            negativePrompt: {type: string}
    ImageRequest:
      allOf:
        - $ref: "#/components/schemas/BaseRequest"
        - type: object
          required: [generationType, imageUrl]
          properties:
            generationType: {type: string, enum: [image]}
            imageUrl: {type: string, format: uri}
            strength: {type: number, minimum: 0, maximum: 1}
    GenerationPage:
      type: object
      required: [generations]
      properties:
        generations:
          type: array
          items: {$ref: "#/components/schemas/Generation"}
        nextCursor: {type: [string, "null"]}
paths:
  /generations:
    get:
      operationId: listGenerations
      summary: List generations, newest first.
      parameters:
        - $ref: "#/components/parameters/Limit"
        - {name: cursor, in: query, schema: {type: string}}
        - name: states
          in: query
          style: form
          explode: false
          schema: {type: array, items: {$ref: "#/components/schemas/State"}}
      responses:
        "200":
          description: A page.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/GenerationPage"}
        default: {$ref: "#/components/responses/Error"}
    post:
      operationId: createGeneration
      summary: Start a generation.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf:
                - $ref: "#/components/schemas/TextRequest"
                - $ref: "#/components/schemas/ImageRequest"
              discriminator:
                propertyName: generationType
                mapping:
                  text: "#/components/schemas/TextRequest"
                  image: "#/components/schemas/ImageRequest"
      responses:
        "201": {$ref: "#/components/responses/Generation"}
        "422": {$ref: "#/components/responses/Error"}
  /generations/{generationId}:
    parameters:
      - $ref: "#/components/parameters/GenerationId"
    get:
      operationId: getGeneration
      summary: Read a generation.
      responses:
        "200": {$ref: "#/components/responses/Generation"}
    delete:
      operationId: deleteGeneration
      summary: Delete a generation.
      responses:
        "204": {description: Deleted.}
  /generations/{generationId}/image:
    parameters:
      - $ref: "#/components/parameters/GenerationId"
    get:
      operationId: downloadGenerationImage
      summary: The generated image's bytes.
      parameters:
        - {name: format, in: query, schema: {type: string, enum: [png, webp]}}
      responses:
        "200":
          description: The image.
          content:
            image/png:
              schema: {type: string, format: binary}
            image/webp:
              schema: {type: string, format: binary}
  /generations/{generationId}/assets/{assetId}:
    parameters:
      - $ref: "#/components/parameters/GenerationId"
      - {name: assetId, in: path, required: true, schema: {type: string}}
    get:
      operationId: getGenerationAsset
      summary: One asset of a generation.
      responses:
        "200":
          description: The asset.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Asset"}
  /credits:
    get:
      operationId: getCredits
      summary: What is left.
      responses:
        "200":
          description: Credits.
          content:
            application/json:
              schema:
                type: object
                required: [creditBalance]
                properties:
                  creditBalance: {type: number}
                  plan:
                    type: object
                    properties:
                      name: {type: string}
                      renewsAt: {type: string, format: date-time}
"""
RENDER_CONFIG = """
package: {package}
client:
  sync: RenderClient
  async: AsyncRenderClient
  api_key_env: RENDER_API_KEY
resources:
  generations:
    singular: generation
    methods:
      list: get /generations
      create: post /generations
      get: get /generations/{generationId}
      delete: delete /generations/{generationId}
      download_image: get /generations/{generationId}/image
    resources:
      assets:
        singular: asset
        methods:
          get: get /generations/{generationId}/assets/{assetId}
  credits_api:
    methods:
      get: get /credits
pagination:
  style: cursor
  items: generations
  param: cursor
  field: nextCursor
  methods: [generations.list]
poll:
  generations.create:
    get: generations.get
    id: id
    status: state
    done: [completed]
    failed: [failed]
    interval: 0.01
    timeout: 5
"""

GENERATION = {"id": "g1", "state": "completed", "createdAt": "2026-01-01T00:00:00Z"}


def _server(
    answer: Callable[[httpx.Request], httpx.Response],
) -> tuple[list[httpx.Request], httpx.MockTransport]:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answer(request)

    return seen, httpx.MockTransport(handle)


def _render_api(request: httpx.Request) -> httpx.Response:
    """A small Render Cloud: two pages of generations, a job done on its second read."""
    path, query = request.url.raw_path.decode().partition("?")[0], request.url.params
    if path == "/v2/generations" and request.method == "GET":
        if query.get("cursor") == "p2":
            return httpx.Response(200, json={"generations": [{**GENERATION, "id": "g2"}]})
        return httpx.Response(200, json={"generations": [GENERATION], "nextCursor": "p2"})
    if path == "/v2/generations" and request.method == "POST":
        return httpx.Response(201, json={**GENERATION, "state": "queued"})
    if path == "/v2/generations/g1" and request.method == "GET":
        reads = int(request.headers.get("x-read", "0"))
        return httpx.Response(
            200, json={**GENERATION, "state": "dreaming" if reads else "completed"}
        )
    if path == "/v2/generations/g1" and request.method == "DELETE":
        return httpx.Response(204)
    if path == "/v2/generations/g1/image":
        return httpx.Response(200, content=b"\x89PNG-bytes", headers={"content-type": "image/png"})
    if path == "/v2/generations/g1/assets/a%2Fb":
        return httpx.Response(200, json={"assetId": "a/b", "url": "https://cdn.test/a.png"})
    if path == "/v2/credits":
        return httpx.Response(200, json={"creditBalance": 12.5, "plan": {"name": "pro"}})
    return httpx.Response(404, json={"message": path})


class TestRenderCloud:
    SPEC, CONFIG = RENDER_SPEC, RENDER_CONFIG

    def test_the_package_passes_ruff_and_mypy_strict(self, sdk: ModuleType) -> None:
        assert_clean(sdk)

    def test_its_generated_tests_pass_against_steady(self, sdk: ModuleType) -> None:
        assert_generated_tests_pass(sdk)

    def test_calls_send_the_documented_wire(self, sdk: ModuleType) -> None:
        seen, transport = _server(_render_api)
        with sdk.RenderClient(
            api_key="key-1", max_retries=0, http_client=httpx.Client(transport=transport)
        ) as client:
            assert str(client.base_url).rstrip("/") == "https://eu.render.example/v2"
            made = client.generations.create(
                generation_type="text", prompt="a fox", negative_prompt="blur", aspect_ratio="16:9"
            )
            assert made.state == "queued" and made.created_at.year == 2026
            ids = [g.id for g in client.generations.list(limit=1, states=["completed", "failed"])]
            image = client.generations.download_image(generation_id="g1", format="png")
            asset = client.generations.assets.get(generation_id="g1", asset_id="a/b")
            deleted = client.generations.delete(generation_id="g1")
            credits = client.credits_api.get()
            done = client.generations.create_and_wait(
                generation_type="image", image_url="https://i.test/x.png"
            )
        assert json.loads(seen[0].content) == {
            "generationType": "text",
            "prompt": "a fox",
            "negativePrompt": "blur",
            "aspectRatio": "16:9",
        }
        assert ids == ["g1", "g2"]
        assert seen[1].url.params.get("states") == "completed,failed"
        assert seen[2].url.params.get("cursor") == "p2"
        assert image.content == b"\x89PNG-bytes"
        assert seen[3].headers["accept"] == "image/png, image/webp"
        assert (asset.asset_id, asset.url) == ("a/b", "https://cdn.test/a.png")
        assert deleted is None
        assert credits.credit_balance == 12.5 and credits.plan is not None
        assert credits.plan.name == "pro"
        assert done.state == "completed"
        assert json.loads(seen[7].content) == {
            "generationType": "image",
            "imageUrl": "https://i.test/x.png",
        }
        assert all(r.headers["x-api-key"] == "key-1" for r in seen)
        assert all("authorization" not in r.headers for r in seen)

    def test_async_pages_and_job(self, sdk: ModuleType) -> None:
        seen, transport = _server(_render_api)

        async def main() -> tuple[list[str], str]:
            async with sdk.AsyncRenderClient(
                api_key="k", max_retries=0, http_client=httpx.AsyncClient(transport=transport)
            ) as client:
                ids = [g.id async for g in client.generations.list()]
                done = await client.generations.create_and_wait(generation_type="text", prompt="p")
                return ids, done.state

        assert anyio.run(main) == (["g1", "g2"], "completed")
        assert [r.method for r in seen] == ["GET", "GET", "POST", "GET"]


PHOTO_SPEC = """
openapi: 3.0.1
info: {title: Photo Tools API, version: "1.0"}
servers:
  - url: https://api.phototools.example/tools/1.0
security:
  - apiKey: []
components:
  securitySchemes:
    apiKey: {type: apiKey, in: header, name: X-Api-Key}
  schemas:
    ImageSource:
      type: object
      properties:
        image: {type: string, format: binary, description: The image file.}
        image_url: {type: string, format: uri, description: Or its URL.}
    Result:
      type: object
      properties:
        status: {type: string, enum: [success]}
        data:
          type: object
          properties:
            id: {type: string}
            url: {type: string}
    UpscaleParameters:
      type: object
      required: [upscale_factor]
      properties:
        upscale_factor: {type: integer, enum: [2, 4, 8]}
        sizes: {type: array, items: {type: integer}}
    Pending:
      type: object
      required: [status, transaction_id]
      properties:
        status: {type: string, enum: [processing]}
        transaction_id: {type: string}
  responses:
    Done:
      description: The result.
      content:
        application/json; charset=utf-8:
          schema: {$ref: "#/components/schemas/Result"}
    BadRequest:
      description: Wrong input.
      content:
        application/json:
          schema: {type: object, properties: {detail: {type: string}}}
paths:
  /removebg:
    post:
      operationId: image-remove-background
      summary: Cut the subject out.
      requestBody:
        content:
          multipart/form-data:
            schema:
              allOf:
                - $ref: "#/components/schemas/ImageSource"
                - type: object
                  properties:
                    output_type: {type: string, enum: [cutout, mask], default: cutout}
                    bg_blur: {type: integer, minimum: 0, maximum: 100}
                    crop: {type: boolean}
                    tags: {type: array, items: {type: string}}
                    options:
                      type: object
                      properties:
                        feather: {type: number}
            encoding:
              options: {contentType: application/json}
      responses:
        "200": {$ref: "#/components/responses/Done"}
        "400": {$ref: "#/components/responses/BadRequest"}
  /upscale/ultra:
    post:
      operationId: image-ultra-upscale
      summary: Upscale, at once or as a job.
      parameters:
        - {name: mode, in: query, schema: {type: string, enum: [sync, async]}}
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              allOf:
                - $ref: "#/components/schemas/ImageSource"
                - $ref: "#/components/schemas/UpscaleParameters"
      responses:
        "200":
          description: Done, or still running.
          content:
            application/json:
              schema:
                oneOf:
                  - $ref: "#/components/schemas/Result"
                  - $ref: "#/components/schemas/Pending"
  /upscale/ultra/{transaction_id}:
    get:
      operationId: image-ultra-upscale-result
      summary: The job's result.
      parameters:
        - {name: transaction_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: The result or the state.
          content:
            application/json:
              schema:
                anyOf:
                  - type: object
                    required: [status, data]
                    properties:
                      status: {type: string, enum: [success]}
                      data: {type: object, properties: {url: {type: string}}}
                  - type: object
                    required: [status]
                    properties:
                      status: {type: string, enum: [processing, failed]}
  /edit:
    post:
      operationId: image-edit
      summary: Resize; answers with the image itself.
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [image_url, width]
              properties:
                image_url: {type: string}
                width: {type: integer}
                mode: {type: string, enum: [fit, fill]}
                flip: {type: array, items: {type: string, enum: [h, v]}}
      responses:
        "200":
          description: The image.
          content:
            image/png: {schema: {type: string, format: binary}}
            image/jpeg: {schema: {type: string, format: binary}}
  /tags:
    post:
      operationId: image-tags
      summary: Tag an image.
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [image_url]
              properties:
                image_url: {type: string}
                max_tags: {type: integer, nullable: true}
      responses:
        "200":
          description: Tags and their scores.
          content:
            application/json:
              schema:
                type: object
                required: [data]
                properties:
                  data:
                    type: array
                    items:
                      type: object
                      required: [label, score]
                      properties:
                        label: {type: string}
                        score: {type: number}
                        deprecatedScore: {type: number, deprecated: true}
  /balance:
    get:
      operationId: balance
      summary: Credits per plan.
      parameters:
        - {name: X-Account, in: header, schema: {type: string}}
        - {name: team, in: cookie, schema: {type: string}}
      responses:
        "200":
          description: The credits.
          content:
            application/json:
              schema:
                type: object
                additionalProperties: {type: integer}
  /health:
    get:
      operationId: health
      summary: Is it up.
      security: []
      responses:
        "200":
          description: The state.
          content:
            text/plain: {schema: {type: string}}
"""
PHOTO_CONFIG = """
package: {package}
client:
  sync: PhotoTools
  async: AsyncPhotoTools
  api_key_env: PHOTO_TOOLS_KEY
resources:
  images:
    singular: image
    methods:
      remove_background: post /removebg
      ultra_upscale: post /upscale/ultra
      get_ultra_upscale_result: get /upscale/ultra/{transaction_id}
      edit: post /edit
      tag: post /tags
  account:
    methods:
      balance: get /balance
      health: get /health
"""


def _photo_api(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path.endswith("/removebg"):
        return httpx.Response(200, json={"status": "success", "data": {"id": "r", "url": "u"}})
    if path.endswith("/upscale/ultra"):
        return httpx.Response(200, json={"status": "processing", "transaction_id": "t1"})
    if path.endswith("/upscale/ultra/t1"):
        return httpx.Response(200, json={"status": "success", "data": {"url": "https://r.test"}})
    if path.endswith("/edit"):
        return httpx.Response(200, content=b"JPEG", headers={"content-type": "image/jpeg"})
    if path.endswith("/tags"):
        return httpx.Response(200, json={"data": [{"label": "fox", "score": 0.9}]})
    if path.endswith("/balance"):
        return httpx.Response(200, json={"free": 3, "pro": 120})
    return httpx.Response(200, text="ok", headers={"content-type": "text/plain"})


class TestPhotoTools:
    SPEC, CONFIG = PHOTO_SPEC, PHOTO_CONFIG

    def test_the_package_passes_ruff_and_mypy_strict(self, sdk: ModuleType) -> None:
        assert_clean(sdk)

    def test_its_generated_tests_pass_against_steady(self, sdk: ModuleType) -> None:
        assert_generated_tests_pass(sdk)

    def test_calls_send_the_documented_wire(self, sdk: ModuleType) -> None:
        seen, transport = _server(_photo_api)
        with sdk.PhotoTools(
            api_key="key-2", max_retries=0, http_client=httpx.Client(transport=transport)
        ) as client:
            nothing = client.images.remove_background()
            cut = client.images.remove_background(
                image=("fox.png", b"PNG", "image/png"),
                bg_blur=10,
                crop=True,
                tags=["a", "b"],
                options={"feather": 0.5},
            )
            pending = client.images.ultra_upscale(
                upscale_factor=4, image_url="https://i.test", mode="async"
            )
            result = client.images.get_ultra_upscale_result(transaction_id="t1")
            image = client.images.edit(image_url="https://i.test", width=64, flip=["h", "v"])
            tags = client.images.tag(image_url="https://i.test", max_tags=None)
            balance = client.account.balance(x_account="acme", team="t 1")
            health = client.account.health()
        assert nothing.status == "success" and seen[0].content == b""
        assert cut.data is not None and cut.data.url == "u"
        parts = [(p.name, p.filename, p.content_type, p.data) for p in multipart_parts(seen[1])]
        assert parts == [
            ("bg_blur", None, None, b"10"),
            ("crop", None, None, b"true"),
            ("options", None, "application/json", b'{"feather":0.5}'),
            ("tags", None, None, b"a"),
            ("tags", None, None, b"b"),
            ("image", "fox.png", "image/png", b"PNG"),
        ]
        assert isinstance(pending, sdk.types.Pending) and pending.transaction_id == "t1"
        assert seen[2].url.params["mode"] == "async"
        assert {p.name: p.data for p in multipart_parts(seen[2])} == {
            "image_url": b"https://i.test",
            "upscale_factor": b"4",
        }
        assert result.status == "success"
        variants = sdk.types.image_get_ultra_upscale_result_response
        assert isinstance(result, variants.ImageGetUltraUpscaleResultResponseVariant1)
        assert result.data.url == "https://r.test"
        assert image.content == b"JPEG"
        assert seen[4].headers["accept"] == "image/png, image/jpeg"
        assert seen[4].content == b"image_url=https%3A%2F%2Fi.test&width=64&flip=h&flip=v"
        assert json.loads(seen[5].content) == {"image_url": "https://i.test", "max_tags": None}
        assert [(t.label, t.score) for t in tags.data] == [("fox", 0.9)]
        assert balance == {"free": 3, "pro": 120}
        assert seen[6].headers["x-account"] == "acme"
        assert seen[6].headers["cookie"] == "team=t%201"
        assert health == "ok"
        assert all(r.headers["x-api-key"] == "key-2" for r in seen[:7])
        assert "x-api-key" not in seen[7].headers


FLUX_SPEC = """
openapi: 3.1.0
info: {title: Flux Studio API, version: "1.0"}
servers:
  - url: /v1
security:
  - bearer: []
  - key: []
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    key: {type: apiKey, in: header, name: x-key}
  requestBodies:
    Generate:
      required: true
      content:
        application/json:
          schema: {$ref: "#/components/schemas/v1.GenerateInput"}
  schemas:
    v1.GenerateInput:
      type: object
      required: [prompt]
      properties:
        prompt: {type: string, examples: ["a fox"]}
        aspect-ratio: {type: string, default: "1:1"}
        from: {type: integer, description: A start frame.}
        output_format: {anyOf: [{type: string, enum: [jpeg, png]}, {type: "null"}]}
        seed: {type: [integer, "null"]}
        safety_tolerance: {type: integer, enum: [0, 1, 2, 3]}
        image_prompt: {type: string, format: byte, description: Base64 image.}
        loras:
          type: array
          items:
            type: object
            required: [path]
            properties:
              path: {type: string}
              scale: {type: number, default: 1}
        metadata: {type: object, additionalProperties: true}
        webhook_url: {type: [string, "null"], format: uri}
        style: {$ref: "#/components/schemas/Style"}
    Style:
      title: Style preset
      type: string
      enum: [photo, anime, "3d-render"]
    AsyncTask:
      type: object
      required: [id, polling_url]
      properties:
        id: {type: string}
        polling_url: {type: string}
    ResultStatus:
      type: string
      enum: [Task not found, Pending, Ready, Error, Content Moderated]
    GetResult:
      type: object
      required: [id, status]
      properties:
        id: {type: string}
        status: {$ref: "#/components/schemas/ResultStatus"}
        result:
          anyOf:
            - type: object
              properties:
                sample: {type: string}
            - {type: "null"}
        progress: {type: [number, "null"]}
        details:
          oneOf:
            - {type: object, additionalProperties: true}
            - {type: "null"}
    Model:
      type: object
      required: [id]
      properties:
        id: {type: string}
        class: {type: string}
        owned-by: {type: string}
    ModelList:
      type: object
      required: [items, total]
      properties:
        items: {type: array, items: {$ref: "#/components/schemas/Model"}}
        total: {type: integer}
  responses:
    Task:
      description: The task started.
      headers:
        X-Request-Id: {schema: {type: string}}
      content:
        application/json:
          schema: {$ref: "#/components/schemas/AsyncTask"}
paths:
  /flux-pro:
    post:
      operationId: generate_flux_pro_flux_pro_post
      summary: Generate with Flux Pro.
      requestBody: {$ref: "#/components/requestBodies/Generate"}
      callbacks:
        done:
          "{$request.body#/webhook_url}":
            post:
              requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/GetResult"}}}}
              responses: {"200": {description: ok}}
      responses:
        "200": {$ref: "#/components/responses/Task"}
        "422":
          description: Validation error.
          content:
            application/json:
              schema: {type: object, properties: {detail: {type: array, items: {type: object}}}}
  /get_result:
    get:
      operationId: get_result_get_result_get
      summary: Read a task.
      parameters:
        - {name: id, in: query, required: true, schema: {type: string}}
      responses:
        "200":
          description: The task.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/GetResult"}
  /models:
    get:
      operationId: list_models
      summary: The models, a page at a time.
      parameters:
        - {name: offset, in: query, schema: {type: integer, default: 0}}
        - {name: limit, in: query, schema: {type: integer, default: 10}}
        - {name: class, in: query, schema: {type: string}}
      responses:
        "200":
          description: A page.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/ModelList"}
  /models/{model_id}:
    get:
      operationId: get_model
      summary: One model.
      parameters:
        - {name: model_id, in: path, required: true, schema: {type: integer}}
        - {name: X-Revision, in: header, schema: {type: integer}}
      responses:
        "200":
          description: The model.
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/Model"
                  - type: object
                    properties:
                      created: {type: integer}
  /uploads:
    post:
      operationId: upload_images
      summary: Upload reference images.
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [images]
              properties:
                images: {type: array, items: {type: string, format: binary}}
                purpose: {type: string, const: reference}
                labels: {type: array, items: {type: string}}
      responses:
        "201":
          description: Uploaded.
          content:
            application/json:
              schema:
                type: array
                items: {type: object, required: [file_id], properties: {file_id: {type: string}}}
  /uploads/{file_id}:
    delete:
      operationId: delete_upload
      summary: Delete an upload.
      parameters:
        - {name: file_id, in: path, required: true, schema: {type: string}}
      responses:
        "202": {description: Accepted, will be deleted.}
"""
FLUX_CONFIG = """
package: {package}
client:
  sync: Flux
  async: AsyncFlux
  api_key_env: FLUX_KEY
  default_base_url: https://api.flux.example/v1
resources:
  tasks:
    singular: task
    methods:
      generate_pro: post /flux-pro
      get: get /get_result
  models:
    singular: model
    methods:
      list: get /models
      retrieve: get /models/{model_id}
  uploads:
    singular: upload
    methods:
      create: post /uploads
      delete: delete /uploads/{file_id}
pagination:
  style: offset
  items: items
  param: offset
  methods: [models.list]
"""


def _flux_api(request: httpx.Request) -> httpx.Response:
    path, query = request.url.path, request.url.params
    if path == "/v1/flux-pro":
        return httpx.Response(
            200, json={"id": "t1", "polling_url": "https://api.flux.example/v1/get_result?id=t1"}
        )
    if path == "/v1/get_result":
        return httpx.Response(
            200, json={"id": "t1", "status": "Ready", "result": {"sample": "s"}, "progress": None}
        )
    if path == "/v1/models":
        offset = int(query.get("offset", "0"))
        items = [
            {"id": f"m{n}", "class": "flux", "owned-by": "bfl"}
            for n in range(offset, min(offset + 2, 3))
        ]
        return httpx.Response(200, json={"items": items, "total": 3})
    if path == "/v1/models/7":
        return httpx.Response(200, json={"id": "m7", "created": 5})
    if path == "/v1/uploads":
        return httpx.Response(201, json=[{"file_id": "f1"}, {"file_id": "f2"}])
    return httpx.Response(202)


class TestFluxStudio:
    SPEC, CONFIG = FLUX_SPEC, FLUX_CONFIG

    def test_the_package_passes_ruff_and_mypy_strict(self, sdk: ModuleType) -> None:
        assert_clean(sdk)

    def test_its_generated_tests_pass_against_steady(self, sdk: ModuleType) -> None:
        assert_generated_tests_pass(sdk)

    def test_calls_send_the_documented_wire(self, sdk: ModuleType) -> None:
        seen, transport = _server(_flux_api)
        with sdk.Flux(
            api_key="key-3", max_retries=0, http_client=httpx.Client(transport=transport)
        ) as client:
            assert str(client.base_url).rstrip("/") == "https://api.flux.example/v1"
            task = client.tasks.generate_pro(
                prompt="a fox",
                aspect_ratio="16:9",
                from_=2,
                seed=None,
                loras=[{"path": "l.safetensors", "scale": 0.5}],
                metadata={"k": [1]},
                style="3d-render",
            )
            result = client.tasks.get(id=task.id)
            models = [
                (m.id, m.class_, m.owned_by) for m in client.models.list(limit=2, class_="flux")
            ]
            model = client.models.retrieve(model_id=7, x_revision=2)
            uploaded = client.uploads.create(images=[b"A", b"B"], labels=["x"])
            deleted = client.uploads.delete(file_id="f1")
        assert json.loads(seen[0].content) == {
            "prompt": "a fox",
            "aspect-ratio": "16:9",
            "from": 2,
            "seed": None,
            "loras": [{"path": "l.safetensors", "scale": 0.5}],
            "metadata": {"k": [1]},
            "style": "3d-render",
        }
        assert seen[0].headers["authorization"] == "Bearer key-3"
        assert "x-key" not in seen[0].headers
        assert result.status == "Ready" and result.result is not None
        assert result.result.sample == "s" and result.progress is None
        assert models == [("m0", "flux", "bfl"), ("m1", "flux", "bfl"), ("m2", "flux", "bfl")]
        # An offset page ends at an empty page.
        assert [r.url.params.get("offset") for r in seen[2:5]] == [None, "2", "3"]
        assert seen[2].url.params["class"] == "flux"
        assert (model.id, model.created) == ("m7", 5)
        assert seen[5].url.path == "/v1/models/7" and seen[5].headers["x-revision"] == "2"
        assert [u.file_id for u in uploaded] == ["f1", "f2"]
        names = [p.name for p in multipart_parts(seen[6])]
        assert sorted(names) == ["images", "images", "labels"]
        assert deleted is None and seen[7].method == "DELETE"


ZOO_SPEC = """
openapi: 3.0.3
info: {title: Model Zoo API, version: "1.0"}
servers:
  - url: https://zoo.example/api
security:
  - key: []
components:
  securitySchemes:
    key: {type: apiKey, in: query, name: api_key}
  schemas:
    Alias: {$ref: "#/components/schemas/Inference"}
    Inference:
      type: object
      required: [model_id, input]
      properties:
        id: {type: string, readOnly: true}
        created_at: {type: string, format: date-time, readOnly: true}
        model_id: {type: string}
        model_version: {type: string, nullable: true}
        input: {$ref: "#/components/schemas/Input"}
        secret: {type: string, writeOnly: true}
        schema: {type: string}
        json: {type: boolean}
        copy: {type: integer}
        fields: {type: array, items: {type: string}}
        status:
          allOf: [{$ref: "#/components/schemas/Status"}]
          nullable: true
          description: Where it is.
        output:
          $ref: "#/components/schemas/Output"
    Status: {type: string, enum: [starting, processing, succeeded, failed, canceled]}
    Input:
      type: object
      properties:
        prompt: {type: string}
        num_outputs: {type: integer, minimum: 1, maximum: 4}
        sizes: {type: array, items: {type: integer, enum: [512, 768, 1024]}}
    Output:
      type: object
      nullable: true
      properties:
        images: {type: array, items: {type: string, format: uri}}
paths:
  /inferences:
    post:
      summary: Run a model.
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Alias"}
      responses:
        "201":
          description: Started.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Inference"}
    get:
      summary: List them.
      parameters:
        - name: ids
          in: query
          schema: {type: array, items: {type: integer}}
      responses:
        "200":
          description: Them.
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Inference"}}
  /inferences/{id}/cancel:
    post:
      summary: Cancel one.
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: Cancelled.
          content:
            "*/*":
              schema: {$ref: "#/components/schemas/Inference"}
  /settings:
    put:
      summary: Replace the settings.
      requestBody:
        content:
          application/json:
            schema: {type: object}
      responses:
        "200":
          description: Saved.
          content:
            application/json:
              schema: {type: object, additionalProperties: true}
"""
ZOO_CONFIG = """
package: {package}
client:
  sync: Zoo
  async: AsyncZoo
  api_key_env: ZOO_KEY
resources:
  inferences:
    singular: inference
    methods:
      create: post /inferences
      list: get /inferences
      cancel: post /inferences/{id}/cancel
  settings:
    methods:
      replace: put /settings
"""

INFERENCE = {
    "id": "i1",
    "created_at": "2026-01-01T00:00:00Z",
    "model_id": "sdxl",
    "input": {"prompt": "p"},
    "schema": "v2",
    "json": True,
    "copy": 3,
    "fields": ["a"],
    "status": None,
    "output": {"images": ["https://o.test/1.png"]},
}


class TestModelZoo:
    SPEC, CONFIG = ZOO_SPEC, ZOO_CONFIG

    def test_the_package_passes_ruff_and_mypy_strict(self, sdk: ModuleType) -> None:
        assert_clean(sdk)

    def test_its_generated_tests_pass_against_steady(self, sdk: ModuleType) -> None:
        assert_generated_tests_pass(sdk)

    def test_read_only_fields_are_not_arguments(self, sdk: ModuleType) -> None:
        resources = importlib.import_module(f"{sdk.__name__}.resources.inferences")
        arguments = inspect.signature(resources.Inferences.create).parameters
        assert "id" not in arguments and "created_at" not in arguments
        assert {"model_id", "input", "secret", "schema", "json"} <= set(arguments)

    def test_calls_send_the_documented_wire(self, sdk: ModuleType) -> None:
        def answer(request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith("/cancel"):
                body = json.dumps({**INFERENCE, "status": "canceled"}).encode()
                return httpx.Response(
                    200, content=body, headers={"content-type": "application/json"}
                )
            if request.url.path.endswith("/settings"):
                return httpx.Response(200, json={"saved": True})
            return httpx.Response(
                201 if request.method == "POST" else 200,
                json=INFERENCE if request.method == "POST" else [INFERENCE],
            )

        seen, transport = _server(answer)
        with sdk.Zoo(
            api_key="key-4", max_retries=0, http_client=httpx.Client(transport=transport)
        ) as client:
            made = client.inferences.create(
                model_id="sdxl", input={"prompt": "p", "sizes": [512]}, schema="v2", json=True
            )
            listed = client.inferences.list(ids=[1, 2])
            cancelled = client.inferences.cancel(id="i1")
            saved = client.settings.replace(body={"theme": "dark"})
        assert json.loads(seen[0].content) == {
            "model_id": "sdxl",
            "input": {"prompt": "p", "sizes": [512]},
            "schema": "v2",
            "json": True,
        }
        assert (made.id, made.schema_, made.json_, made.copy_, made.fields) == (
            "i1",
            "v2",
            True,
            3,
            ["a"],
        )
        assert made.status is None and made.output is not None
        assert made.output.images == ["https://o.test/1.png"]
        assert [i.model_id for i in listed] == ["sdxl"]
        assert seen[1].url.params.get_list("ids") == ["1", "2"]
        assert cancelled.status == "canceled"
        assert saved == {"saved": True} and json.loads(seen[3].content) == {"theme": "dark"}
        assert all(r.url.params["api_key"] == "key-4" for r in seen)


VERTEX_SPEC = """
openapi: 3.0.3
info: {title: Vertex Like API, version: "1.0"}
servers:
  - url: https://{location}-aiplatform.example/v1
    variables:
      location: {default: us-central1}
security:
  - oauth: []
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials: {tokenUrl: https://auth.example/token, scopes: {}}
  parameters:
    Project: {$ref: "#/components/parameters/ProjectInner"}
    ProjectInner: {name: project, in: path, required: true, schema: {type: string}}
    PageSize: {name: "page[size]", in: query, schema: {type: integer, format: int32}}
    Version: {name: X-API-Version, in: header, required: true, schema: {type: string, enum: ["2024-06-01"]}}
  schemas:
    Instance:
      type: object
      properties:
        prompt: {type: string}
        image: {type: object, properties: {bytesBase64Encoded: {type: string, format: byte}, gcsUri: {type: string}}}
    Parameters:
      type: object
      properties:
        sampleCount: {type: integer, format: int64, minimum: 1, maximum: 4}
        aspectRatio: {type: string, enum: ["1:1", "9:16", "16:9", "3:4", "4:3"]}
        guidanceScale: {type: number, format: float}
        labels: {type: object, additionalProperties: {type: string}}
        personGeneration: {type: string, enum: ["", dont_allow, allow_adult]}
    PredictRequest:
      type: object
      required: [instances]
      properties:
        instances: {type: array, items: {$ref: "#/components/schemas/Instance"}}
        parameters: {$ref: "#/components/schemas/Parameters"}
    Prediction:
      type: object
      properties:
        bytesBase64Encoded: {type: string, format: byte}
        mimeType: {type: string}
        raiFilteredReason: {type: string}
    Operation:
      type: object
      required: [name]
      properties:
        name: {type: string}
        done: {type: boolean}
        error: {type: object, properties: {code: {type: integer}, message: {type: string}}}
        response: {type: object, additionalProperties: true}
    EditMask:
      type: object
      required: [maskMode]
      properties:
        maskMode: {type: string, enum: [background, foreground]}
    EditUrl:
      type: object
      required: [maskUrl]
      properties:
        maskUrl: {type: string}
paths:
  /projects/{project}/locations/{location}/publishers/google/models/{model}:predict:
    parameters:
      - $ref: "#/components/parameters/Project"
      - {name: location, in: path, required: true, schema: {type: string}}
      - {name: model, in: path, required: true, schema: {type: string}}
      - $ref: "#/components/parameters/Version"
    post:
      operationId: predict
      summary: Generate images.
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/PredictRequest"}
      responses:
        "200":
          description: The predictions.
          content:
            application/json:
              schema:
                type: object
                properties:
                  predictions: {type: array, items: {$ref: "#/components/schemas/Prediction"}}
  /projects/{project}/operations:
    get:
      operationId: listOperations
      summary: The long-running operations.
      parameters:
        - $ref: "#/components/parameters/Project"
        - $ref: "#/components/parameters/PageSize"
        - {name: pageToken, in: query, schema: {type: string}}
      responses:
        "200":
          description: A page.
          content:
            application/json:
              schema:
                type: object
                properties:
                  operations: {type: array, items: {$ref: "#/components/schemas/Operation"}}
                  nextPageToken: {type: string}
  /projects/{project}/operations/{operation}:
    get:
      operationId: getOperation
      summary: One operation.
      parameters:
        - $ref: "#/components/parameters/Project"
        - {name: operation, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: It.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Operation"}
  /projects/{project}/edits:
    post:
      operationId: edit
      summary: Edit with a mask mode or a mask URL.
      parameters:
        - $ref: "#/components/parameters/Project"
      requestBody:
        required: true
        content:
          application/json:
            schema:
              anyOf:
                - $ref: "#/components/schemas/EditMask"
                - $ref: "#/components/schemas/EditUrl"
      responses:
        "202":
          description: Started.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Operation"}
"""
VERTEX_CONFIG = """
package: {package}
client:
  sync: Vertex
  async: AsyncVertex
  api_key_env: VERTEX_TOKEN
resources:
  projects:
    singular: project
    methods: {}
    resources:
      models:
        singular: model
        methods:
          predict: "post /projects/{project}/locations/{location}/publishers/google/models/{model}:predict"
      operations:
        singular: operation
        methods:
          list: get /projects/{project}/operations
          get: get /projects/{project}/operations/{operation}
      edits:
        singular: edit
        methods:
          create: post /projects/{project}/edits
pagination:
  style: cursor
  items: operations
  param: pageToken
  field: nextPageToken
  methods: [projects.operations.list]
"""


def _vertex_api(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/operations"):
        token = request.url.params.get("pageToken")
        more = {} if token else {"nextPageToken": "t2"}
        return httpx.Response(200, json={"operations": [{"name": "o2" if token else "o1"}], **more})
    if request.url.path.endswith(":predict"):
        prediction = {"bytesBase64Encoded": "aGk=", "mimeType": "image/png"}
        return httpx.Response(200, json={"predictions": [prediction]})
    return httpx.Response(202, json={"name": "op/1", "done": False})


class TestVertexLike:
    SPEC, CONFIG = VERTEX_SPEC, VERTEX_CONFIG

    def test_the_package_passes_ruff_and_mypy_strict(self, sdk: ModuleType) -> None:
        assert_clean(sdk)

    def test_its_generated_tests_pass_against_steady(self, sdk: ModuleType) -> None:
        assert_generated_tests_pass(sdk)

    def test_calls_send_the_documented_wire(self, sdk: ModuleType) -> None:
        seen, transport = _server(_vertex_api)
        with sdk.Vertex(
            api_key="tok", max_retries=0, http_client=httpx.Client(transport=transport)
        ) as client:
            assert str(client.base_url).rstrip("/") == "https://us-central1-aiplatform.example/v1"
            predicted = client.projects.models.predict(
                project="p 1",
                location="us",
                model="imagen-3",
                instances=[{"prompt": "x"}],
                parameters={"sample_count": 2, "aspect_ratio": "1:1", "person_generation": ""},
            )
            names = [o.name for o in client.projects.operations.list(project="p", page_size=5)]
            edit = client.projects.edits.create(project="p", mask_mode="background")
        assert predicted.predictions is not None
        assert predicted.predictions[0].bytes_base64_encoded == "aGk="
        assert seen[0].url.raw_path.decode() == (
            "/v1/projects/p%201/locations/us/publishers/google/models/imagen-3:predict"
        )
        assert seen[0].headers["x-api-version"] == "2024-06-01"
        assert json.loads(seen[0].content) == {
            "instances": [{"prompt": "x"}],
            "parameters": {"sampleCount": 2, "aspectRatio": "1:1", "personGeneration": ""},
        }
        assert names == ["o1", "o2"]
        assert [dict(r.url.params) for r in seen[1:3]] == [
            {"page[size]": "5"},
            {"page[size]": "5", "pageToken": "t2"},
        ]
        assert (edit.name, edit.done) == ("op/1", False)
        assert json.loads(seen[3].content) == {"maskMode": "background"}
        assert all(r.headers["authorization"] == "Bearer tok" for r in seen)
