"""Python names for wire names: camelCase fields, nested and in lists, are snake_case
arguments and TypedDict keys that go out camelCase; response models read camelCase and
expose snake_case; `naming: wire` keeps the wire names."""

from __future__ import annotations

import importlib
import inspect
import json
import typing
from pathlib import Path
from types import ModuleType

import anyio
from _generate import mypy, write_files, write_inputs
from sdkforge.pipeline import generate_files

from .helpers import Part, Wire, multipart_parts
from .local_server import Answer, Seen, local_server
from .typecheck import assert_clean

SPEC = """
openapi: 3.1.0
info: {title: Studio API, version: "1"}
servers: [{url: https://studio.example.test}]
paths:
  /projects/{projectId}/renders:
    post:
      summary: Start a render.
      parameters:
        - {name: projectId, in: path, required: true, schema: {type: string}}
        - {name: dryRun, in: query, schema: {type: boolean}}
        - {name: X-Client-Tag, in: header, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [textPrompt]
              properties:
                textPrompt: {type: string, description: What to draw.}
                cfgScale: {type: number}
                from: {type: string, description: Who asks.}
                initImage: {$ref: '#/components/schemas/InitImage'}
                styleLayers:
                  type: array
                  items: {$ref: '#/components/schemas/StyleLayer'}
                layersByName:
                  type: object
                  additionalProperties: {$ref: '#/components/schemas/StyleLayer'}
                guide:
                  anyOf:
                    - {$ref: '#/components/schemas/InitImage'}
                    - {$ref: '#/components/schemas/StyleLayer'}
                    - {type: string}
      responses:
        '200':
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Render'}
components:
  schemas:
    InitImage:
      type: object
      required: [imageURL]
      properties:
        imageURL: {type: string}
        cropBox:
          type: object
          properties:
            topLeftX: {type: integer}
    StyleLayer:
      type: object
      required: [styleId]
      properties:
        styleId: {type: string}
        weight: {type: number}
    Render:
      type: object
      required: [renderId, outputImages]
      properties:
        renderId: {type: string}
        createdAt: {type: integer}
        from: {type: string}
        outputImages:
          type: array
          items:
            type: object
            required: [imageURL]
            properties:
              imageURL: {type: string}
              seedValue: {type: integer}
"""
CONFIG = """
package: {package}
client: {sync: Studio, async: AsyncStudio, api_key_env: STUDIO_API_KEY}
resources:
  renders:
    methods:
      create: post /projects/{projectId}/renders
"""
RENDER = {
    "renderId": "r-1",
    "createdAt": 1700000000,
    "from": "studio",
    "outputImages": [{"imageURL": "a.png", "seedValue": 7}, {"imageURL": "b.png"}],
    "addedLater": True,
}
ARGUMENTS: dict[str, object] = {
    "project_id": "p-1",
    "text_prompt": "a lighthouse",
    "cfg_scale": 7.5,
    "from_": "me",
    "init_image": {"image_url": "in.png", "crop_box": {"top_left_x": 4}},
    "style_layers": [{"style_id": "ink"}, {"style_id": "wash", "weight": 0.5}],
    "layers_by_name": {"mainLayer": {"style_id": "oil"}},
    "guide": {"style_id": "guide-style"},
    "dry_run": True,
    "x_client_tag": "t-1",
}
SENT = {
    "textPrompt": "a lighthouse",
    "cfgScale": 7.5,
    "from": "me",
    "initImage": {"imageURL": "in.png", "cropBox": {"topLeftX": 4}},
    "styleLayers": [{"styleId": "ink"}, {"styleId": "wash", "weight": 0.5}],
    # The map's own keys are the caller's: only its values' keys are renamed.
    "layersByName": {"mainLayer": {"styleId": "oil"}},
    "guide": {"styleId": "guide-style"},
}


def _module(sdk: ModuleType, name: str) -> ModuleType:
    return importlib.import_module(f"{sdk.__name__}.{name}")


def render_server(seen: Seen) -> Answer:
    return 200, {}, RENDER


