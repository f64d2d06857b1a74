"""Server-sent events: an incremental decoder, and the typed streams built on it.

A stream yields each event's ``data`` validated as the endpoint's event type. It ends at
the end of the body, at a ``[DONE]`` data line or at an event named ``done``; it raises
``APIError`` for an error event, and ``APIConnectionError`` when the body stops in the
middle of an event. The HTTP response is closed whenever iteration stops: at the end, on
``break``, or on an error.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

import httpx

from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    connection_error,
    describe_validation_error,
    error_message,
)
from ._parsing import adapter_for, construct_whole

if TYPE_CHECKING:
    from types import TracebackType

    from typing_extensions import Self

# What the package re-exports; the other names serve the generated modules.
__all__ = ["AsyncStream", "Stream"]

_T = TypeVar("_T")

_BOM = b"\xef\xbb\xbf"
_DONE = "[DONE]"


class ServerSentEvent(NamedTuple):
    event: str  # "message" unless the server named it
    data: str
    id: str | None = None  # the last event id seen so far, as the spec defines it
    retry: int | None = None  # a reconnection time (ms) sent with this event, if any


class SSEDecoder:
    """Turns chunks of an ``text/event-stream`` body into events, as the HTML standard says.

    Lines end in CRLF, LF or CR, and chunks may split lines (even a CRLF) anywhere.
    """

    def __init__(self) -> None:
        self._line_parts: list[bytes] = []  # a line whose end has not arrived yet
        self._skip_lf = False  # the last chunk ended in CR: an LF next completes that CRLF
        self._first_line = True
        self._event_type = ""
        self._data: list[str] = []
        self._last_id: str | None = None
        self._retry: int | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Decode one chunk; return the events it completes."""
        if self._skip_lf:
            self._skip_lf = False
            if chunk.startswith(b"\n"):
                chunk = chunk[1:]
        if not chunk:
            return []
        events: list[ServerSentEvent] = []
        lines = chunk.splitlines(keepends=True)
        unfinished = lines.pop() if not lines[-1].endswith((b"\r", b"\n")) else None
        for line in lines:
            if self._line_parts:
                self._line_parts.append(line)
                line = b"".join(self._line_parts)
                self._line_parts.clear()
            event = self._process_line(line.rstrip(b"\r\n"))
            if event is not None:
                events.append(event)
        if unfinished is not None:
            # Keep pieces, not a growing bytes object: a base64 image is one long line.
            self._line_parts.append(unfinished)
        else:
            self._skip_lf = chunk.endswith(b"\r")
        return events

    @property
    def incomplete(self) -> bool:
        """Whether bytes of an event are waiting for the blank line that would end it."""
        return bool(self._line_parts or self._data or self._event_type)

    def _process_line(self, line: bytes) -> ServerSentEvent | None:
        if self._first_line:
            self._first_line = False
            line = line.removeprefix(_BOM)
        if not line:
            return self._dispatch()
        if line.startswith(b":"):
            return None  # a comment, often a keep-alive
        name, _, value = line.partition(b":")
        if value.startswith(b" "):
            value = value[1:]
        if name == b"data":
            self._data.append(value.decode("utf-8", "replace"))
        elif name == b"event":
            self._event_type = value.decode("utf-8", "replace")
        elif name == b"id":
            if b"\0" not in value:
                self._last_id = value.decode("utf-8", "replace")
        elif name == b"retry" and value.isdigit():
            self._retry = int(value)
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        event = None
        if self._data:
            data = "\n".join(self._data)
            event = ServerSentEvent(self._event_type or "message", data, self._last_id, self._retry)
        self._event_type = ""
        self._data = []
        self._retry = None
        return event


