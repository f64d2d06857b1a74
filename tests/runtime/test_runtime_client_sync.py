"""The sync client against httpx.MockTransport: requests, retries, errors, modes, streams."""

from __future__ import annotations

import email.utils
import json
import logging
import time

import httpx
import imagesdk
import pytest
from imagesdk import (
    APIConnectionError,
    APIError,
    APIResponse,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    SDKError,
    Stream,
    UnprocessableEntityError,
    omit,
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
    make_client,
    sse,
)

pytestmark = pytest.mark.filterwarnings("error")  # unclosed files/responses fail

# --- the request on the wire -------------------------------------------------------------


def test_json_call_sends_the_request_and_parses_the_model() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    client = make_client(rec)
    result = client.images.generate(prompt="a cat", n=2)

    assert isinstance(result, ImagesResponse)
    assert result.data is not None and result.data[0].revised_prompt == "a cat"
    assert result.usage is not None and result.usage.total_tokens == 3
    # Forward compatible: unknown fields are kept.
    assert result.brand_new_field == {"x": 1}  # type: ignore[attr-defined]
    assert result.to_dict()["brand_new_field"] == {"x": 1}

    req = rec.last
    assert req.method == "POST"
    assert str(req.url) == "https://api.test/v1/images/generations"
    assert req.headers["authorization"] == f"Bearer {API_KEY}"
    assert req.headers["content-type"] == "application/json"
    assert req.headers["accept"] == "application/json"
    assert req.headers["user-agent"] == "imagesdk/0.1.0"
    # Compact JSON; omitted arguments are not sent at all.
    assert req.content == b'{"prompt":"a cat","n":2}'


def test_none_is_sent_as_null_and_omit_is_dropped() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    make_client(rec).images.generate(prompt="x", n=None, size=omit, user="u")
    assert rec.body() == {"prompt": "x", "n": None, "user": "u"}


def test_non_ascii_prompt_is_utf8_json() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    make_client(rec).images.generate(prompt="chat noir \u2013 猫")
    assert rec.last.content.decode("utf-8") == '{"prompt":"chat noir \u2013 猫"}'


def test_extra_headers_query_and_body() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    client = make_client(rec, default_headers={"X-Team": "a", "X-Drop": "1"})
    client.images.generate(
        prompt="x",
        n=1,
        extra_headers={"x-team": "b", "X-Drop": omit, "X-New": "y"},
        extra_query={"debug": "true", "skip": omit},
        extra_body={"n": 3, "seed": 7},
    )
    req = rec.last
    assert req.headers["x-team"] == "b"
    assert req.headers.get_list("x-team") == ["b"]
    assert "x-drop" not in req.headers
    assert req.headers["x-new"] == "y"
    assert req.url.params["debug"] == "true"
    assert "skip" not in req.url.params
    assert rec.body() == {"prompt": "x", "n": 3, "seed": 7}


def test_extra_headers_can_remove_authorization() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    make_client(rec).images.generate(prompt="x", extra_headers={"authorization": omit})
    assert "authorization" not in rec.last.headers


def test_extra_body_must_be_a_mapping() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    with pytest.raises(TypeError, match="extra_body"):
        make_client(rec).images.generate(prompt="x", extra_body=["nope"])


def test_timeout_per_call_and_default() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    client = make_client(rec)
    client.images.generate(prompt="x")
    assert rec.last.extensions["timeout"] == {
        "connect": 5.0,
        "read": 600.0,
        "write": 600.0,
        "pool": 600.0,
    }
    client.images.generate(prompt="x", timeout=3.0)
    assert rec.last.extensions["timeout"]["read"] == 3.0
    client.images.generate(prompt="x", timeout=None)
    assert rec.last.extensions["timeout"]["read"] is None
    client.with_options(timeout=httpx.Timeout(9.0)).images.generate(prompt="x")
    assert rec.last.extensions["timeout"]["connect"] == 9.0


