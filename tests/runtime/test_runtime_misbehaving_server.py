"""The clients against a real HTTP server on 127.0.0.1 that misbehaves on purpose.

Each test gets its own server (port 0) so request counts belong to that test alone; the
fixture shuts it down, releasing a handler that is holding a request without answering.
Retry sleeps are recorded by the `sleeps` fixture, never slept.
"""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest
from imagesdk import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    UnprocessableEntityError,
)
from imagesdk.types.images_response import ImagesResponse
from loopback_server import HANG, RESET, Action, Reply, Server, json_reply
from runtime_support import API_KEY, COMPLETED, IMAGES_JSON, PARTIAL

pytestmark = pytest.mark.filterwarnings("error")

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


# -- retries -------------------------------------------------------------------------------


def test_500_then_200_is_retried_and_succeeds(server: Server, sleeps: list[float]) -> None:
    server(json_reply(500, {"error": {"message": "oops"}}), json_reply(200, IMAGES_JSON))
    with server.client() as client:
        result = client.images.generate(prompt="x")
    assert isinstance(result, ImagesResponse) and result.data[0].b64_json == "aGVsbG8="
    assert server.hits == 2 and len(sleeps) == 1
    assert 0 < sleeps[0] <= 8.0  # the backoff, capped
    first, second = server.requests
    assert first["body"] == second["body"]


def test_429_waits_as_retry_after_says(server: Server, sleeps: list[float]) -> None:
    server(
        json_reply(429, {"error": {"message": "slow down"}}, **{"Retry-After": "3"}),
        json_reply(200, IMAGES_JSON),
    )
    with server.client() as client:
        assert isinstance(client.images.generate(prompt="x"), ImagesResponse)
    assert server.hits == 2 and sleeps == [3.0]


def test_429_retry_after_ms_is_honoured(server: Server, sleeps: list[float]) -> None:
    server(json_reply(429, {}, **{"retry-after-ms": "250"}), json_reply(200, IMAGES_JSON))
    with server.client() as client:
        client.images.generate(prompt="x")
    assert sleeps == [0.25]


@pytest.mark.parametrize("value", ["3600", "-5", "soon"])
def test_429_retry_after_out_of_bounds_falls_back_to_backoff(
    server: Server, sleeps: list[float], value: str
) -> None:
    server(json_reply(429, {}, **{"Retry-After": value}), json_reply(200, IMAGES_JSON))
    with server.client() as client:
        client.images.generate(prompt="x")
    assert server.hits == 2 and len(sleeps) == 1
    assert 0 < sleeps[0] <= 8.0  # never the hour the server asked for


def test_429_retries_exhausted_raise_rate_limit_error(server: Server, sleeps: list[float]) -> None:
    server(json_reply(429, {"error": {"message": "quota"}}, **{"Retry-After": "1"}))
    with server.client(max_retries=2) as client, pytest.raises(RateLimitError) as info:
        client.images.generate(prompt="x")
    assert server.hits == 3 and sleeps == [1.0, 1.0]
    assert info.value.status_code == 429 and "quota" in str(info.value)


# -- errors that are not retried -----------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error_type"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (404, NotFoundError),
        (422, UnprocessableEntityError),
    ],
)
def test_4xx_raise_the_typed_error_at_once(
    server: Server, sleeps: list[float], status: int, error_type: type[APIStatusError]
) -> None:
    body = {
        "error": {
            "message": f"nope {status}",
            "type": "invalid_request_error",
            "param": "size",
            "code": "bad_size",
        }
    }
    server(json_reply(status, body, **{"x-request-id": f"req_{status}"}))
    with server.client(max_retries=3) as client, pytest.raises(APIStatusError) as info:
        client.images.generate(prompt="x")
    error = info.value
    assert type(error) is error_type
    assert server.hits == 1 and sleeps == []
    assert error.status_code == status and error.request_id == f"req_{status}"
    assert error.body == body
    assert error.param == "size" and error.code == "bad_size"
    assert f"nope {status}" in str(error)
    assert API_KEY not in str(error) and API_KEY not in repr(error)


def test_non_json_error_body_is_kept_as_text(server: Server, sleeps: list[float]) -> None:
    page = b"<html><body>Bad Gateway</body></html>"
    server(Reply(400, page, {"x-request-id": "req_html"}, content_type="text/html"))
    with server.client() as client, pytest.raises(BadRequestError) as info:
        client.images.generate(prompt="x")
    assert server.hits == 1 and sleeps == []
    assert info.value.request_id == "req_html"
    assert info.value.body == page.decode()
    assert "400" in str(info.value)


def test_non_json_5xx_is_retried_then_raised(server: Server, sleeps: list[float]) -> None:
    server(Reply(503, b"upstream connect error", content_type="text/plain"))
    with server.client(max_retries=1) as client, pytest.raises(InternalServerError) as info:
        client.images.generate(prompt="x")
    assert server.hits == 2 and len(sleeps) == 1
    assert info.value.status_code == 503 and info.value.body == "upstream connect error"