class TestSnakeCase:
    SPEC, CONFIG = SPEC, CONFIG

    def test_arguments_are_snake_case(self, sdk: ModuleType) -> None:
        method = inspect.signature(_module(sdk, "resources.renders").Renders.create).parameters
        assert {
            "project_id",
            "text_prompt",
            "cfg_scale",
            "from_",
            "init_image",
            "style_layers",
            "layers_by_name",
            "dry_run",
            "x_client_tag",
        } <= set(method)
        assert not {"projectId", "textPrompt", "cfgScale", "from"} & set(method)

    def test_nested_and_listed_objects_go_out_camelcase(self, sdk: ModuleType) -> None:
        wire = Wire.json(RENDER)
        with wire.sync_client(sdk.Studio) as client:
            client.renders.create(**ARGUMENTS)
        request = wire.request
        assert request.url.path == "/projects/p-1/renders"
        assert dict(request.url.params) == {"dryRun": "true"}
        assert request.headers["X-Client-Tag"] == "t-1"
        assert wire.sent_json() == SENT

    def test_async_sends_the_same(self, sdk: ModuleType) -> None:
        wire = Wire.json(RENDER)

        async def call() -> typing.Any:
            async with wire.async_client(sdk.AsyncStudio) as client:
                return await client.renders.create(**ARGUMENTS)

        render = anyio.run(call)
        assert wire.sent_json() == SENT
        assert render.render_id == "r-1"

    def test_a_union_member_that_is_not_an_object_is_sent_as_it_is(self, sdk: ModuleType) -> None:
        wire = Wire.json(RENDER)
        with wire.sync_client(sdk.Studio) as client:
            client.renders.create(project_id="p", text_prompt="x", guide="plain text")
            client.renders.create(
                project_id="p", text_prompt="x", guide={"image_url": "g.png"}, init_image=None
            )
        first, second = (json.loads(r.content) for r in wire.requests)
        assert first == {"textPrompt": "x", "guide": "plain text"}
        assert second == {"textPrompt": "x", "guide": {"imageURL": "g.png"}, "initImage": None}

    def test_keys_the_params_do_not_know_are_sent_as_they_are(self, sdk: ModuleType) -> None:
        wire = Wire.json(RENDER)
        with wire.sync_client(sdk.Studio) as client:
            init: typing.Any = {"image_url": "a.png", "maskMode": "soft"}
            client.renders.create(project_id="p", text_prompt="x", init_image=init)
        assert wire.sent_json() == {
            "textPrompt": "x",
            "initImage": {"imageURL": "a.png", "maskMode": "soft"},
        }

    def test_a_local_server_sees_wire_names_and_the_model_exposes_python_names(
        self, sdk: ModuleType
    ) -> None:
        with (
            local_server(render_server) as server,
            sdk.Studio(api_key="k", base_url=server.url) as client,
        ):
            render = client.renders.create(**ARGUMENTS)
        (seen,) = server.seen
        assert (seen.path, seen.query) == ("/projects/p-1/renders", {"dryRun": "true"})
        assert seen.headers["x-client-tag"] == "t-1"
        assert json.loads(seen.body) == SENT
        assert type(render) is sdk.types.Render
        assert (render.render_id, render.created_at, render.from_) == ("r-1", 1700000000, "studio")
        assert [(i.image_url, i.seed_value) for i in render.output_images] == [
            ("a.png", 7),
            ("b.png", None),
        ]
        # Unknown fields are kept, and the model goes back to dicts by its wire names.
        assert render.to_dict() == RENDER

    def test_the_async_client_reads_the_same_model(self, sdk: ModuleType) -> None:
        async def call(url: str) -> typing.Any:
            async with sdk.AsyncStudio(api_key="k", base_url=url) as client:
                return await client.renders.create(project_id="p", text_prompt="x")

        with local_server(render_server) as server:
            render = anyio.run(call, server.url)
        assert render.output_images[0].image_url == "a.png"
        assert json.loads(server.seen[0].body) == {"textPrompt": "x"}

    def test_models_built_without_validation_read_wire_names_too(self, sdk: ModuleType) -> None:
        """Lenient parsing builds models with `model_construct`: the aliases hold there."""
        render = sdk.types.Render.model_construct(**RENDER)
        assert (render.render_id, render.created_at, render.from_) == ("r-1", 1700000000, "studio")
        image = _module(sdk, "types.render").OutputImage.model_construct(
            imageURL="c.png", seedValue=3
        )
        assert (image.image_url, image.seed_value) == ("c.png", 3)
        # Python names are accepted as well (`populate_by_name`), validated or not.
        by_name = sdk.types.Render(render_id="r-2", output_images=[{"image_url": "d.png"}])
        assert by_name.output_images[0].image_url == "d.png"
        assert sdk.types.Render.model_construct(render_id="r-3").render_id == "r-3"

    def test_the_params_typeddicts_declare_each_wire_name(self, sdk: ModuleType) -> None:
        params = _module(sdk, "types.render_create_params")
        wire_alias = _module(sdk, "_wire").Alias

        def aliases(typed_dict: type) -> dict[str, str]:
            hints = typing.get_type_hints(typed_dict, include_extras=True)
            found = {}
            for key, hint in hints.items():
                # Required[Annotated[T, Alias(...)]] or Annotated[T, Alias(...)].
                inner = typing.get_args(hint)[0] if "Required" in repr(hint) else hint
                for marker in getattr(inner, "__metadata__", ()):
                    if isinstance(marker, wire_alias):
                        found[key] = marker.wire_name
            return found

        assert aliases(params.RenderCreateParams) == {
            "project_id": "projectId",
            "text_prompt": "textPrompt",
            "cfg_scale": "cfgScale",
            "from_": "from",
            "init_image": "initImage",
            "style_layers": "styleLayers",
            "layers_by_name": "layersByName",
            "dry_run": "dryRun",
            "x_client_tag": "X-Client-Tag",
        }
        assert aliases(params.InitImage) == {"image_url": "imageURL", "crop_box": "cropBox"}
        assert aliases(params.StyleLayer) == {"style_id": "styleId"}

    def test_the_package_passes_ruff_and_mypy_strict(self, sdk: ModuleType) -> None:
        assert_clean(sdk)


