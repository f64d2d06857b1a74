"""A `stream` flag and an event stream: the three `stream` overloads at run time, events
typed by their discriminator, `[DONE]` ending the stream; the wrappers; sync and async."""

from __future__ import annotations

from types import ModuleType

import anyio
import pytest

from .helpers import Wire

SPEC = """
openapi: 3.1.0
info: {title: Story API, version: 2.0.0}
servers:
  - url: https://stories.example.test/api
paths:
  /stories:
    post:
      summary: Write a short story.
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/StoryRequest'}
      responses:
        '200':
          description: The story, or its events.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Story'}
            text/event-stream:
              schema: {$ref: '#/components/schemas/StoryStreamEvent'}
components:
  schemas:
    StoryRequest:
      type: object
      required: [topic]
      properties:
        topic: {type: string, description: What the story is about.}
        stream: {type: boolean, nullable: true, description: Send events as it is written.}
    Story:
      type: object
      required: [text]
      properties:
        text: {type: string, description: The finished story.}
    StoryStreamEvent:
      anyOf:
        - $ref: '#/components/schemas/StoryChunkEvent'
        - $ref: '#/components/schemas/StoryDoneEvent'
      discriminator: {propertyName: type}
    StoryChunkEvent:
      type: object
      required: [type, text]
      properties:
        type: {type: string, enum: [story.chunk], description: Always story.chunk.}
        text: {type: string, description: The next piece.}
    StoryDoneEvent:
      type: object
      required: [type, word_count]
      properties:
        type: {type: string, enum: [story.done], description: Always story.done.}
        word_count: {type: integer, description: Words in the story.}
"""
CONFIG = """
package: {package}
client:
  sync: StoryClient
  async: AsyncStoryClient
  api_key_env: STORY_API_KEY
resources:
  stories:
    singular: story
    methods:
      write: post /stories
"""
EVENTS = (
    {"type": "story.chunk", "text": "Once"},
    {"type": "story.chunk", "text": " upon a time."},
    {"type": "story.done", "word_count": 4},
    "[DONE]",
    {"type": "story.chunk", "text": "never read"},
)


def _typed(sdk: ModuleType, events: list[object]) -> list[tuple[type, object]]:
    chunk, done = sdk.types.StoryChunkEvent, sdk.types.StoryDoneEvent
    assert {chunk, done} >= {type(event) for event in events}
    return [(type(e), e.text if type(e) is chunk else e.word_count) for e in events]


def _expected(sdk: ModuleType) -> list[tuple[type, object]]:
    chunk, done = sdk.types.StoryChunkEvent, sdk.types.StoryDoneEvent
    return [(chunk, "Once"), (chunk, " upon a time."), (done, 4)]


class TestStreaming:
    SPEC, CONFIG = SPEC, CONFIG

    def test_without_stream_the_result_is_the_model(self, sdk: ModuleType) -> None:
        wire = Wire.json({"text": "The end."})
        with wire.sync_client(sdk.StoryClient) as client:
            story = client.stories.write(topic="a fox")
            told = client.stories.write(topic="a fox", stream=False)
        assert type(story) is type(told) is sdk.types.Story and told.text == "The end."
        assert [r.content for r in wire.requests] == [
            b'{"topic":"a fox"}',
            b'{"topic":"a fox","stream":false}',
        ]

    def test_stream_true_yields_typed_events_until_done(self, sdk: ModuleType) -> None:
        wire = Wire.events(*EVENTS)
        with wire.sync_client(sdk.StoryClient) as client:
            stream = client.stories.write(topic="a fox", stream=True)
            assert isinstance(stream, sdk.Stream)
            with stream:
                events = list(stream)
        assert _typed(sdk, events) == _expected(sdk)
        assert wire.sent_json() == {"topic": "a fox", "stream": True}
        assert wire.request.headers["accept"] == "text/event-stream"

    @pytest.mark.parametrize("flag", [True, False])
    def test_stream_as_a_bool_picks_the_result_at_run_time(
        self, sdk: ModuleType, flag: bool
    ) -> None:
        wire = Wire.events(*EVENTS) if flag else Wire.json({"text": "Short."})
        with wire.sync_client(sdk.StoryClient) as client:
            result = client.stories.write(topic="a fox", stream=flag)
            if flag:
                assert isinstance(result, sdk.Stream)
                assert _typed(sdk, list(result)) == _expected(sdk)
            else:
                assert type(result) is sdk.types.Story and result.text == "Short."
        assert wire.sent_json() == {"topic": "a fox", "stream": flag}

    def test_an_event_outside_the_union_is_kept_unless_strict(self, sdk: ModuleType) -> None:
        # A new event type, a missing field: the events hold the data, unvalidated.
        wire = Wire.events({"type": "story.unknown", "text": "?"}, {"type": "story.done"})
        with wire.sync_client(sdk.StoryClient) as client:
            new, done = list(client.stories.write(topic="a fox", stream=True))
        assert isinstance(new, sdk.types.StoryChunkEvent) and new.type == "story.unknown"
        assert type(done) is sdk.types.StoryDoneEvent and "word_count" not in done.to_dict()
        with (
            wire.sync_client(sdk.StoryClient, strict_response_validation=True) as client,
            pytest.raises(sdk.APIResponseValidationError, match="is not valid"),
        ):
            list(client.stories.write(topic="a fox", stream=True))
        broken = Wire.events("{oops")  # not JSON at all: an error whatever the mode
        with (
            broken.sync_client(sdk.StoryClient) as client,
            pytest.raises(sdk.APIResponseValidationError, match="not valid"),
        ):
            list(client.stories.write(topic="a fox", stream=True))

    def test_the_wrappers_give_the_stream_from_parse(self, sdk: ModuleType) -> None:
        wire = Wire.events(*EVENTS)
        with wire.sync_client(sdk.StoryClient) as client:
            raw = client.stories.with_raw_response.write(topic="a fox", stream=True)
            assert raw.headers["content-type"] == "text/event-stream"
            assert _typed(sdk, list(raw.parse())) == _expected(sdk)
            with client.stories.with_streaming_response.write(topic="b", stream=True) as streamed:
                stream = streamed.parse()
                assert isinstance(stream, sdk.Stream)
                assert _typed(sdk, list(stream)) == _expected(sdk)

    def test_async(self, sdk: ModuleType) -> None:
        wire = Wire.events(*EVENTS)

        async def call() -> tuple[bool, list[object]]:
            async with wire.async_client(sdk.AsyncStoryClient) as client:
                stream = await client.stories.write(topic="a fox", stream=True)
                async with stream:
                    return isinstance(stream, sdk.AsyncStream), [e async for e in stream]

        is_async_stream, events = anyio.run(call)
        assert is_async_stream
        assert _typed(sdk, events) == _expected(sdk)
        assert wire.sent_json() == {"topic": "a fox", "stream": True}

    def test_async_without_stream(self, sdk: ModuleType) -> None:
        wire = Wire.json({"text": "Done."})

        async def call() -> object:
            async with wire.async_client(sdk.AsyncStoryClient) as client:
                return await client.stories.write(topic="a fox", stream=False)

        story = anyio.run(call)
        assert type(story) is sdk.types.Story and story.text == "Done."