def test_200_with_invalid_json_is_a_validation_error(server: Server, sleeps: list[float]) -> None:
    server(Reply(200, b'{"created": 1, "data": [', {"x-request-id": "req_bad"}))
    with server.client() as client, pytest.raises(APIResponseValidationError) as info:
        client.images.generate(prompt="x")
    assert server.hits == 1 and sleeps == []
    assert info.value.status_code == 200
    assert API_KEY not in str(info.value)


def test_200_with_the_wrong_shape_is_a_validation_error(server: Server) -> None:
    server(json_reply(200, {"created": "not a number"}), json_reply(200, {"created": "x"}))
    with (
        server.client(strict_response_validation=True) as client,
        pytest.raises(APIResponseValidationError),
    ):
        client.images.generate(prompt="x")
    with server.client() as client:  # lenient: the value kept as it came
        assert client.images.generate(prompt="x").created == "x"


# -- connection failures -------------------------------------------------------------------


def test_connection_reset_raises_after_the_configured_retries(
    server: Server, sleeps: list[float]
) -> None:
    server(RESET)
    with server.client(max_retries=2) as client, pytest.raises(APIConnectionError) as info:
        client.images.generate(prompt="x")
    assert not isinstance(info.value, APITimeoutError)
    assert server.hits == 3 and len(sleeps) == 2
    assert API_KEY not in str(info.value)


def test_reset_then_success(server: Server, sleeps: list[float]) -> None:
    server(RESET, json_reply(200, IMAGES_JSON))
    with server.client() as client:
        assert isinstance(client.images.generate(prompt="x"), ImagesResponse)
    assert server.hits == 2 and len(sleeps) == 1


def test_server_that_never_answers_times_out_after_the_retries(
    server: Server, sleeps: list[float]
) -> None:
    server(HANG)
    with server.client(timeout=0.2, max_retries=2) as client, pytest.raises(APITimeoutError):
        client.images.generate(prompt="x")
    assert server.hits == 3 and len(sleeps) == 2


def test_per_call_timeout_overrides_the_client(server: Server, sleeps: list[float]) -> None:
    server(HANG)
    with server.client(timeout=60, max_retries=0) as client, pytest.raises(APITimeoutError):
        client.images.generate(prompt="x", timeout=0.2)
    assert server.hits == 1 and sleeps == []


# -- SSE -----------------------------------------------------------------------------------


def event(kind: str, payload: object) -> bytes:
    return f"event: {kind}\ndata: {json.dumps(payload)}\n\n".encode()


def test_sse_typed_events_until_done(server: Server) -> None:
    server(
        event("image_generation.partial_image", PARTIAL)
        + event("image_generation.completed", COMPLETED)
        + b"data: [DONE]\n\n"
        + event("image_generation.completed", COMPLETED)  # after [DONE]: never read
    )
    with server.client() as client:
        stream = client.images.generate(prompt="x", stream=True)
        kinds = [e.type for e in stream]
    assert kinds == ["image_generation.partial_image", "image_generation.completed"]
    assert stream.response.is_closed


def test_sse_error_event_raises_and_closes(server: Server) -> None:
    server(
        event("image_generation.partial_image", PARTIAL)
        + event("error", {"error": {"message": "server overloaded", "code": "overloaded"}})
        + event("image_generation.completed", COMPLETED)
    )
    seen = []
    with server.client() as client:
        stream = client.images.generate(prompt="x", stream=True)
        with pytest.raises(APIError, match="server overloaded") as info:
            for item in stream:
                seen.append(item)
    assert len(seen) == 1 and not isinstance(info.value, APIConnectionError)
    assert stream.response.is_closed


def test_truncated_sse_raises_a_clear_error_and_closes(server: Server) -> None:
    server(event("image_generation.partial_image", PARTIAL) + b'data: {"type": "image_gen')
    seen = []
    with server.client() as client:
        stream = client.images.generate(prompt="x", stream=True)
        with pytest.raises(APIConnectionError, match="Stream ended before it was complete"):
            for item in stream:
                seen.append(item)
    assert len(seen) == 1 and stream.response.is_closed


@pytest.mark.anyio
async def test_async_sse_error_and_truncation(server: Server) -> None:
    server(
        event("error", {"error": {"message": "boom"}}),
        event("image_generation.completed", COMPLETED) + b"data: {",
    )
    async with server.async_client() as client:
        stream = await client.images.generate(prompt="x", stream=True)
        with pytest.raises(APIError, match="boom"):
            async for _ in stream:
                pass
        assert stream.response.is_closed
        stream = await client.images.generate(prompt="x", stream=True)
        with pytest.raises(APIConnectionError):
            async for _ in stream:
                pass
        assert stream.response.is_closed