class TestWireNames:
    SPEC, CONFIG = SPEC, CONFIG + "naming: wire\n"

    def test_wire_names_are_kept(self, sdk: ModuleType) -> None:
        method = inspect.signature(_module(sdk, "resources.renders").Renders.create).parameters
        # A keyword still cannot be an argument; a header name is still no identifier.
        assert {"projectId", "textPrompt", "cfgScale", "from_", "x_client_tag"} <= set(method)
        wire = Wire.json(RENDER)
        with wire.sync_client(sdk.Studio) as client:
            render = client.renders.create(
                projectId="p",
                textPrompt="x",
                styleLayers=[{"styleId": "ink"}],
                initImage={"imageURL": "a.png", "cropBox": {"topLeftX": 1}},
                from_="me",
            )
        assert wire.sent_json() == {
            "textPrompt": "x",
            "styleLayers": [{"styleId": "ink"}],
            "initImage": {"imageURL": "a.png", "cropBox": {"topLeftX": 1}},
            "from": "me",
        }
        assert (render.renderId, render.outputImages[0].imageURL) == ("r-1", "a.png")
        assert render.from_ == "studio"

    def test_nothing_is_renamed_on_the_way_out(self, sdk: ModuleType) -> None:
        source = inspect.getsource(_module(sdk, "resources.renders"))
        assert "to_wire" not in source
        assert "WireKeys" not in inspect.getsource(_module(sdk, "types.render_create_params"))

    def test_the_package_passes_ruff_and_mypy_strict(self, sdk: ModuleType) -> None:
        assert_clean(sdk)


USER_SCRIPT = """
from typing import Optional

from typing_extensions import assert_type

from namingsdk import AsyncStudio, Studio
from namingsdk.types import Render
from namingsdk.types.render_create_params import InitImage, StyleLayer


def render(client: Studio) -> str:
    image: InitImage = {"image_url": "in.png", "crop_box": {"top_left_x": 1}}
    layers: list[StyleLayer] = [{"style_id": "ink", "weight": 0.5}]
    done = client.renders.create(
        project_id="p", text_prompt="x", cfg_scale=7, init_image=image, style_layers=layers
    )
    assert_type(done, Render)
    assert_type(done.created_at, Optional[int])
    return done.render_id + done.output_images[0].image_url


async def async_render(client: AsyncStudio) -> Optional[int]:
    done = await client.renders.create(project_id="p", text_prompt="x")
    return done.output_images[0].seed_value
"""
WRONG_SCRIPT = """
from namingsdk import Studio


def wrong(client: Studio) -> None:
    done = client.renders.create(project_id="p", text_prompt="x")
    done.render_id + 1  # line 7: a str
    done.renderId  # line 8: the wire name is not an attribute
    client.renders.create(project_id="p", textPrompt="x")  # line 9: the wire name
    client.renders.create(project_id="p", text_prompt="x", init_image={"imageURL": "a"})  # 10
"""


def test_mypy_strict_reads_snake_case_fields_and_rejects_wrong_types(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path, SPEC, CONFIG, "namingsdk")
    write_files(generate_files(inputs), tmp_path, only="namingsdk/")
    (tmp_path / "user_script.py").write_text(USER_SCRIPT, encoding="utf-8")
    (tmp_path / "wrong_script.py").write_text(WRONG_SCRIPT, encoding="utf-8")
    good = mypy("namingsdk", "user_script.py", cwd=tmp_path)
    assert good.returncode == 0, good.stdout + good.stderr
    bad = mypy("wrong_script.py", cwd=tmp_path)
    assert bad.returncode == 1
    lines = {line.split(":")[1] for line in bad.stdout.splitlines() if ": error:" in line}
    assert lines == {"7", "8", "9", "10"}, bad.stdout


