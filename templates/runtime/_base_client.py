"""The HTTP machinery behind the generated clients: one ``_request`` serves every API method.

A request is built once, so every retry resends the same bytes; it is sent with retries
and backoff; failures become the errors of ``_exceptions``; and the caller gets the parsed
model, a stream of events, or the response itself, as the resource's mode asks.

Everything but the I/O lives in ``_BaseClient`` and the pure modules it calls (``_request_options``,
``_retry``): the sync and the async client differ only in how they send, read and sleep.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import httpx
from typing_extensions import Unpack

from ._auth import (
    auth_parts,
    loggable_url,
    redirect,
    without_credentials,
)
from ._client_settings import ClientSettings
from ._exceptions import APIError, APIStatusError, connection_error, make_status_error
from ._multipart import encode_multipart, encode_upload
from ._pages import AsyncPage, SyncPage
from ._parsing import parse_response
from ._request_options import (
    RequestOptions,
    body_given,
    body_mapping,
    fill_path,
    join_url,
    json_value,
    leaves_body_unread,
    merge_headers,
    query_params,
    request_headers,
    urlencoded,
    with_json_params,
)
from ._response import APIResponse, AsyncAPIResponse
from ._retry import Outcome, retry_delay
from ._streaming import AsyncStream, Stream
from ._types import NotGiven, not_given

if TYPE_CHECKING:
    from types import TracebackType

    from typing_extensions import Self

__all__ = ["AsyncAPIClient", "SyncAPIClient"]

log = logging.getLogger(__name__.rpartition(".")[0] or __name__)

# Reused: json.dumps builds a new encoder on every call that passes options.
_json_encoder = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)

# What a request to another origin keeps of the client's headers.
_HARMLESS_HEADERS = frozenset({"accept", "user-agent"})

_HttpClientT = TypeVar("_HttpClientT", httpx.Client, httpx.AsyncClient)


# Module-level, looked up at call time, so that tests can replace them.
def _sleep(seconds: float) -> None:
    time.sleep(seconds)


async def _async_sleep(seconds: float) -> None:
    import anyio  # here, not at the top: only retries need it; works on asyncio and trio

    await anyio.sleep(seconds)


class _BaseClient(ClientSettings[_HttpClientT]):
    """Request building, the retry decision and response handling, sync or async, over the
    settings of ``ClientSettings``."""

    # The wrappers that the sync and the async client hand out.
    _response_class: ClassVar[type[APIResponse[Any]] | type[AsyncAPIResponse[Any]]]
    _stream_class: ClassVar[type[Stream[Any]] | type[AsyncStream[Any]]]
    _page_class: ClassVar[type[SyncPage[Any]] | type[AsyncPage[Any]]]

    def _build_request(self, method: str, path: str, options: RequestOptions) -> httpx.Request:
        if options.get("stream") and options.get("event_type") is None:
            raise TypeError("a streaming call needs an event_type")
        if options.get("json_params"):
            options = with_json_params(options)
        json_body = options.get("json_body")
        form_fields = options.get("form_fields")
        files = options.get("files")
        extra_body = options.get("extra_body")
        url = options.get("url") or self._url(path, options)
        headers = self._headers_for(url)
        content: bytes | Iterable[bytes] | AsyncIterable[bytes] | None = None
        if options.get("optional_body") and not body_given(options):
            pass  # OpenAPI: a body that is not required may be left out, and none was given
        elif form_fields is not None or files is not None:
            fields = {**(form_fields or {}), **body_mapping(extra_body)}
            upload = encode_multipart(
                fields, files, options.get("form_array_suffix", "[]"), options.get("part_types")
            )
            # Streamed from the files on every send; the async client wants an async stream.
            is_async = isinstance(self._http, httpx.AsyncClient)
            content = upload.asynchronous() if is_async else upload
            headers = {**headers, **upload.headers}
        elif options.get("urlencoded_body") is not None:
            fields = {**(options.get("urlencoded_body") or {}), **body_mapping(extra_body)}
            content = urlencoded(fields)
            headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
        elif "content_body" in options:
            upload = encode_upload(options["content_body"], options.get("content_type", ""))
            is_async = isinstance(self._http, httpx.AsyncClient)
            content = upload.asynchronous() if is_async else upload
            headers = {**headers, **upload.headers}
        elif json_body is not None or extra_body is not None:
            content = _json_encoder.encode(json_value(json_body, extra_body)).encode()
            headers = {**headers, "Content-Type": "application/json"}
        security = options.get("security", self._default_security)
        auth_headers, auth_params = auth_parts(
            url, self._auth_schemes, security, self._credentials, self.base_url
        )
        if auth_headers:
            # Below the client's `default_headers` and the call's `extra_headers`: either
            # may replace or omit them.
            headers = merge_headers(merge_headers(headers, auth_headers), self._custom_headers)
        if auth_params:
            url = url.copy_merge_params(auth_params)
        return self._http.build_request(
            method.upper(),
            url,
            content=content,
            headers=request_headers(headers, options),
            params=query_params(url, options),
            extensions={"timeout": self._timeout_for(options)},
        )

    def _next_hop(self, response: httpx.Response) -> httpx.Request | None:
        """The request a redirect leads to, stripped of credentials when it leaves the
        client's origin, or ``None`` when ``response`` is the answer."""
        target = redirect(response, self._http.follow_redirects)
        if target is None:
            return None
        log.debug("redirect: %d -> %s", response.status_code, self._loggable(target.url))
        return without_credentials(target, self._auth_schemes, self.base_url)

    def _loggable(self, url: httpx.URL) -> str:
        return loggable_url(url, self._auth_schemes)

    def _headers_for(self, url: httpx.URL) -> dict[str, str]:
        """The client's headers, or, for a URL on another origin (a polling URL the API
        answered with), only those that carry no credential."""
        base = self.base_url
        if (url.scheme, url.host, url.port) == (base.scheme, base.host, base.port):
            return self._headers
        return {k: v for k, v in self._headers.items() if k.lower() in _HARMLESS_HEADERS}

    def _url(self, path: str, options: RequestOptions) -> httpx.URL:
        # Cached by the path *template*: one entry per operation, whatever the parameters.
        url = self._urls.get(path)
        if url is None:
            url = join_url(self.base_url, path)
            self._urls[path] = url
        path_params = options.get("path_params")
        if path_params:
            url = url.copy_with(path=fill_path(url.path, path_params))
        return url

    def _timeout_for(self, options: RequestOptions) -> dict[str, float | None]:
        timeout = options.get("timeout", not_given)
        if isinstance(timeout, NotGiven):
            return self._timeout_extension
        return httpx.Timeout(timeout).as_dict()

    def _next_delay(
        self, request: httpx.Request, outcome: Outcome, retries_taken: int
    ) -> float | None:
        """Seconds to wait before a retry, or ``None`` when ``outcome`` is the final one."""
        if isinstance(outcome, httpx.Response):
            url = self._loggable(request.url)
            log.debug("response: %s %s -> %d", request.method, url, outcome.status_code)
        else:
            # The type alone: httpx and h11 quote header values in their messages.
            log.debug("request failed: %s", type(outcome).__name__)
        delay = retry_delay(outcome, retries_taken, self.max_retries)
        if delay is not None:
            log.debug("retry %d of %d in %.2f s", retries_taken + 1, self.max_retries, delay)
        return delay

    def _result(
        self, response: httpx.Response, options: RequestOptions, retries_taken: int
    ) -> object:
        """What a 2xx response gives the caller in the resource's mode (the body is read
        unless the call streams)."""
        stream = options.get("stream", False)
        event_type = options.get("event_type")
        page = options.get("page")

        def make_page(response: httpx.Response) -> object:
            assert page is not None
            return self._page_class(self, response, options, *page)

        if options.get("mode", "parsed") != "parsed":
            # A raw response of a list that pages parses to the page, as its type says.
            return self._response_class(
                response,
                cast_to=options["cast_to"],
                stream=stream,
                event_type=event_type,
                retries_taken=retries_taken,
                strict=self._strict_response_validation,
                page=make_page if page is not None else None,
            )
        if stream:
            return self._stream_class(response, event_type, strict=self._strict_response_validation)
        if page is not None:
            return make_page(response)
        return parse_response(response, options["cast_to"], strict=self._strict_response_validation)

    def _status_error(self, response: httpx.Response) -> APIStatusError:
        return make_status_error(response, redact=self._redact)