def test_base_url_with_trailing_slash() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    http = httpx.Client(transport=httpx.MockTransport(rec))
    client = imagesdk.ImageClient(api_key="k", base_url="http://h/v2/", http_client=http)
    client.images.generate(prompt="x")
    assert str(rec.last.url) == "http://h/v2/images/generations"


# --- retries ------------------------------------------------------------------------------


def test_retries_a_500_then_succeeds(sleeps: list[float]) -> None:
    rec = Recorder(
        json_response(500, {"error": {"message": "boom"}}), json_response(200, IMAGES_JSON)
    )
    result = make_client(rec).images.generate(prompt="x")
    assert isinstance(result, ImagesResponse)
    assert len(rec.requests) == 2
    assert rec.requests[0].content == rec.requests[1].content
    assert len(sleeps) == 1 and 0.375 <= sleeps[0] <= 0.5


def test_backoff_doubles_and_is_capped(sleeps: list[float]) -> None:
    rec = Recorder(json_response(503, {}))
    with pytest.raises(InternalServerError):
        make_client(rec, max_retries=6).images.generate(prompt="x")
    assert len(rec.requests) == 7
    bounds = [0.5, 1, 2, 4, 8, 8]
    assert len(sleeps) == 6
    for slept, high in zip(sleeps, bounds, strict=True):
        assert 0.75 * high <= slept <= high


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
def test_retryable_statuses(status: int, sleeps: list[float]) -> None:
    rec = Recorder(json_response(status, {}), json_response(200, IMAGES_JSON))
    make_client(rec).images.generate(prompt="x")
    assert len(rec.requests) == 2


def test_429_obeys_retry_after_seconds(sleeps: list[float]) -> None:
    rec = Recorder(json_response(429, {}, {"retry-after": "3"}), json_response(200, IMAGES_JSON))
    make_client(rec).images.generate(prompt="x")
    assert sleeps == [3.0]


def test_retry_after_ms_wins(sleeps: list[float]) -> None:
    headers = {"retry-after-ms": "1500", "retry-after": "9"}
    rec = Recorder(json_response(429, {}, headers), json_response(200, IMAGES_JSON))
    make_client(rec).images.generate(prompt="x")
    assert sleeps == [1.5]


def test_retry_after_http_date(sleeps: list[float]) -> None:
    when = email.utils.formatdate(time.time() + 10, usegmt=True)
    rec = Recorder(json_response(429, {}, {"retry-after": when}), json_response(200, IMAGES_JSON))
    make_client(rec).images.generate(prompt="x")
    assert len(sleeps) == 1 and 8.0 <= sleeps[0] <= 10.0


@pytest.mark.parametrize("value", ["120", "-1", "soon", "nan"])
def test_unusable_retry_after_falls_back_to_backoff(value: str, sleeps: list[float]) -> None:
    rec = Recorder(json_response(429, {}, {"retry-after": value}), json_response(200, IMAGES_JSON))
    make_client(rec).images.generate(prompt="x")
    assert len(sleeps) == 1 and 0.375 <= sleeps[0] <= 0.5


def test_retries_exhausted_raise_the_typed_error(sleeps: list[float]) -> None:
    rec = Recorder(
        json_response(
            429,
            {"error": {"message": "slow down", "code": "rate_limit"}},
            {"x-request-id": "req_9"},
        )
    )
    with pytest.raises(RateLimitError) as info:
        make_client(rec).images.generate(prompt="x")
    assert len(rec.requests) == 3 and len(sleeps) == 2
    err = info.value
    assert err.status_code == 429 and err.request_id == "req_9" and err.code == "rate_limit"
    assert str(err) == "429 Too Many Requests: slow down"


def test_max_retries_zero_and_with_options(sleeps: list[float]) -> None:
    rec = Recorder(json_response(500, {}))
    client = make_client(rec)
    with pytest.raises(InternalServerError):
        client.with_options(max_retries=0).images.generate(prompt="x")
    assert len(rec.requests) == 1 and sleeps == []