class _TypedEvents(Generic[_T]):
    """The sans-I/O half of a stream: body chunks in, typed events out.

    Both streams feed it the chunks they read; it decodes, validates, stops at the end
    marker and turns a broken or truncated body into the SDK's errors.
    """

    def __init__(self, response: httpx.Response, event_type: object, strict: bool = False) -> None:
        self._response = response
        self._event_type = event_type
        self._strict = strict
        self._adapter = adapter_for(event_type)
        self._decoder = SSEDecoder()
        self.done = False  # the end marker arrived: read no further

    def feed(self, chunk: bytes) -> Iterator[_T]:
        """The typed events that ``chunk`` completes, each validated as it is reached."""
        for sse in self._decoder.feed(chunk):
            if _ends_stream(sse):
                self.done = True
                return
            yield self._decode(sse)

    def _decode(self, sse: ServerSentEvent) -> Any:
        # Image events carry megabytes of base64, which never contains a quote: a substring
        # test spares decoding every event twice just to look for an error.
        if sse.event == "error" or '"error"' in sse.data:
            _raise_if_error(sse, self._response)
        try:
            return self._adapter.validate_json(sse.data)
        # pydantic's ValidationError is a ValueError; an event nested too deep may raise either.
        except (ValueError, RecursionError) as exc:
            failure = exc
        if not self._strict:
            # As for a whole body: an event that drifted from the document is kept, unvalidated.
            try:
                return construct_whole(self._event_type, json.loads(sse.data))
            except (ValueError, RecursionError):
                pass
        raise APIResponseValidationError(
            f"A stream event ({sse.event}) is not valid: {describe_validation_error(failure)}",
            response=self._response,
            body=sse.data,
        ) from failure

    def broken(self, exc: httpx.HTTPError) -> APIError:
        """The error for a body whose reading failed with ``exc``."""
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(
                "Stream timed out before it was complete.", request=self._response.request
            )
        if isinstance(exc, httpx.TransportError):
            return _truncated_stream_error(self._response)
        return connection_error(exc, self._response.request)

    def end(self) -> None:
        """The body ended: raise if it stopped in the middle of an event."""
        if self._decoder.incomplete:
            raise _truncated_stream_error(self._response)


class _StreamBase(Generic[_T]):
    response: httpx.Response

    def __init__(
        self, response: httpx.Response, event_type: object, *, strict: bool = False
    ) -> None:
        self.response = response
        self._event_type = event_type
        self._strict = strict

    def _start(self) -> _TypedEvents[_T]:
        # On the first read, not at construction: only then is pydantic imported.
        return _TypedEvents(self.response, self._event_type, self._strict)


class Stream(_StreamBase[_T]):
    """The typed events of a streaming response; iterate it once.

    Use it in a ``with`` block, or iterate to the end, to release the connection promptly.
    """

    def __init__(
        self, response: httpx.Response, event_type: object, *, strict: bool = False
    ) -> None:
        super().__init__(response, event_type, strict=strict)
        self._events = self._iter_events()

    def __iter__(self) -> Iterator[_T]:
        # A generator of its own so that a `break` out of the loop closes the response.
        try:
            yield from self._events
        finally:
            self.close()

    def __next__(self) -> _T:
        return next(self._events)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the stream and release its connection."""
        self._events.close()
        self.response.close()

    def _iter_events(self) -> Generator[_T, None, None]:
        events = self._start()
        try:
            try:
                for chunk in self.response.iter_bytes():
                    yield from events.feed(chunk)
                    if events.done:
                        return
            except httpx.HTTPError as exc:
                raise events.broken(exc) from exc
            events.end()
        finally:
            self.response.close()


class AsyncStream(_StreamBase[_T]):
    """The typed events of a streaming response, for ``async for``; iterate it once.

    Use it in an ``async with`` block, or iterate to the end, to release the connection
    promptly: after a ``break`` the event loop closes it only when it finalises the loop.
    """

    def __init__(
        self, response: httpx.Response, event_type: object, *, strict: bool = False
    ) -> None:
        super().__init__(response, event_type, strict=strict)
        self._events = self._iter_events()

    async def __aiter__(self) -> AsyncIterator[_T]:
        try:
            async for event in self._events:
                yield event
        finally:
            await self.close()

    async def __anext__(self) -> _T:
        return await self._events.__anext__()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Stop the stream and release its connection."""
        await self._events.aclose()
        await self.response.aclose()

    async def _iter_events(self) -> AsyncGenerator[_T, None]:
        events = self._start()
        try:
            try:
                async for chunk in self.response.aiter_bytes():
                    for event in events.feed(chunk):
                        yield event
                    if events.done:
                        return
            except httpx.HTTPError as exc:
                raise events.broken(exc) from exc
            events.end()
        finally:
            await self.response.aclose()


def _ends_stream(sse: ServerSentEvent) -> bool:
    # `data: [DONE]` is the OpenAI convention; an event named `done` is the other common one
    # (mock servers send it), and it never carries a typed event.
    return sse.data == _DONE or sse.event == "done"


def _raise_if_error(sse: ServerSentEvent, response: httpx.Response) -> None:
    try:
        payload: object = json.loads(sse.data)
    except (ValueError, RecursionError):
        payload = sse.data
    is_error_object = isinstance(payload, dict) and (
        payload.get("type") == "error" or payload.get("error") is not None
    )
    if sse.event != "error" and not is_error_object:
        return
    message = error_message(payload)
    if message is None:
        text = payload if isinstance(payload, str) else ""
        message = text or "The stream reported an error."
    raise APIError(message, request=response.request, body=payload)


def _truncated_stream_error(response: httpx.Response) -> APIConnectionError:
    return APIConnectionError("Stream ended before it was complete.", request=response.request)