# -- async ---------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_retries_and_errors(server: Server, sleeps: list[float]) -> None:
    server(
        json_reply(500, {}),
        json_reply(429, {}, **{"Retry-After": "2"}),
        json_reply(200, IMAGES_JSON),
        json_reply(404, {"error": {"message": "gone"}}, **{"x-request-id": "req_a"}),
    )
    async with server.async_client() as client:
        assert isinstance(await client.images.generate(prompt="x"), ImagesResponse)
        assert server.hits == 3 and len(sleeps) == 2 and sleeps[1] == 2.0
        with pytest.raises(NotFoundError) as info:
            await client.images.generate(prompt="x")
    assert server.hits == 4 and info.value.request_id == "req_a"


@pytest.mark.anyio
async def test_async_never_answering_and_reset(server: Server, sleeps: list[float]) -> None:
    server(HANG)
    async with server.async_client(timeout=0.2, max_retries=1) as client:
        with pytest.raises(APITimeoutError):
            await client.images.generate(prompt="x")
    assert server.hits == 2 and len(sleeps) == 1
    server(RESET)
    async with server.async_client(max_retries=0) as client:
        with pytest.raises(APIConnectionError):
            await client.images.generate(prompt="x")


# -- the API key stays secret --------------------------------------------------------------


def test_api_key_never_in_repr_errors_or_logs(
    server: Server, sleeps: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server(
        json_reply(500, {}),
        json_reply(401, {"error": {"message": "bad key"}}),
        Reply(200, b"not json"),
        RESET,
    )
    messages: list[str] = []
    with server.client(max_retries=1) as client:
        assert API_KEY not in repr(client) and API_KEY not in str(client)
        assert API_KEY not in repr(client.with_options(timeout=1))
        for _ in range(3):
            with pytest.raises(APIError) as info:
                client.images.generate(prompt="x")
            messages += [str(info.value), repr(info.value), repr(info.value.args)]
    assert server.requests[0]["headers"]["Authorization"] == f"Bearer {API_KEY}"
    assert messages and all(API_KEY not in text for text in messages)
    assert caplog.records and API_KEY not in caplog.text
    for record in caplog.records:
        assert API_KEY not in record.getMessage()


# -- Path uploads are closed on every path -------------------------------------------------


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        pytest.param([json_reply(200, IMAGES_JSON)], None, id="success"),
        pytest.param(
            [json_reply(400, {"error": {"message": "bad"}})], BadRequestError, id="http-error"
        ),
        pytest.param([json_reply(500, {}), json_reply(200, IMAGES_JSON)], None, id="retried"),
        pytest.param([Reply(200, b"<oops>")], APIResponseValidationError, id="invalid-json"),
        pytest.param([RESET], APIConnectionError, id="reset"),
        pytest.param([HANG], APITimeoutError, id="timeout"),
    ],
)
def test_path_uploads_are_closed(
    server: Server,
    sleeps: list[float],
    opened_files: list[io.BufferedReader],
    tmp_path: Path,
    script: list[Action],
    expected: type[Exception] | None,
) -> None:
    image = tmp_path / "image.png"
    mask = tmp_path / "mask.png"
    image.write_bytes(PNG)
    mask.write_bytes(PNG)
    server(*script)
    with server.client(timeout=0.2, max_retries=1) as client:
        if expected is None:
            client.images.edit(image=[image, image], mask=mask, prompt="p")
        else:
            with pytest.raises(expected):
                client.images.edit(image=[image, image], mask=mask, prompt="p")
    assert len(opened_files) == 3 * (1 + server.hits)  # sized once, then read by each attempt
    assert all(handle.closed for handle in opened_files)
    assert server.hits >= 1


def test_path_uploads_are_closed_when_a_later_path_is_missing(
    server: Server, opened_files: list[io.BufferedReader], tmp_path: Path
) -> None:
    image = tmp_path / "image.png"
    image.write_bytes(PNG)
    server(json_reply(200, IMAGES_JSON))
    with server.client() as client, pytest.raises(FileNotFoundError):
        client.images.edit(image=[image, tmp_path / "missing.png"], prompt="p")
    assert len(opened_files) == 1 and opened_files[0].closed
    assert server.hits == 0


@pytest.mark.anyio
async def test_async_path_uploads_are_closed(
    server: Server, sleeps: list[float], opened_files: list[io.BufferedReader], tmp_path: Path
) -> None:
    image = tmp_path / "image.png"
    image.write_bytes(PNG)
    server(RESET)
    async with server.async_client(max_retries=1) as client:
        with pytest.raises(APIConnectionError):
            await client.images.edit(image=image, prompt="p")
    assert len(opened_files) == 3 and all(handle.closed for handle in opened_files)
    assert server.hits == 2 and len(sleeps) == 1