class SyncAPIClient(_BaseClient[httpx.Client]):
    """Base class of the generated synchronous client."""

    _response_class = APIResponse
    _stream_class = Stream
    _page_class = SyncPage

    def _new_http_client(self, timeout: float | httpx.Timeout | None) -> httpx.Client:
        return httpx.Client(timeout=timeout, follow_redirects=True)

    def close(self) -> None:
        """Close the connection pool, unless it is an ``http_client`` you passed in."""
        if self._owns_http_client:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _request(self, method: str, path: str, **options: Unpack[RequestOptions]) -> object:
        request = self._build_request(method, path, options)
        stream = leaves_body_unread(options)
        retries_taken = 0
        while True:
            log.debug("request: %s %s", request.method, self._loggable(request.url))
            outcome: Outcome
            try:
                outcome = self._send(request, stream)
            except httpx.HTTPError as exc:
                outcome = exc
            delay = self._next_delay(request, outcome, retries_taken)
            if delay is None:
                break
            if isinstance(outcome, httpx.Response):
                outcome.close()
            retries_taken += 1
            _sleep(delay)
        if isinstance(outcome, httpx.HTTPError):
            raise connection_error(outcome, request) from outcome
        if outcome.status_code >= 400:
            raise self._read_status_error(outcome)
        return self._result(outcome, options, retries_taken)

    def _send(self, request: httpx.Request, stream: bool) -> httpx.Response:
        # Redirects are followed here, not by httpx, which would keep a key header (any
        # but Authorization) on a request to another host.
        for _ in range(self._http.max_redirects + 1):
            response = self._http.send(request, stream=stream, follow_redirects=False)
            next_request = self._next_hop(response)
            if next_request is None:
                return response
            response.close()
            request = next_request
        raise httpx.TooManyRedirects("Exceeded maximum allowed redirects.", request=request)

    def _read_status_error(self, response: httpx.Response) -> APIError:
        try:
            response.read()
        except httpx.HTTPError as exc:
            return connection_error(exc, response.request)
        return self._status_error(response)


