"""Secrets, routes, the exception hierarchy and Retry-After against hostile input.

A real server on 127.0.0.1 (the `server` fixture) where the wire matters: redirect loops,
corrupt gzip bodies, bodies nested too deep. MockTransport elsewhere.
"""

from __future__ import annotations

import email.utils
import gzip
import logging
import time
from typing import Any

import httpx
import pytest
from imagesdk import (
    APIConnectionError,
    APIResponseValidationError,
    AsyncImageClient,
    BadRequestError,
    ImageClient,
    SDKError,
)
from imagesdk._constants import MAX_RETRY_AFTER
from imagesdk.types.images_response import ImagesResponse
from loopback_server import Reply, Server, json_reply
from runtime_support import (
    API_KEY,
    BASE_URL,
    IMAGES_JSON,
    Recorder,
    json_response,
    make_async_client,
    make_client,
)

pytestmark = pytest.mark.filterwarnings("error")

CLIENTS = [ImageClient, AsyncImageClient]
DEEP_JSON = b"[" * 100_000 + b"]" * 100_000
NOT_GZIP = b"this is not gzip at all" * 10


# -- 1. no credential in an error message or a log ----------------------------------------


@pytest.mark.parametrize("client_class", CLIENTS)
@pytest.mark.parametrize("tail", ["\n", "\r\n", "\x00", "\x7f", "\u00e9"])
def test_a_key_with_a_control_or_non_ascii_character_is_refused_unechoed(
    client_class: type[Any], tail: str
) -> None:
    with pytest.raises(SDKError) as info:
        client_class(api_key=API_KEY + tail, base_url=BASE_URL)
    assert "api_key holds a control character" in str(info.value)
    assert API_KEY not in str(info.value) and API_KEY not in repr(info.value)


def test_a_copy_with_a_bad_key_is_refused_too() -> None:
    client = make_client(Recorder(json_response(200, IMAGES_JSON)))
    with pytest.raises(SDKError) as info:
        client.with_options(api_key=API_KEY + "\n")
    assert API_KEY not in str(info.value)


def test_a_default_header_that_cannot_be_sent_is_refused_by_name_only() -> None:
    with pytest.raises(SDKError) as info:
        ImageClient(
            api_key=API_KEY, base_url=BASE_URL, default_headers={"X-Token": "tok-SECRET\r\n"}
        )
    assert "'X-Token'" in str(info.value) and "tok-SECRET" not in str(info.value)


def test_an_extra_header_that_cannot_be_sent_is_refused_before_sending(
    sleeps: list[float],
) -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    with pytest.raises(SDKError) as info:
        make_client(rec).images.generate(prompt="x", extra_headers={"X-Token": "tok-SECRET\n"})
    assert "tok-SECRET" not in str(info.value)
    assert rec.requests == [] and sleeps == []


@pytest.mark.anyio
async def test_async_an_extra_header_that_cannot_be_sent_is_refused(sleeps: list[float]) -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    with pytest.raises(SDKError) as info:
        await make_async_client(rec).images.generate(
            prompt="x", extra_headers={"X-Token": "tok-SECRET\x00"}
        )
    assert "tok-SECRET" not in str(info.value)
    assert rec.requests == [] and sleeps == []