def test_x_should_retry_header_overrides(sleeps: list[float]) -> None:
    rec = Recorder(json_response(500, {}, {"x-should-retry": "false"}))
    with pytest.raises(InternalServerError):
        make_client(rec).images.generate(prompt="x")
    assert len(rec.requests) == 1
    rec = Recorder(
        json_response(400, {}, {"x-should-retry": "true"}), json_response(200, IMAGES_JSON)
    )
    make_client(rec).images.generate(prompt="x")
    assert len(rec.requests) == 2


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (422, UnprocessableEntityError),
        (418, APIStatusError),
    ],
)
def test_no_retry_on_other_4xx(
    status: int, error_class: type[APIStatusError], sleeps: list[float]
) -> None:
    body = {
        "error": {"message": "nope", "type": "invalid_request_error", "param": "size", "code": None}
    }
    rec = Recorder(json_response(status, body, {"x-request-id": "req_123"}))
    with pytest.raises(error_class) as info:
        make_client(rec).images.generate(prompt="x")
    err = info.value
    assert type(err) is error_class
    assert isinstance(err, APIError) and isinstance(err, SDKError)
    assert len(rec.requests) == 1 and sleeps == []
    assert err.status_code == status
    assert err.body == body
    assert err.request_id == "req_123"
    assert err.response.status_code == status
    assert err.request is not None and err.request.url.path == "/v1/images/generations"
    assert err.param == "size" and err.type == "invalid_request_error"
    assert str(err).endswith(": nope") and str(err).startswith(str(status))


def test_409_is_conflict_after_retries(sleeps: list[float]) -> None:
    rec = Recorder(json_response(409, {}))
    with pytest.raises(ConflictError):
        make_client(rec).images.generate(prompt="x")
    assert len(rec.requests) == 3


def test_error_body_text_and_empty() -> None:
    rec = Recorder(httpx.Response(400, content=b"<html>bad</html>"))
    with pytest.raises(BadRequestError) as info:
        make_client(rec).images.generate(prompt="x")
    assert info.value.body == "<html>bad</html>" and str(info.value) == "400 Bad Request"
    rec = Recorder(httpx.Response(404))
    with pytest.raises(NotFoundError) as info2:
        make_client(rec).images.generate(prompt="x")
    assert info2.value.body is None


def test_string_error_body_from_mock_servers() -> None:
    rec = Recorder(json_response(400, {"error": "Validation failed", "steady": {"errors": []}}))
    with pytest.raises(BadRequestError, match="400 Bad Request: Validation failed"):
        make_client(rec).images.generate(prompt="x")


def test_timeouts_are_retried_then_raise_api_timeout_error(sleeps: list[float]) -> None:
    rec = Recorder(httpx.ReadTimeout("timed out"))
    with pytest.raises(APITimeoutError) as info:
        make_client(rec).images.generate(prompt="x")
    assert len(rec.requests) == 3 and len(sleeps) == 2
    assert isinstance(info.value, APIConnectionError)
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)
    assert info.value.request is not None


def test_connection_errors_are_retried_then_raise(sleeps: list[float]) -> None:
    rec = Recorder(
        httpx.ConnectError("refused"),
        httpx.ConnectError("refused"),
        json_response(200, IMAGES_JSON),
    )
    assert isinstance(make_client(rec).images.generate(prompt="x"), ImagesResponse)
    rec = Recorder(httpx.RemoteProtocolError("reset"))
    with pytest.raises(APIConnectionError) as info:
        make_client(rec).images.generate(prompt="x")
    assert type(info.value) is APIConnectionError
    assert isinstance(info.value.__cause__, httpx.RemoteProtocolError)


def test_invalid_json_or_shape_raises_validation_error() -> None:
    rec = Recorder(httpx.Response(200, content=b"not json"))
    with pytest.raises(APIResponseValidationError) as info:
        make_client(rec).images.generate(prompt="x")
    assert info.value.status_code == 200 and info.value.body == "not json"
    assert "Invalid JSON" in str(info.value)
    rec = Recorder(json_response(200, {"data": []}))
    with pytest.raises(APIResponseValidationError, match="created: Field required"):
        make_client(rec, strict_response_validation=True).images.generate(prompt="x")
    # Not strict: the model holds what came, the missing field left out.
    lenient = make_client(rec).images.generate(prompt="x")
    assert isinstance(lenient, ImagesResponse) and lenient.data == []
    assert "created" not in lenient.to_dict()
    rec = Recorder(json_response(200, [1, 2]))  # not an object at all: no model holds it
    with pytest.raises(APIResponseValidationError, match="not a valid ImagesResponse"):
        make_client(rec).images.generate(prompt="x")