class AsyncAPIClient(_BaseClient[httpx.AsyncClient]):
    """Base class of the generated asynchronous client."""

    _response_class = AsyncAPIResponse
    _stream_class = AsyncStream
    _page_class = AsyncPage

    def _new_http_client(self, timeout: float | httpx.Timeout | None) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=timeout, follow_redirects=True)

    async def close(self) -> None:
        """Close the connection pool, unless it is an ``http_client`` you passed in."""
        if self._owns_http_client:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def _request(self, method: str, path: str, **options: Unpack[RequestOptions]) -> object:
        request = self._build_request(method, path, options)
        stream = leaves_body_unread(options)
        retries_taken = 0
        while True:
            log.debug("request: %s %s", request.method, self._loggable(request.url))
            outcome: Outcome
            try:
                outcome = await self._send(request, stream)
            except httpx.HTTPError as exc:
                outcome = exc
            delay = self._next_delay(request, outcome, retries_taken)
            if delay is None:
                break
            if isinstance(outcome, httpx.Response):
                await outcome.aclose()
            retries_taken += 1
            await _async_sleep(delay)
        if isinstance(outcome, httpx.HTTPError):
            raise connection_error(outcome, request) from outcome
        if outcome.status_code >= 400:
            raise await self._read_status_error(outcome)
        return self._result(outcome, options, retries_taken)

    async def _send(self, request: httpx.Request, stream: bool) -> httpx.Response:
        for _ in range(self._http.max_redirects + 1):
            response = await self._http.send(request, stream=stream, follow_redirects=False)
            next_request = self._next_hop(response)
            if next_request is None:
                return response
            await response.aclose()
            request = next_request
        raise httpx.TooManyRedirects("Exceeded maximum allowed redirects.", request=request)

    async def _read_status_error(self, response: httpx.Response) -> APIError:
        try:
            await response.aread()
        except httpx.HTTPError as exc:
            return connection_error(exc, response.request)
        return self._status_error(response)