class TestStreamedEvents:
    """Events read by a camelCase discriminator, their fields exposed in snake_case."""

    SPEC = """
    openapi: 3.1.0
    info: {title: Story API, version: "1"}
    servers: [{url: https://stories.example.test}]
    paths:
      /stories:
        post:
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [storyTopic]
                  properties:
                    storyTopic: {type: string}
                    stream: {type: boolean}
          responses:
            '200':
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Story'}
                text/event-stream:
                  schema: {$ref: '#/components/schemas/StoryEvent'}
    components:
      schemas:
        Story:
          type: object
          properties: {fullText: {type: string}}
        StoryEvent:
          anyOf:
            - $ref: '#/components/schemas/ChunkEvent'
            - $ref: '#/components/schemas/DoneEvent'
          discriminator: {propertyName: eventType}
        ChunkEvent:
          type: object
          required: [eventType, textDelta]
          properties:
            eventType: {type: string, enum: [chunk]}
            textDelta: {type: string}
        DoneEvent:
          type: object
          required: [eventType, wordCount]
          properties:
            eventType: {type: string, enum: [done]}
            wordCount: {type: integer}
    """
    CONFIG = """
    package: {package}
    client: {sync: StoryClient, async: AsyncStoryClient, api_key_env: STORY_API_KEY}
    resources:
      stories:
        singular: story
        methods:
          write: post /stories
    """

    def test_events_are_typed_by_their_wire_discriminator(self, sdk: ModuleType) -> None:
        wire = Wire.events(
            {"eventType": "chunk", "textDelta": "Once"}, {"eventType": "done", "wordCount": 1}
        )
        with wire.sync_client(sdk.StoryClient) as client:
            events = list(client.stories.write(story_topic="sea", stream=True))
        assert wire.sent_json() == {"storyTopic": "sea", "stream": True}
        chunk, done = events
        assert type(chunk) is sdk.types.ChunkEvent and chunk.text_delta == "Once"
        assert type(done) is sdk.types.DoneEvent and done.word_count == 1
        assert (chunk.event_type, done.event_type) == ("chunk", "done")

    def test_async(self, sdk: ModuleType) -> None:
        wire = Wire.events({"eventType": "done", "wordCount": 3})

        async def read() -> list[typing.Any]:
            async with wire.async_client(sdk.AsyncStoryClient) as client:
                stream = await client.stories.write(story_topic="sea", stream=True)
                return [event async for event in stream]

        (done,) = anyio.run(read)
        assert done.word_count == 3


class TestMultipart:
    """A multipart body: parts named by their wire names, JSON parts with their keys too."""

    SPEC = """
    openapi: 3.1.0
    info: {title: Board API, version: "1"}
    servers: [{url: https://board.example.test}]
    paths:
      /boards:
        post:
          requestBody:
            content:
              multipart/form-data:
                schema:
                  type: object
                  required: [coverImage]
                  properties:
                    coverImage: {type: string, format: binary}
                    tagNames: {type: array, items: {type: string}}
                    boardOwner:
                      type: object
                      properties: {displayName: {type: string}}
                    pinRegions:
                      type: array
                      items:
                        type: object
                        properties: {leftEdge: {type: integer}}
          responses:
            '200':
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Board'}
    components:
      schemas:
        Board:
          type: object
          properties: {boardId: {type: string}}
    """
    CONFIG = """
    package: {package}
    client: {sync: BoardClient, async: AsyncBoardClient, api_key_env: BOARD_API_KEY}
    resources:
      boards:
        methods:
          create: post /boards
    """

    def test_parts_go_out_by_their_wire_names(self, sdk: ModuleType) -> None:
        wire = Wire.json({"boardId": "b-1"})
        with wire.sync_client(sdk.BoardClient) as client:
            board = client.boards.create(
                cover_image=b"PNG",
                tag_names=["red", "blue"],
                board_owner={"display_name": "Ada"},
                pin_regions=[{"left_edge": 1}],
            )
        assert board.board_id == "b-1"
        assert multipart_parts(wire.request) == [
            Part("boardOwner", None, "application/json", b'{"displayName":"Ada"}'),
            Part("pinRegions", None, "application/json", b'[{"leftEdge":1}]'),
            Part("tagNames", None, None, b"red"),
            Part("tagNames", None, None, b"blue"),
            Part("coverImage", "upload", "application/octet-stream", b"PNG"),
        ]