# --- the key never leaks ------------------------------------------------------------------


def test_api_key_never_in_repr_or_errors(sleeps: list[float]) -> None:
    body = {"error": {"message": f"Incorrect API key provided: {API_KEY}"}}
    rec = Recorder(json_response(401, body))
    client = make_client(rec)
    assert API_KEY not in repr(client)
    assert API_KEY not in repr(client.with_options(max_retries=1))
    with pytest.raises(AuthenticationError) as info:
        client.images.generate(prompt="x")
    assert API_KEY not in str(info.value) and API_KEY not in repr(info.value)
    assert "***" in str(info.value)
    for exc in [httpx.ConnectError("x"), httpx.ReadTimeout("x")]:
        with pytest.raises(APIConnectionError) as info2:
            make_client(Recorder(exc), max_retries=0).images.generate(prompt="x")
        assert API_KEY not in str(info2.value) and API_KEY not in repr(info2.value)


def test_logs_never_hold_the_key(caplog: pytest.LogCaptureFixture, sleeps: list[float]) -> None:
    caplog.set_level(logging.DEBUG, logger="imagesdk")
    rec = Recorder(json_response(500, {}), json_response(200, IMAGES_JSON))
    make_client(rec).images.generate(prompt="x")
    text = caplog.text
    assert "POST https://api.test/v1/images/generations" in text and "-> 500" in text
    assert "retry 1 of 2" in text
    assert API_KEY not in text and "Bearer" not in text
    assert {r.name for r in caplog.records} == {"imagesdk"}


# --- raw and streamed modes ---------------------------------------------------------------


def test_raw_response() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON, {"x-request-id": "req_1"}))
    client = make_client(rec)
    raw = client.images.with_raw_response.generate(prompt="x")
    assert isinstance(raw, APIResponse)
    assert raw.status_code == 200 and raw.request_id == "req_1"
    assert raw.headers["content-type"] == "application/json"
    assert raw.http_response.is_closed  # body read
    parsed = raw.parse()
    assert isinstance(parsed, ImagesResponse) and parsed.created == 1700000000
    assert raw.parse() is parsed
    assert raw.json()["created"] == 1700000000
    assert json.loads(raw.text()) == raw.json() and raw.read() == raw.http_response.content
    assert raw.retries_taken == 0
    assert "POST" in repr(raw) and API_KEY not in repr(raw)


def test_raw_response_counts_retries(sleeps: list[float]) -> None:
    rec = Recorder(json_response(502, {}), json_response(200, IMAGES_JSON))
    raw = make_client(rec).images.with_raw_response.generate(prompt="x")
    assert raw.retries_taken == 1


def test_streamed_response_does_not_read_the_body_up_front() -> None:
    body = Chunks([json.dumps(IMAGES_JSON).encode()])
    rec = Recorder(httpx.Response(200, stream=body, headers={"x-request-id": "r"}))
    client = make_client(rec)
    with client.images.with_streaming_response.generate(prompt="x") as response:
        assert isinstance(response, APIResponse)
        assert not response.http_response.is_stream_consumed
        assert response.request_id == "r"
        parsed = response.parse()
        assert isinstance(parsed, ImagesResponse)
    assert response.http_response.is_closed and body.closed


def test_streamed_response_iter_lines() -> None:
    rec = Recorder(httpx.Response(200, stream=Chunks([b"a\nb", b"\nc\n"])))
    with make_client(rec).images.with_streaming_response.generate(prompt="x") as response:
        assert list(response.iter_lines()) == ["a", "b", "c"]


def test_streaming_wrapper_sends_on_enter_only() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    manager = make_client(rec).images.with_streaming_response.generate(prompt="x")
    assert rec.requests == []
    with manager:
        assert len(rec.requests) == 1


