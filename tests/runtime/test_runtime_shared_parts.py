"""The pure parts that the sync and the async client share: each on its own, no I/O."""

from __future__ import annotations

import httpx
import pytest
from imagesdk import APIConnectionError, APIError, APIResponseValidationError, APITimeoutError
from imagesdk._request_options import leaves_body_unread, query_params, request_headers
from imagesdk._retry import retry_delay
from imagesdk._streaming import _TypedEvents
from imagesdk._types import omit
from imagesdk.types.image_gen_stream_event import ImageGenCompletedEvent, ImageGenStreamEvent
from imagesdk.types.images_response import ImagesResponse
from runtime_support import COMPLETED, event_bytes

pytestmark = pytest.mark.filterwarnings("error")

REQUEST = httpx.Request("POST", "https://api.test/v1/images")


def response(status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers, request=REQUEST)


# -- the retry decision -----------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 201, 204, 304, 399])
def test_a_success_or_redirect_is_final(status: int) -> None:
    assert retry_delay(response(status), 0, 5) is None


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_an_unretryable_status_is_final(status: int) -> None:
    assert retry_delay(response(status), 0, 5) is None


def test_a_retryable_status_waits_the_backoff_then_stops_at_the_limit() -> None:
    first = retry_delay(response(503), 0, 2)
    second = retry_delay(response(503), 1, 2)
    assert first is not None and 0.375 <= first <= 0.5
    assert second is not None and 0.75 <= second <= 1.0
    assert retry_delay(response(503), 2, 2) is None


def test_a_transport_error_is_retried_until_the_limit() -> None:
    error = httpx.ConnectError("refused", request=REQUEST)
    delay = retry_delay(error, 0, 1)
    assert delay is not None and 0.375 <= delay <= 0.5
    assert retry_delay(error, 1, 1) is None


def test_the_server_may_forbid_or_ask_for_a_retry() -> None:
    assert retry_delay(response(500, **{"x-should-retry": "false"}), 0, 2) is None
    assert retry_delay(response(400, **{"x-should-retry": "true"}), 0, 2) is not None


# -- request options --------------------------------------------------------------------


def test_request_headers_apply_stream_then_parameters_then_extras() -> None:
    headers = request_headers(
        {"Accept": "application/json", "X-Keep": "1"},
        {
            "cast_to": ImagesResponse,
            "stream": True,
            "header_params": {"X-Flag": True, "X-List": [1, 2], "X-Gone": omit, "X-None": None},
            "extra_headers": {"x-flag": "override", "X-Keep": omit},
        },
    )
    assert headers == {"Accept": "text/event-stream", "X-List": "1,2", "x-flag": "override"}


def test_query_params_keep_the_urls_own_and_drop_omitted_values() -> None:
    url = httpx.URL("https://api.test/v1/items?api-version=2")
    params = query_params(
        url,
        {
            "cast_to": ImagesResponse,
            "query": {"limit": 3, "beta": False, "tag": ["a", "b"], "gone": omit, "none": None},
            "extra_query": {"x": "y", "also_gone": omit},
        },
    )
    assert params is not None
    assert params.multi_items() == [
        ("api-version", "2"),
        ("limit", "3"),
        ("beta", "false"),
        ("tag", "a"),
        ("tag", "b"),
        ("x", "y"),
    ]
    assert query_params(url, {"cast_to": ImagesResponse}) is None


def test_the_body_is_left_unread_for_streams_and_streamed_mode() -> None:
    assert leaves_body_unread({"cast_to": ImagesResponse, "stream": True})
    assert leaves_body_unread({"cast_to": ImagesResponse, "mode": "streamed"})
    assert not leaves_body_unread({"cast_to": ImagesResponse, "mode": "raw"})


# -- typed events, fed by either stream -------------------------------------------------


def typed_events() -> _TypedEvents[ImageGenStreamEvent]:
    return _TypedEvents(response(200), ImageGenStreamEvent)


def test_typed_events_across_chunks_stop_at_the_end_marker() -> None:
    events = typed_events()
    body = event_bytes(COMPLETED) + b"data: [DONE]\n\n" + event_bytes(COMPLETED)
    decoded = [event for chunk in (body[:7], body[7:]) for event in events.feed(chunk)]
    assert [type(event) for event in decoded] == [ImageGenCompletedEvent]
    assert events.done
    events.end()  # what follows the marker is never read: nothing is incomplete


def test_typed_events_raise_for_an_invalid_event_after_yielding_the_valid_one() -> None:
    events = typed_events().feed(event_bytes(COMPLETED) + b"data: [1]\n\n")
    assert isinstance(next(events), ImageGenCompletedEvent)
    with pytest.raises(APIResponseValidationError):
        next(events)


def test_typed_events_raise_the_servers_error_event() -> None:
    with pytest.raises(APIError, match="blocked"):
        list(typed_events().feed(b'event: error\ndata: {"error": {"message": "blocked"}}\n\n'))


def test_typed_events_say_a_body_cut_short_or_timed_out() -> None:
    events = typed_events()
    assert list(events.feed(b"data: {")) == []
    with pytest.raises(APIConnectionError, match="ended before it was complete"):
        events.end()
    assert isinstance(events.broken(httpx.ReadTimeout("slow")), APITimeoutError)
    assert type(events.broken(httpx.ReadError("cut"))) is APIConnectionError