def test_connection_errors_and_debug_logs_never_carry_the_transport_message(
    sleeps: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    leaky = httpx.ConnectError(f"Illegal header value b'Bearer {API_KEY}\\n'")
    rec = Recorder(leaky)
    with pytest.raises(APIConnectionError) as info:
        make_client(rec, max_retries=1).images.generate(prompt="x")
    assert str(info.value) == "Connection error (ConnectError)."
    assert info.value.__cause__ is leaky
    assert len(rec.requests) == 2  # a refused connection may well work next time
    assert caplog.records and API_KEY not in caplog.text


@pytest.mark.parametrize(
    "error",
    [
        pytest.param(httpx.LocalProtocolError("Illegal header value"), id="local-protocol"),
        pytest.param(httpx.UnsupportedProtocol("ftp"), id="unsupported-protocol"),
        pytest.param(httpx.RequestError("other"), id="other-request-error"),
    ],
)
def test_what_a_retry_cannot_fix_is_not_retried(error: Exception, sleeps: list[float]) -> None:
    rec = Recorder(error)
    with pytest.raises(APIConnectionError) as info:
        make_client(rec, max_retries=3).images.generate(prompt="x")
    assert info.value.__cause__ is error
    assert len(rec.requests) == 1 and sleeps == []


def test_a_url_scheme_httpx_cannot_speak_fails_once(sleeps: list[float]) -> None:
    with (
        ImageClient(api_key=API_KEY, base_url="ftp://127.0.0.1/v1", max_retries=2) as client,
        pytest.raises(APIConnectionError) as info,
    ):
        client.images.generate(prompt="x")
    assert isinstance(info.value.__cause__, httpx.UnsupportedProtocol) and sleeps == []


# -- 2. a path value is one segment -------------------------------------------------------


def get_path(client: Any, **path_params: object) -> Any:
    return client._request(
        "get",
        "/albums/{album_id}/pictures/{picture_id}",
        cast_to=ImagesResponse,
        path_params=path_params,
    )


@pytest.mark.parametrize(
    ("value", "segment"),
    [
        (".", b"%2E"),
        ("..", b"%2E%2E"),
        ("...", b"..."),
        ("a.b", b"a.b"),
        ("%2E", b"%252E"),
        ("../x", b"..%2Fx"),
    ],
)
def test_a_path_value_stays_one_segment_in_place(value: str, segment: bytes) -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    get_path(make_client(rec), album_id=value, picture_id=7)
    assert rec.last.url.raw_path == b"/v1/albums/" + segment + b"/pictures/7"


@pytest.mark.anyio
async def test_async_dot_segments_stay_in_place() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    await get_path(make_async_client(rec), album_id="..", picture_id=".")
    assert rec.last.url.raw_path == b"/v1/albums/%2E%2E/pictures/%2E"


def test_an_empty_path_value_is_a_value_error_and_nothing_is_sent() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    with pytest.raises(ValueError, match="'album_id' is empty"):
        get_path(make_client(rec), album_id="", picture_id=7)
    assert rec.requests == []


# -- 4. every failure is an SDKError, its cause chained ------------------------------------


def redirect_loop(server: Server) -> Server:
    return server(Reply(307, b"", {"Location": "/images/generations"}))


def test_a_redirect_loop_is_a_connection_error_not_retried(
    server: Server, sleeps: list[float]
) -> None:
    with (
        redirect_loop(server).client() as client,
        pytest.raises(APIConnectionError, match="too many redirects") as info,
    ):
        client.images.generate(prompt="x")
    assert isinstance(info.value.__cause__, httpx.TooManyRedirects)
    assert server.hits == 21 and sleeps == []  # the first request and httpx's 20 redirects


@pytest.mark.anyio
async def test_async_a_redirect_loop_is_a_connection_error(
    server: Server, sleeps: list[float]
) -> None:
    async with redirect_loop(server).async_client() as client:
        with pytest.raises(APIConnectionError) as info:
            await client.images.generate(prompt="x")
    assert isinstance(info.value.__cause__, httpx.TooManyRedirects)


def corrupt_gzip(content_type: str = "application/json") -> Reply:
    return Reply(200, NOT_GZIP, {"Content-Encoding": "gzip"}, content_type)


def test_a_corrupt_gzip_body_is_a_connection_error(server: Server, sleeps: list[float]) -> None:
    with (
        server(corrupt_gzip()).client() as client,
        pytest.raises(APIConnectionError, match="could not be decoded") as info,
    ):
        client.images.generate(prompt="x")
    assert isinstance(info.value.__cause__, httpx.DecodingError) and server.hits == 1


def test_a_corrupt_gzip_stream_is_a_connection_error(server: Server) -> None:
    with server(corrupt_gzip("text/event-stream")).client() as client:
        stream = client.images.generate(prompt="x", stream=True)
        with pytest.raises(APIConnectionError) as info:
            list(stream)
    assert isinstance(info.value.__cause__, httpx.DecodingError)
    assert stream.response.is_closed


@pytest.mark.anyio
async def test_async_corrupt_gzip_normal_and_streamed(server: Server) -> None:
    async with server(corrupt_gzip(), corrupt_gzip("text/event-stream")).async_client() as client:
        with pytest.raises(APIConnectionError) as info:
            await client.images.generate(prompt="x")
        assert isinstance(info.value.__cause__, httpx.DecodingError)
        stream = await client.images.generate(prompt="x", stream=True)
        with pytest.raises(APIConnectionError) as info:
            async for _ in stream:
                pass
        assert isinstance(info.value.__cause__, httpx.DecodingError)


def test_a_corrupt_gzip_body_read_through_the_streamed_response(server: Server) -> None:
    with (
        server(corrupt_gzip()).client() as client,
        client.images.with_streaming_response.generate(prompt="x") as response,
        pytest.raises(APIConnectionError) as info,
    ):
        response.parse()
    assert isinstance(info.value.__cause__, httpx.DecodingError)


@pytest.mark.anyio
async def test_async_a_corrupt_gzip_body_read_through_the_streamed_response(
    server: Server,
) -> None:
    async with (
        server(corrupt_gzip()).async_client() as client,
        client.images.with_streaming_response.generate(prompt="x") as response,
    ):
        with pytest.raises(APIConnectionError) as info:
            await response.read()
    assert isinstance(info.value.__cause__, httpx.DecodingError)


def test_a_corrupt_gzip_body_iterated_through_the_streamed_response(server: Server) -> None:
    with (
        server(corrupt_gzip()).client() as client,
        client.images.with_streaming_response.generate(prompt="x") as response,
        pytest.raises(APIConnectionError) as info,
    ):
        list(response.iter_bytes())
    assert isinstance(info.value.__cause__, httpx.DecodingError)


@pytest.mark.anyio
async def test_async_a_corrupt_gzip_body_iterated_through_the_streamed_response(
    server: Server,
) -> None:
    async with (
        server(corrupt_gzip()).async_client() as client,
        client.images.with_streaming_response.generate(prompt="x") as response,
    ):
        with pytest.raises(APIConnectionError) as info:
            async for _ in response.iter_lines():
                pass
    assert isinstance(info.value.__cause__, httpx.DecodingError)


def test_a_valid_gzip_body_still_parses(server: Server) -> None:
    body = gzip.compress(json_reply(200, IMAGES_JSON).body)
    with server(Reply(200, body, {"Content-Encoding": "gzip"})).client() as client:
        assert client.images.generate(prompt="x").created == IMAGES_JSON["created"]


def test_a_body_nested_too_deep_is_a_validation_error(server: Server) -> None:
    with (
        server(Reply(200, DEEP_JSON)).client() as client,
        pytest.raises(APIResponseValidationError) as info,
    ):
        client.images.generate(prompt="x")
    assert info.value.__cause__ is not None and isinstance(info.value.body, str)


@pytest.mark.anyio
async def test_async_a_body_nested_too_deep_is_a_validation_error(server: Server) -> None:
    async with server(Reply(200, DEEP_JSON)).async_client() as client:
        with pytest.raises(APIResponseValidationError):
            await client.images.generate(prompt="x")


def test_an_error_body_nested_too_deep_keeps_its_status(server: Server) -> None:
    with (
        server(Reply(400, DEEP_JSON)).client() as client,
        pytest.raises(BadRequestError) as info,
    ):
        client.images.generate(prompt="x")
    assert str(info.value) == "400 Bad Request" and info.value.body == DEEP_JSON.decode()


def test_a_stream_event_nested_too_deep_is_a_validation_error(server: Server) -> None:
    with server(b"data: " + DEEP_JSON + b"\n\n").client() as client:
        stream = client.images.generate(prompt="x", stream=True)
        with pytest.raises(APIResponseValidationError):
            list(stream)
    assert stream.response.is_closed


def test_raw_json_nested_too_deep_is_a_validation_error(server: Server) -> None:
    with server(Reply(200, DEEP_JSON)).client() as client:
        raw = client.images.with_raw_response.generate(prompt="x")
        with pytest.raises(APIResponseValidationError) as info:
            raw.json()
    assert isinstance(info.value.__cause__, RecursionError)


# -- 6. Retry-After is bounded, whatever its value ------------------------------------------


def http_date(offset: float) -> str:
    return email.utils.formatdate(time.time() + offset, usegmt=True)


@pytest.mark.parametrize(
    "headers",
    [
        {"retry-after": "1e9"},
        {"retry-after": "-5"},
        {"retry-after": "nan"},
        {"retry-after": "inf"},
        {"retry-after": "-inf"},
        {"retry-after": "1" + "0" * 400},
        {"retry-after": "Fri, 31 Dec 9999 23:59:59 GMT"},
        {"retry-after": "Mon, 99 Foo 2024 99:99:99 GMT"},
        {"retry-after-ms": "1e12"},
        {"retry-after-ms": "-1"},
        {"retry-after-ms": "nan"},
    ],
    ids=lambda headers: "-".join(f"{k}={v[:12]}" for k, v in headers.items()),
)
def test_an_unusable_retry_after_falls_back_to_the_backoff(
    headers: dict[str, str], sleeps: list[float]
) -> None:
    rec = Recorder(json_response(429, {}, headers), json_response(200, IMAGES_JSON))
    make_client(rec).images.generate(prompt="x")
    assert len(sleeps) == 1 and 0.375 <= sleeps[0] <= 0.5


@pytest.mark.parametrize("offset", [-3600.0, -1.0])
def test_a_past_date_falls_back_to_the_backoff(offset: float, sleeps: list[float]) -> None:
    headers = {"retry-after": http_date(offset)}
    rec = Recorder(json_response(503, {}, headers), json_response(200, IMAGES_JSON))
    make_client(rec).images.generate(prompt="x")
    assert len(sleeps) == 1 and 0.375 <= sleeps[0] <= 0.5


def test_a_future_date_within_the_limit_is_honoured(sleeps: list[float]) -> None:
    headers = {"retry-after": http_date(30)}
    rec = Recorder(json_response(429, {}, headers), json_response(200, IMAGES_JSON))
    make_client(rec).images.generate(prompt="x")
    assert len(sleeps) == 1 and 28.0 <= sleeps[0] <= 30.0


def test_a_future_date_beyond_the_limit_is_not(sleeps: list[float]) -> None:
    headers = {"retry-after": http_date(MAX_RETRY_AFTER + 120)}
    rec = Recorder(json_response(429, {}, headers), json_response(200, IMAGES_JSON))
    make_client(rec).images.generate(prompt="x")
    assert len(sleeps) == 1 and sleeps[0] <= 0.5


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": str(MAX_RETRY_AFTER)}, MAX_RETRY_AFTER),
        ({"retry-after": "0"}, 0.0),
        ({"retry-after-ms": "2500"}, 2.5),
    ],
)
@pytest.mark.anyio
async def test_async_retry_after_at_the_bounds_is_honoured(
    headers: dict[str, str], expected: float, sleeps: list[float]
) -> None:
    rec = Recorder(json_response(429, {}, headers), json_response(200, IMAGES_JSON))
    await make_async_client(rec).images.generate(prompt="x")
    assert sleeps == [expected]
