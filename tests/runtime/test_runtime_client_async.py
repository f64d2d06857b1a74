"""The async client against httpx.MockTransport: the same behaviours as the sync one."""

from __future__ import annotations

import json

import httpx
import imagesdk
import pytest
from imagesdk import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    AsyncAPIResponse,
    AsyncStream,
    BadRequestError,
    NotFoundError,
    RateLimitError,
)
from imagesdk.types.image_gen_stream_event import ImageGenCompletedEvent, ImageGenPartialImageEvent
from imagesdk.types.images_response import ImagesResponse
from runtime_support import (
    API_KEY,
    COMPLETED,
    IMAGES_JSON,
    PARTIAL,
    Chunks,
    Recorder,
    json_response,
    make_async_client,
    sse,
)


def event(data: object, name: str | None = None) -> str:
    head = f"event: {name}\n" if name else ""
    return f"{head}data: {json.dumps(data)}\n\n"


pytestmark = pytest.mark.filterwarnings("error")  # unclosed files/responses fail


def sse_response(
    *chunks: bytes, fail_with: Exception | None = None
) -> tuple[httpx.Response, Chunks]:
    body = Chunks(list(chunks), fail_with)
    return httpx.Response(200, stream=body, headers={"content-type": "text/event-stream"}), body


@pytest.mark.anyio
async def test_json_call() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    async with make_async_client(rec) as client:
        result = await client.images.generate(prompt="a cat", n=None, user="u")
    assert isinstance(result, ImagesResponse)
    assert rec.last.content == b'{"prompt":"a cat","n":null,"user":"u"}'
    assert rec.last.headers["authorization"] == f"Bearer {API_KEY}"


@pytest.mark.anyio
async def test_multipart() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    client = make_async_client(rec)
    await client.images.edit(image=[b"\x89PNG\r\n\x1a\n", ("b.png", b"x")], prompt="p")
    assert rec.last.headers["content-type"].startswith("multipart/form-data")
    assert rec.last.content.count(b'name="image[]"') == 2


@pytest.mark.anyio
async def test_retries_and_retry_after(sleeps: list[float]) -> None:
    rec = Recorder(
        json_response(500, {}),
        json_response(429, {}, {"retry-after": "2"}),
        json_response(200, IMAGES_JSON),
    )
    result = await make_async_client(rec).images.generate(prompt="x")
    assert isinstance(result, ImagesResponse)
    assert len(sleeps) == 2 and 0.375 <= sleeps[0] <= 0.5 and sleeps[1] == 2.0


@pytest.mark.anyio
async def test_exhausted_and_non_retryable(sleeps: list[float]) -> None:
    rec = Recorder(json_response(429, {"error": {"message": "slow"}}, {"x-request-id": "r1"}))
    with pytest.raises(RateLimitError) as info:
        await make_async_client(rec).images.generate(prompt="x")
    assert len(rec.requests) == 3 and info.value.request_id == "r1"
    rec = Recorder(json_response(400, {"error": {"message": "bad"}}))
    with pytest.raises(BadRequestError, match="400 Bad Request: bad"):
        await make_async_client(rec).images.generate(prompt="x")
    assert len(rec.requests) == 1


@pytest.mark.anyio
async def test_timeout_and_connection_errors(sleeps: list[float]) -> None:
    rec = Recorder(httpx.ConnectTimeout("slow"))
    with pytest.raises(APITimeoutError):
        await make_async_client(rec).images.generate(prompt="x")
    assert len(rec.requests) == 3
    rec = Recorder(httpx.ReadError("reset"))
    with pytest.raises(APIConnectionError) as info:
        await make_async_client(rec, max_retries=1).images.generate(prompt="x")
    assert len(rec.requests) == 2 and isinstance(info.value.__cause__, httpx.ReadError)


@pytest.mark.anyio
async def test_real_sleep_is_used_by_default() -> None:
    # No `sleeps` fixture: the real anyio sleep runs (Retry-After: 0 keeps it instant).
    rec = Recorder(json_response(503, {}, {"retry-after": "0"}), json_response(200, IMAGES_JSON))
    assert isinstance(await make_async_client(rec).images.generate(prompt="x"), ImagesResponse)


@pytest.mark.anyio
async def test_stream() -> None:
    payload = sse(event(PARTIAL), event(COMPLETED), "data: [DONE]\n\n")
    response, body = sse_response(payload[:10], payload[10:])
    stream = await make_async_client(Recorder(response)).images.generate(prompt="x", stream=True)
    assert isinstance(stream, AsyncStream)
    events = [e async for e in stream]
    assert [type(e) for e in events] == [ImageGenPartialImageEvent, ImageGenCompletedEvent]
    assert body.closed