def test_raw_and_streamed_errors_still_raise() -> None:
    rec = Recorder(json_response(404, {"error": {"message": "gone"}}))
    client = make_client(rec)
    with pytest.raises(NotFoundError, match="gone"):
        client.images.with_raw_response.generate(prompt="x")
    with (
        pytest.raises(NotFoundError, match="gone"),
        client.images.with_streaming_response.generate(prompt="x"),
    ):
        pass


# --- server-sent events -------------------------------------------------------------------


def event(data: object, name: str | None = None) -> str:
    head = f"event: {name}\n" if name else ""
    return f"{head}data: {json.dumps(data)}\n\n"


def sse_response(
    *chunks: bytes, fail_with: Exception | None = None
) -> tuple[httpx.Response, Chunks]:
    body = Chunks(list(chunks), fail_with)
    return httpx.Response(200, stream=body, headers={"content-type": "text/event-stream"}), body


def test_stream_yields_typed_events_and_stops_at_done() -> None:
    payload = sse(
        event(PARTIAL, "image_generation.partial_image"),
        ": keep-alive\n\n",
        event(COMPLETED, "image_generation.completed"),
        "data: [DONE]\n\n",
        event(PARTIAL),
    )
    response, body = sse_response(payload[:7], payload[7:50], payload[50:])
    rec = Recorder(response)
    stream = make_client(rec).images.generate(prompt="x", stream=True)
    assert isinstance(stream, Stream)
    assert rec.last.headers["accept"] == "text/event-stream"
    assert json.loads(rec.last.content)["stream"] is True
    events = list(stream)
    assert [type(e) for e in events] == [ImageGenPartialImageEvent, ImageGenCompletedEvent]
    assert events[1].b64_json == "BBBB"
    assert body.closed


def test_stream_ends_cleanly_without_done() -> None:
    response, body = sse_response(sse(event(PARTIAL), event(COMPLETED)))
    events = list(make_client(Recorder(response)).images.generate(prompt="x", stream=True))
    assert len(events) == 2 and body.closed


def test_stream_next_and_context_manager() -> None:
    response, body = sse_response(sse(event(PARTIAL), event(COMPLETED)))
    with make_client(Recorder(response)).images.generate(prompt="x", stream=True) as stream:
        first = next(stream)
        assert isinstance(first, ImageGenPartialImageEvent)
    assert body.closed


def test_break_closes_the_response() -> None:
    response, body = sse_response(sse(event(PARTIAL), event(COMPLETED)))
    stream = make_client(Recorder(response)).images.generate(prompt="x", stream=True)
    for _ in stream:
        break
    assert body.closed and response.is_closed


@pytest.mark.parametrize(
    "payload",
    [
        event({"error": {"message": "content policy", "code": "moderation_blocked"}}, "error"),
        event(
            {"type": "error", "error": {"message": "content policy", "code": "moderation_blocked"}}
        ),
        event({"error": {"message": "content policy", "code": "moderation_blocked"}}),
    ],
)
def test_error_events_raise_api_error(payload: str) -> None:
    response, body = sse_response(sse(event(PARTIAL), payload, event(COMPLETED)))
    stream = make_client(Recorder(response)).images.generate(prompt="x", stream=True)
    seen = []
    with pytest.raises(APIError) as info:
        for item in stream:
            seen.append(item)
    assert len(seen) == 1
    assert type(info.value) is APIError
    assert str(info.value) == "content policy" and info.value.code == "moderation_blocked"
    assert body.closed


def test_error_event_with_plain_text() -> None:
    response, _ = sse_response(b"event: error\ndata: overloaded\n\n")
    with pytest.raises(APIError, match=r"^overloaded$"):
        list(make_client(Recorder(response)).images.generate(prompt="x", stream=True))


def test_truncated_stream_raises_connection_error() -> None:
    response, body = sse_response(sse(event(PARTIAL)), b'data: {"type": "image_gen')
    stream = make_client(Recorder(response)).images.generate(prompt="x", stream=True)
    seen = []
    with pytest.raises(APIConnectionError, match="Stream ended before it was complete"):
        for item in stream:
            seen.append(item)
    assert len(seen) == 1 and body.closed


