"""A `stream` flag and an event stream: the three `stream` overloads at run time, events
typed by their discriminator, `[DONE]` ending the stream; the wrappers; sync and async."""

from __future__ import annotations

from types import ModuleType

import anyio
import pytest

from .helpers import Wire
from .typecheck import assert_clean

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


# An operation that answers with events only, whose event union has a member that is a
# union itself and an `allOf` member; one that offers audio beside events, with no `stream`
# flag; and one that answers with a media type of no known kind.
ONLY_EVENTS_SPEC = """
openapi: 3.1.0
info: {title: Talk API, version: 1.0.0}
servers:
  - url: https://talk.example.test
paths:
  /talks:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [topic]
              properties:
                topic: {type: string}
      responses:
        '200':
          description: The talk, word by word.
          content:
            text/event-stream:
              schema: {$ref: '#/components/schemas/TalkEvent'}
  /speech:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [text]
              properties:
                text: {type: string}
                stream_format: {type: string, enum: [sse, audio]}
      responses:
        '200':
          description: The speech, or its events.
          content:
            audio/mpeg: {schema: {type: string, format: binary}}
            text/event-stream:
              schema: {$ref: '#/components/schemas/TalkEvent'}
  /calls:
    post:
      requestBody:
        required: true
        content:
          text/plain:
            schema: {type: string}
      responses:
        '201':
          description: The session description.
          content:
            application/sdp: {schema: {type: string}}
components:
  schemas:
    TalkEvent:
      oneOf:
        - $ref: '#/components/schemas/WordEvent'
        - $ref: '#/components/schemas/EndEvent'
      discriminator: {propertyName: type}
    EndEvent:
      oneOf:
        - $ref: '#/components/schemas/DoneEvent'
        - $ref: '#/components/schemas/StopEvent'
    WordEvent:
      type: object
      required: [type, word]
      properties:
        type: {type: string, enum: [word]}
        word: {type: string}
    DoneEvent:
      allOf:
        - $ref: '#/components/schemas/TimedEvent'
        - type: object
          required: [type]
          properties:
            type: {type: string, enum: [done]}
    StopEvent:
      type: object
      required: [type, message]
      properties:
        type: {type: string, const: stop}
        message: {type: string}
    TimedEvent:
      type: object
      properties:
        at: {type: integer}
"""
ONLY_EVENTS_CONFIG = """
package: {package}
client:
  sync: TalkClient
  async: AsyncTalkClient
  api_key_env: TALK_API_KEY
resources:
  talks:
    methods:
      create: post /talks
      speak: post /speech
      call: post /calls
"""
TALK = (
    {"type": "word", "word": "Hello"},
    {"type": "done", "at": 3},
    {"type": "stop", "message": "late"},
)


class TestOnlyEvents:
    SPEC, CONFIG = ONLY_EVENTS_SPEC, ONLY_EVENTS_CONFIG

    def _kinds(self, sdk: ModuleType, events: list[object]) -> list[type]:
        assert all(
            isinstance(e, sdk.types.WordEvent | sdk.types.DoneEvent | sdk.types.StopEvent)
            for e in events
        )
        return [type(e) for e in events]

    def test_a_method_without_a_flag_always_streams(self, sdk: ModuleType) -> None:
        wire = Wire.events(*TALK)
        with wire.sync_client(sdk.TalkClient, strict_response_validation=True) as client:
            stream = client.talks.create(topic="hi")
            assert isinstance(stream, sdk.Stream)
            with stream:
                events = list(stream)
        types = sdk.types
        assert self._kinds(sdk, events) == [types.WordEvent, types.DoneEvent, types.StopEvent]
        assert events[1].at == 3 and isinstance(events[1], types.TimedEvent)
        assert wire.sent_json() == {"topic": "hi"}
        assert wire.request.headers["accept"] == "text/event-stream"

    def test_the_wrappers_and_async(self, sdk: ModuleType) -> None:
        wire = Wire.events(*TALK)
        with wire.sync_client(sdk.TalkClient) as client:
            raw = client.talks.with_raw_response.create(topic="hi")
            assert len(list(raw.parse())) == 3

        async def call() -> list[object]:
            async with wire.async_client(sdk.AsyncTalkClient) as client:
                stream = await client.talks.create(topic="hi")
                assert isinstance(stream, sdk.AsyncStream)
                return [event async for event in stream]

        assert len(anyio.run(call)) == 3

    def test_events_beside_another_answer_without_a_flag_give_that_answer(
        self, sdk: ModuleType
    ) -> None:
        wire = Wire(b"ID3...", content_type="audio/mpeg")
        with wire.sync_client(sdk.TalkClient) as client:
            speech = client.talks.speak(text="hi")
        assert isinstance(speech, sdk.BinaryResponse) and speech.content == b"ID3..."
        assert wire.request.headers["accept"] == "audio/mpeg"

    def test_a_media_type_of_no_known_kind_is_bytes(self, sdk: ModuleType) -> None:
        wire = Wire(b"v=0\r\n", content_type="application/sdp", status=201)
        with wire.sync_client(sdk.TalkClient) as client:
            answer = client.talks.call(body="v=0")
        assert isinstance(answer, sdk.BinaryResponse) and answer.content == b"v=0\r\n"
        assert wire.request.headers["accept"] == "application/sdp"

    def test_generated_code_is_clean(self, sdk: ModuleType) -> None:
        assert_clean(sdk)
