"""HTTP responses handed to the caller: ``.with_raw_response`` and ``.with_streaming_response``.

A resource in ``"raw"`` mode returns an ``APIResponse`` whose body has been read (except
for an event stream); in ``"streamed"`` mode the body is left unread until asked for.
``parse()`` gives what the method returns in the default ``"parsed"`` mode.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, Literal, ParamSpec, TypeVar, cast

import httpx

from ._exceptions import APIConnectionError, APIResponseValidationError, connection_error
from ._parsing import parse_response
from ._streaming import AsyncStream, Stream

if TYPE_CHECKING:
    from types import TracebackType

# What the package re-exports; the other names serve the generated modules.
__all__ = ["APIResponse", "AsyncAPIResponse"]

ResponseMode = Literal["parsed", "raw", "streamed"]

_P = ParamSpec("_P")
_R = TypeVar("_R")
_T = TypeVar("_T")
_ResponseT = TypeVar("_ResponseT", bound="APIResponse[Any]")
_AsyncResponseT = TypeVar("_AsyncResponseT", bound="AsyncAPIResponse[Any]")

_UNPARSED: Any = object()


class _ResponseInfo:
    """What both response wrappers know, read from the HTTP response."""

    http_response: httpx.Response
    retries_taken: int

    def __init__(
        self,
        http_response: httpx.Response,
        *,
        cast_to: type[Any],
        stream: bool,
        event_type: object | None,
        retries_taken: int = 0,
        strict: bool = False,
        page: Callable[[httpx.Response], object] | None = None,
    ) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self._strict = strict
        self._page = page
        self._cast_to = cast_to
        self._stream = stream
        self._event_type = event_type
        self._parsed: Any = _UNPARSED

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        """The ``x-request-id`` header: quote it when you report a problem."""
        request_id: str | None = self.http_response.headers.get("x-request-id")
        return request_id

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    def __repr__(self) -> str:
        request = self.http_response.request
        return f"<{type(self).__name__} [{self.status_code}] {request.method} {request.url}>"

    def _parse_once(self, stream_class: type[Stream[Any]] | type[AsyncStream[Any]]) -> Any:
        """The typed result, computed on the first call; the body must be read by then,
        unless the call streams."""
        if self._parsed is _UNPARSED:
            if self._stream:
                self._parsed = stream_class(
                    self.http_response, self._event_type, strict=self._strict
                )
            elif self._page is not None:
                self._parsed = self._page(self.http_response)
            else:
                self._parsed = parse_response(
                    self.http_response, self._cast_to, strict=self._strict
                )
        return self._parsed

    def _json(self) -> Any:
        """The read body as JSON; ``APIResponseValidationError`` when it is not."""
        try:
            return json.loads(self.http_response.content)
        except (ValueError, RecursionError) as exc:  # RecursionError: nested too deep
            raise APIResponseValidationError(
                "The response body is not valid JSON.",
                response=self.http_response,
                body=self.http_response.text,
            ) from exc

    def _read_failed(self, exc: httpx.HTTPError) -> APIConnectionError:
        return connection_error(exc, self.http_response.request)


class APIResponse(_ResponseInfo, Generic[_R]):
    """An HTTP response from the API, with ``parse()`` for the typed result."""

    def parse(self) -> _R:
        """The typed result (computed once); for a streaming call, the ``Stream`` of events."""
        if not self._stream:
            self.read()
        return cast(_R, self._parse_once(Stream))

    def read(self) -> bytes:
        try:
            return self.http_response.read()
        except httpx.HTTPError as exc:
            raise self._read_failed(exc) from exc

    def text(self) -> str:
        self.read()
        return self.http_response.text

    def json(self) -> Any:
        self.read()
        return self._json()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self._mapped(self.http_response.iter_bytes(chunk_size))

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        return self._mapped(self.http_response.iter_text(chunk_size))

    def iter_lines(self) -> Iterator[str]:
        return self._mapped(self.http_response.iter_lines())

    def stream_to_file(self, file: str | os.PathLike[str], chunk_size: int | None = None) -> None:
        """Write the body to ``file`` as it arrives, never holding all of it in memory
        (through ``with_streaming_response``, where the body is not read yet)."""
        with open(file, "wb") as out:
            for chunk in self.iter_bytes(chunk_size):
                out.write(chunk)

    def _mapped(self, items: Iterator[_T]) -> Iterator[_T]:
        try:
            yield from items
        except httpx.HTTPError as exc:
            raise self._read_failed(exc) from exc

    def close(self) -> None:
        self.http_response.close()


class AsyncAPIResponse(_ResponseInfo, Generic[_R]):
    """An HTTP response from the API, with ``await parse()`` for the typed result."""

    async def parse(self) -> _R:
        """The typed result (computed once); for a streaming call, the ``AsyncStream``."""
        if not self._stream:
            await self.read()
        return cast(_R, self._parse_once(AsyncStream))

    async def read(self) -> bytes:
        try:
            return await self.http_response.aread()
        except httpx.HTTPError as exc:
            raise self._read_failed(exc) from exc

    async def text(self) -> str:
        await self.read()
        return self.http_response.text

    async def json(self) -> Any:
        await self.read()
        return self._json()

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self._mapped(self.http_response.aiter_bytes(chunk_size))

    def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        return self._mapped(self.http_response.aiter_text(chunk_size))

    def iter_lines(self) -> AsyncIterator[str]:
        return self._mapped(self.http_response.aiter_lines())

    async def stream_to_file(
        self, file: str | os.PathLike[str], chunk_size: int | None = None
    ) -> None:
        """Write the body to ``file`` as it arrives, never holding all of it in memory."""
        # Writes to a local file, between reads: it is the network that waits.
        with open(file, "wb") as out:
            async for chunk in self.iter_bytes(chunk_size):
                out.write(chunk)

    async def _mapped(self, items: AsyncIterator[_T]) -> AsyncIterator[_T]:
        try:
            async for item in items:
                yield item
        except httpx.HTTPError as exc:
            raise self._read_failed(exc) from exc

    async def close(self) -> None:
        await self.http_response.aclose()


class ResponseContextManager(Generic[_ResponseT]):
    """Sends the request on ``__enter__`` and closes the response on ``__exit__``."""

    def __init__(self, send: Callable[[], _ResponseT]) -> None:
        self._send = send
        self._response: _ResponseT | None = None

    def __enter__(self) -> _ResponseT:
        self._response = self._send()
        return self._response

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._response is not None:
            self._response.close()


class AsyncResponseContextManager(Generic[_AsyncResponseT]):
    """Sends the request on ``__aenter__`` and closes the response on ``__aexit__``."""

    def __init__(self, send: Callable[[], Awaitable[_AsyncResponseT]]) -> None:
        self._send = send
        self._response: _AsyncResponseT | None = None

    async def __aenter__(self) -> _AsyncResponseT:
        self._response = await self._send()
        return self._response

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._response is not None:
            await self._response.close()


# The wrapped methods belong to a resource already in "raw" or "streamed" mode, so they
# already return response objects; the raw wrappers only restate the static type.


def to_raw_response_wrapper(func: Callable[_P, _R]) -> Callable[_P, APIResponse[_R]]:
    return cast("Callable[_P, APIResponse[_R]]", func)


def async_to_raw_response_wrapper(
    func: Callable[_P, Awaitable[_R]],
) -> Callable[_P, Awaitable[AsyncAPIResponse[_R]]]:
    return cast("Callable[_P, Awaitable[AsyncAPIResponse[_R]]]", func)


def to_streamed_response_wrapper(
    func: Callable[_P, _R],
) -> Callable[_P, ResponseContextManager[APIResponse[_R]]]:
    @functools.wraps(func)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> ResponseContextManager[APIResponse[_R]]:
        return ResponseContextManager(lambda: cast("APIResponse[_R]", func(*args, **kwargs)))

    return wrapped


def async_to_streamed_response_wrapper(
    func: Callable[_P, Awaitable[_R]],
) -> Callable[_P, AsyncResponseContextManager[AsyncAPIResponse[_R]]]:
    @functools.wraps(func)
    def wrapped(
        *args: _P.args, **kwargs: _P.kwargs
    ) -> AsyncResponseContextManager[AsyncAPIResponse[_R]]:
        # The coroutine is created on entry, so a manager never entered leaves no
        # never-awaited coroutine behind.
        return AsyncResponseContextManager(
            lambda: cast("Awaitable[AsyncAPIResponse[_R]]", func(*args, **kwargs))
        )

    return wrapped