def test_stream_missing_final_blank_line_is_truncated() -> None:
    response, _ = sse_response(sse(event(PARTIAL)), b"data: {}\n")
    with pytest.raises(APIConnectionError):
        list(make_client(Recorder(response)).images.generate(prompt="x", stream=True))


def test_transport_error_mid_stream() -> None:
    response, body = sse_response(
        sse(event(PARTIAL)), fail_with=httpx.RemoteProtocolError("peer closed")
    )
    with pytest.raises(APIConnectionError, match="Stream ended before it was complete") as info:
        list(make_client(Recorder(response)).images.generate(prompt="x", stream=True))
    assert isinstance(info.value.__cause__, httpx.RemoteProtocolError) and body.closed
    response, _ = sse_response(sse(event(PARTIAL)), fail_with=httpx.ReadTimeout("slow"))
    with pytest.raises(APITimeoutError):
        list(make_client(Recorder(response)).images.generate(prompt="x", stream=True))


def test_invalid_event_raises_validation_error() -> None:
    response, body = sse_response(sse(event({"type": "image_generation.unknown"})))
    strict = make_client(Recorder(response), strict_response_validation=True)
    with pytest.raises(APIResponseValidationError):
        list(strict.images.generate(prompt="x", stream=True))
    assert body.closed
    # Not strict: an event type the client does not know yet still comes through.
    response, body = sse_response(sse(event({"type": "image_generation.unknown"})))
    (new,) = list(make_client(Recorder(response)).images.generate(prompt="x", stream=True))
    assert new.type == "image_generation.unknown" and body.closed
    response, _ = sse_response(b"data: {not json\n\n")
    with pytest.raises(APIResponseValidationError, match="Invalid JSON"):
        list(make_client(Recorder(response)).images.generate(prompt="x", stream=True))


def test_stream_error_status_is_raised_before_streaming(sleeps: list[float]) -> None:
    body = Chunks([json.dumps({"error": {"message": "bad size"}}).encode()])
    rec = Recorder(httpx.Response(400, stream=body))
    with pytest.raises(BadRequestError, match="bad size") as info:
        make_client(rec).images.generate(prompt="x", stream=True)
    assert info.value.body == {"error": {"message": "bad size"}} and body.closed


def test_stream_retry_closes_the_failed_response(sleeps: list[float]) -> None:
    failed = Chunks([b"{}"])
    ok, _ = sse_response(sse(event(COMPLETED)))
    rec = Recorder(httpx.Response(503, stream=failed), ok)
    assert len(list(make_client(rec).images.generate(prompt="x", stream=True))) == 1
    assert failed.closed


def test_raw_and_streamed_modes_for_a_stream() -> None:
    response, body = sse_response(sse(event(PARTIAL), event(COMPLETED)))
    raw = make_client(Recorder(response)).images.with_raw_response.generate(prompt="x", stream=True)
    stream = raw.parse()
    assert isinstance(stream, Stream) and len(list(stream)) == 2 and body.closed
    response, body = sse_response(sse(event(PARTIAL), event(COMPLETED)))
    client = make_client(Recorder(response))
    with client.images.with_streaming_response.generate(prompt="x", stream=True) as streamed:
        assert [type(e).__name__ for e in streamed.parse()] == [
            "ImageGenPartialImageEvent",
            "ImageGenCompletedEvent",
        ]
    assert body.closed


# --- client settings ----------------------------------------------------------------------


def test_missing_api_key_names_the_env_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IMAGE_API_KEY", raising=False)
    with pytest.raises(SDKError, match="IMAGE_API_KEY"):
        imagesdk.ImageClient()
    with pytest.raises(SDKError, match="IMAGE_API_KEY"):
        imagesdk.AsyncImageClient()
    monkeypatch.setenv("IMAGE_API_KEY", "")
    with pytest.raises(SDKError):
        imagesdk.ImageClient()


