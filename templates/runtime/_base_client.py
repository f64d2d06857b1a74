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
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

import httpx
from typing_extensions import Unpack

from ._client_settings import check_settings, resolve_api_key, resolve_base_url
from ._constants import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from ._exceptions import APIError, APIStatusError, connection_error, make_status_error
from ._multipart import encode_multipart
from ._pages import AsyncPage, SyncPage
from ._request_options import (
    RequestOptions,
    body_mapping,
    checked_headers,
    fill_path,
    join_url,
    leaves_body_unread,
    merge_headers,
    query_params,
    request_headers,
    urlencoded,
)
from ._response import APIResponse, AsyncAPIResponse, parse_model
from ._retry import Outcome, retry_delay
from ._streaming import AsyncStream, Stream
from ._types import Headers, NotGiven, Omit, not_given

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


class _BaseClient(Generic[_HttpClientT]):
    """Settings, request building, the retry decision and response handling, sync or async."""

    api_key: str
    base_url: httpx.URL
    timeout: float | httpx.Timeout | None
    max_retries: int
    _http: _HttpClientT

    # Set by each generated client: where its settings come from when they are not given.
    _api_key_env: ClassVar[str]
    _base_url_env: ClassVar[str]  # "" when the API names no such variable
    _default_base_url: ClassVar[str]
    _default_user_agent: ClassVar[str]
    # The wrappers that the sync and the async client hand out.
    _response_class: ClassVar[type[APIResponse[Any]] | type[AsyncAPIResponse[Any]]]
    _stream_class: ClassVar[type[Stream[Any]] | type[AsyncStream[Any]]]
    _page_class: ClassVar[type[SyncPage[Any]] | type[AsyncPage[Any]]]

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Headers | None = None,
        http_client: _HttpClientT | None = None,
    ) -> None:
        """Set the client up; nothing is sent before the first API call.

        Args:
            api_key: The API key. Defaults to the environment variable the client's own
                docstring names.
            base_url: The API's root URL. Defaults to the environment variable the client's
                docstring names, if any, else to the API's own URL.
            timeout: Seconds, or an `httpx.Timeout`, for each request; `None` waits forever.
                Defaults to 600 s, with 5 s to connect.
            max_retries: How many times to retry a request that failed in a way a retry can
                fix (connection errors, timeouts, 408, 409, 429 and 5xx). Defaults to 2.
            default_headers: Headers sent with every request.
            http_client: Your own `httpx.Client` (`httpx.AsyncClient` for the async client),
                for proxies, custom transports and the like; it is used as it is and left
                open when this client closes.
        """
        self._configure(
            api_key=resolve_api_key(api_key, self._api_key_env),
            base_url=resolve_base_url(base_url, self._base_url_env, self._default_base_url),
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=self._new_http_client(timeout) if http_client is None else http_client,
            owns_http_client=http_client is None,
            user_agent=self._default_user_agent,
        )

    def _new_http_client(self, timeout: float | httpx.Timeout | None) -> _HttpClientT:
        raise NotImplementedError

    def _configure(
        self,
        *,
        api_key: str,
        base_url: str | httpx.URL,
        timeout: float | httpx.Timeout | None,
        max_retries: int,
        default_headers: Headers | None,
        http_client: _HttpClientT,
        owns_http_client: bool,
        user_agent: str,
    ) -> None:
        check_settings(api_key, max_retries)
        self.api_key = api_key
        self.base_url = httpx.URL(base_url)
        self.timeout = timeout
        self.max_retries = max_retries
        self._http = http_client
        self._owns_http_client = owns_http_client
        self._user_agent = user_agent
        self._custom_headers = checked_headers(merge_headers({}, default_headers or {}))
        # Parsing a URL costs more than the rest of a request's set-up; an API has few paths.
        self._urls: dict[str, httpx.URL] = {}
        self._timeout_extension = httpx.Timeout(timeout).as_dict()
        auth = {"Authorization": f"Bearer {api_key}"}
        defaults = {"Accept": "application/json", "User-Agent": user_agent, **auth}
        self._headers = merge_headers(defaults, self._custom_headers)

    def __repr__(self) -> str:
        # Deliberately leaves out the API key and the headers that carry it.
        return (
            f"{type(self).__name__}(base_url={str(self.base_url)!r}, "
            f"timeout={self.timeout!r}, max_retries={self.max_retries})"
        )

    def copy(
        self,
        *,
        api_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = not_given,
        max_retries: int | None = None,
        default_headers: Headers | None = None,
        http_client: _HttpClientT | None = None,
    ) -> Self:
        """A client with these settings changed and the others (and the connection pool) kept.

        ``default_headers`` are merged over the current ones (``omit`` removes one). The copy
        never closes a connection pool it shares: close the original when done.
        """
        # Not type(self)(...): a subclass constructor may read the environment again, and
        # resolved settings must carry over as they are.
        clone = object.__new__(type(self))
        clone._configure(
            api_key=self.api_key if api_key is None else api_key,
            base_url=self.base_url if base_url is None else base_url,
            timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
            max_retries=self.max_retries if max_retries is None else max_retries,
            default_headers=merge_headers(self._custom_headers, default_headers or {}),
            http_client=self._http if http_client is None else http_client,
            owns_http_client=False,
            user_agent=self._user_agent,
        )
        return clone

    with_options = copy

    @property
    def is_closed(self) -> bool:
        return self._http.is_closed

    def _build_request(self, method: str, path: str, options: RequestOptions) -> httpx.Request:
        if options.get("stream") and options.get("event_type") is None:
            raise TypeError("a streaming call needs an event_type")
        json_body = options.get("json_body")
        form_fields = options.get("form_fields")
        files = options.get("files")
        extra_body = options.get("extra_body")
        url = options.get("url") or self._url(path, options)
        headers = self._headers_for(url)
        content: bytes | Iterable[bytes] | AsyncIterable[bytes] | None = None
        if form_fields is not None or files is not None:
            fields = {**(form_fields or {}), **body_mapping(extra_body)}
            upload = encode_multipart(fields, files, options.get("form_array_suffix", "[]"))
            # Streamed from the files on every send; the async client wants an async stream.
            is_async = isinstance(self._http, httpx.AsyncClient)
            content = upload.asynchronous() if is_async else upload
            headers = {**headers, **upload.headers}
        elif options.get("urlencoded_body") is not None:
            fields = {**(options.get("urlencoded_body") or {}), **body_mapping(extra_body)}
            content = urlencoded(fields)
            headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
        elif json_body is not None or extra_body is not None:
            body = {
                key: value
                for key, value in (json_body or {}).items()
                if not isinstance(value, Omit)
            }
            if extra_body is not None:
                body.update(body_mapping(extra_body))
            content = _json_encoder.encode(body).encode()
            headers = {**headers, "Content-Type": "application/json"}
        return self._http.build_request(
            method.upper(),
            url,
            content=content,
            headers=request_headers(headers, options),
            params=query_params(url, options),
            extensions={"timeout": self._timeout_for(options)},
        )

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
            log.debug("response: %s %s -> %d", request.method, request.url, outcome.status_code)
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
        if options.get("mode", "parsed") != "parsed":
            return self._response_class(
                response,
                cast_to=options["cast_to"],
                stream=stream,
                event_type=event_type,
                retries_taken=retries_taken,
            )
        if stream:
            return self._stream_class(response, event_type)
        page = options.get("page")
        if page is not None:
            return self._page_class(self, response, options, *page)
        return parse_model(response, options["cast_to"])

    def _status_error(self, response: httpx.Response) -> APIStatusError:
        return make_status_error(response, redact=self.api_key)


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
            log.debug("request: %s %s", request.method, request.url)
            outcome: Outcome
            try:
                outcome = self._http.send(request, stream=stream)
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
            log.debug("request: %s %s", request.method, request.url)
            outcome: Outcome
            try:
                outcome = await self._http.send(request, stream=stream)
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

    async def _read_status_error(self, response: httpx.Response) -> APIError:
        try:
            await response.aread()
        except httpx.HTTPError as exc:
            return connection_error(exc, response.request)
        return self._status_error(response)