@pytest.mark.anyio
async def test_stream_anext_and_async_with() -> None:
    response, body = sse_response(sse(event(PARTIAL), event(COMPLETED)))
    async with await make_async_client(Recorder(response)).images.generate(
        prompt="x", stream=True
    ) as stream:
        assert isinstance(await stream.__anext__(), ImageGenPartialImageEvent)
    assert body.closed


@pytest.mark.anyio
async def test_stream_error_event_and_truncation() -> None:
    response, body = sse_response(sse(event({"error": {"message": "blocked"}}, "error")))
    stream = await make_async_client(Recorder(response)).images.generate(prompt="x", stream=True)
    with pytest.raises(APIError, match="blocked"):
        async for _ in stream:
            pass
    assert body.closed
    response, body = sse_response(sse(event(PARTIAL)), b"data: {")
    stream = await make_async_client(Recorder(response)).images.generate(prompt="x", stream=True)
    with pytest.raises(APIConnectionError, match="Stream ended before it was complete"):
        async for _ in stream:
            pass
    assert body.closed
    response, _ = sse_response(b"data: [1]\n\n")
    stream = await make_async_client(Recorder(response)).images.generate(prompt="x", stream=True)
    with pytest.raises(APIResponseValidationError):
        async for _ in stream:
            pass


@pytest.mark.anyio
async def test_stream_break_then_close() -> None:
    response, body = sse_response(sse(event(PARTIAL), event(COMPLETED)))
    stream = await make_async_client(Recorder(response)).images.generate(prompt="x", stream=True)
    async for _ in stream:
        break
    await stream.close()
    assert body.closed


@pytest.mark.anyio
async def test_raw_response() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON, {"x-request-id": "req_a"}))
    client = make_async_client(rec)
    raw = await client.images.with_raw_response.generate(prompt="x")
    assert isinstance(raw, AsyncAPIResponse)
    assert raw.request_id == "req_a" and raw.status_code == 200
    parsed = await raw.parse()
    assert isinstance(parsed, ImagesResponse) and await raw.parse() is parsed
    assert (await raw.json())["created"] == IMAGES_JSON["created"]
    assert json.loads(await raw.text()) == await raw.json()


@pytest.mark.anyio
async def test_streamed_response() -> None:
    body = Chunks([json.dumps(IMAGES_JSON).encode()])
    rec = Recorder(httpx.Response(200, stream=body))
    client = make_async_client(rec)
    manager = client.images.with_streaming_response.generate(prompt="x")
    assert rec.requests == []
    async with manager as response:
        assert isinstance(response, AsyncAPIResponse)
        assert not response.http_response.is_stream_consumed
        chunks = [chunk async for chunk in response.iter_bytes()]
        assert b"".join(chunks) == json.dumps(IMAGES_JSON).encode()
    assert body.closed


@pytest.mark.anyio
async def test_streamed_response_parse_and_stream() -> None:
    response, body = sse_response(sse(event(PARTIAL), event(COMPLETED)))
    client = make_async_client(Recorder(response))
    async with client.images.with_streaming_response.generate(prompt="x", stream=True) as r:
        stream = await r.parse()
        assert len([e async for e in stream]) == 2
    assert body.closed
    rec = Recorder(json_response(200, IMAGES_JSON))
    async with make_async_client(rec).images.with_streaming_response.generate(prompt="x") as r:
        assert isinstance(await r.parse(), ImagesResponse)


@pytest.mark.anyio
async def test_streaming_wrapper_never_entered_leaves_no_coroutine() -> None:
    # With warnings as errors, a never-awaited coroutine would fail this test at collection.
    rec = Recorder(json_response(200, IMAGES_JSON))
    make_async_client(rec).images.with_streaming_response.generate(prompt="x")
    assert rec.requests == []


@pytest.mark.anyio
async def test_errors_in_raw_mode() -> None:
    rec = Recorder(json_response(404, {"error": {"message": "gone"}}))
    with pytest.raises(NotFoundError):
        await make_async_client(rec).images.with_raw_response.generate(prompt="x")


@pytest.mark.anyio
async def test_with_options_and_close() -> None:
    client = imagesdk.AsyncImageClient(api_key="sk-zzz-secret")
    copy = client.with_options(max_retries=0)
    assert copy.max_retries == 0 and copy._http is client._http
    await copy.close()
    assert not client.is_closed
    await client.close()
    assert client.is_closed
    assert "sk-zzz-secret" not in repr(client)