def test_env_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMAGE_API_KEY", "env-key")
    monkeypatch.delenv("IMAGE_BASE_URL", raising=False)
    with imagesdk.ImageClient() as client:
        assert client.api_key == "env-key"
        assert str(client.base_url) == "https://api.example.com/v1"
        assert client.max_retries == 2
        assert client.timeout == httpx.Timeout(600.0, connect=5.0)
    assert client.is_closed
    monkeypatch.setenv("IMAGE_BASE_URL", "http://local:1/x")
    with imagesdk.ImageClient(api_key="arg") as client:
        assert client.api_key == "arg" and str(client.base_url) == "http://local:1/x"
    with imagesdk.ImageClient(base_url="http://arg") as client:
        assert str(client.base_url) == "http://arg"


def test_bad_max_retries() -> None:
    with pytest.raises(SDKError):
        imagesdk.ImageClient(api_key="k", max_retries=-1)


def test_with_options_shares_the_pool_and_keeps_settings() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    client = make_client(rec, default_headers={"X-A": "1"}, max_retries=5)
    copy = client.with_options(timeout=1.0, default_headers={"X-B": "2"})
    assert type(copy) is type(client)
    assert copy._http is client._http
    assert copy.max_retries == 5 and copy.timeout == 1.0 and client.timeout != 1.0
    assert copy.images is not client.images and copy.images._client is copy
    copy.images.generate(prompt="x")
    assert rec.last.headers["x-a"] == "1" and rec.last.headers["x-b"] == "2"
    copy.close()
    assert not client.is_closed
    other = client.copy(api_key="other", base_url="http://else/v9")
    other.images.generate(prompt="x")
    assert rec.last.headers["authorization"] == "Bearer other"
    assert str(rec.last.url) == "http://else/v9/images/generations"


def test_user_http_client_is_not_closed_but_ours_is() -> None:
    http = httpx.Client()
    with imagesdk.ImageClient(api_key="k", http_client=http) as client:
        pass
    assert not http.is_closed and client.is_closed is False
    http.close()
    own = imagesdk.ImageClient(api_key="k")
    own.close()
    assert own.is_closed


def test_resource_modes() -> None:
    client = make_client(Recorder(json_response(200, IMAGES_JSON)))
    assert client.images._mode == "parsed"
    raw = client.images._with_mode("raw")
    assert type(raw) is type(client.images) and raw._mode == "raw" and raw._client is client
    assert client.images is client.images  # cached


def test_base_url_query_is_kept_and_merged_with_extra_query() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    http = httpx.Client(transport=httpx.MockTransport(rec))
    client = imagesdk.ImageClient(
        api_key="k", base_url="http://h/v1?api-version=2", http_client=http
    )
    client.images.generate(prompt="x")
    assert str(rec.last.url) == "http://h/v1/images/generations?api-version=2"
    client.images.generate(prompt="x", extra_query={"debug": 1, "api-version": "3"})
    assert rec.last.url.params == httpx.QueryParams({"api-version": "3", "debug": "1"})


def test_error_body_cut_short_is_a_connection_error(sleeps: list[float]) -> None:
    body = Chunks([b'{"error": '], fail_with=httpx.ReadError("reset"))
    rec = Recorder(httpx.Response(400, stream=body))
    with pytest.raises(APIConnectionError) as info:
        make_client(rec).images.generate(prompt="x", stream=True)
    assert isinstance(info.value.__cause__, httpx.ReadError)


def test_stream_without_event_type_fails_before_sending() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    client = make_client(rec)
    with pytest.raises(TypeError, match="event_type"):
        client._request("post", "/x", cast_to=ImagesResponse, stream=True, event_type=None)
    assert rec.requests == []


def test_event_named_done_ends_the_stream() -> None:
    response, body = sse_response(
        sse(event(PARTIAL), "event: done\ndata: {}\n\n", event(COMPLETED))
    )
    events = list(make_client(Recorder(response)).images.generate(prompt="x", stream=True))
    assert [type(e) for e in events] == [ImageGenPartialImageEvent] and body.closed
