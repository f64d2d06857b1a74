"""The HTTP machinery behind the generated clients: one ``_request`` serves every API method.

A request is built once, so every retry resends the same bytes; it is sent with retries
and backoff; failures become the errors of ``_exceptions``; and the caller gets the parsed
model, a stream of events, or the response itself, as the resource's mode asks.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import time
from collections.abc import AsyncIterable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import quote

import httpx

from ._constants import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    INITIAL_RETRY_DELAY,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
    RETRYABLE_STATUS_CODES,
)
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    SDKError,
    make_status_error,
)
from ._multipart import encode_multipart
from ._response import APIResponse, AsyncAPIResponse, ResponseMode, parse_model
from ._streaming import AsyncStream, Stream
from ._types import Body, Headers, NotGiven, Omit, Query, not_given

if TYPE_CHECKING:
    from types import TracebackType

    from typing_extensions import Self

__all__ = ["AsyncAPIClient", "SyncAPIClient", "resolve_api_key", "resolve_base_url"]

log = logging.getLogger(__name__.rpartition(".")[0] or __name__)

# Reused: json.dumps builds a new encoder on every call that passes options.
_PATH_PARAM = re.compile(r"\{([^{}]+)\}")
_json_encoder = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)

_HttpClientT = TypeVar("_HttpClientT", httpx.Client, httpx.AsyncClient)


def resolve_api_key(api_key: str | None, env_var: str) -> str:
    """The API key given, else the one in ``env_var``; ``SDKError`` when neither is set."""
    if api_key is None:
        api_key = os.environ.get(env_var)
    if not api_key:
        raise SDKError(
            f"No API key was given: pass api_key=... to the client or set the {env_var} "
            "environment variable."
        )
    return api_key


def resolve_base_url(
    base_url: str | httpx.URL | None, env_var: str, default: str
) -> str | httpx.URL:
    """The base URL given, else the one in ``env_var`` (when named and set), else ``default``."""
    if base_url is not None:
        return base_url
    return (os.environ.get(env_var) if env_var else None) or default


# Module-level, looked up at call time, so that tests can replace them.
def _sleep(seconds: float) -> None:
    time.sleep(seconds)


async def _async_sleep(seconds: float) -> None:
    import anyio  # here, not at the top: only retries need it; works on asyncio and trio

    await anyio.sleep(seconds)


class _BaseClient(Generic[_HttpClientT]):
    """Settings and request building shared by the sync and the async client."""

    api_key: str
    base_url: httpx.URL
    timeout: float | httpx.Timeout | None
    max_retries: int
    _http: _HttpClientT

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
        if not api_key:
            raise SDKError("api_key must be a non-empty string.")
        if max_retries < 0:
            raise SDKError(f"max_retries must be 0 or more, not {max_retries}.")
        self.api_key = api_key
        self.base_url = httpx.URL(base_url)
        self.timeout = timeout
        self.max_retries = max_retries
        self._http = http_client
        self._owns_http_client = owns_http_client
        self._user_agent = user_agent
        self._custom_headers = _merge_headers({}, default_headers or {})
        # Parsing a URL costs more than the rest of a request's set-up; an API has few paths.
        self._urls: dict[str, httpx.URL] = {}
        self._timeout_extension = httpx.Timeout(timeout).as_dict()
        auth = {"Authorization": f"Bearer {api_key}"}
        defaults = {"Accept": "application/json", "User-Agent": user_agent, **auth}
        self._headers = _merge_headers(defaults, self._custom_headers)

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
            default_headers=_merge_headers(self._custom_headers, default_headers or {}),
            http_client=self._http if http_client is None else http_client,
            owns_http_client=False,
            user_agent=self._user_agent,
        )
        return clone

    with_options = copy

    @property
    def is_closed(self) -> bool:
        return self._http.is_closed

    def _build_request(
        self,
        method: str,
        path: str,
        *,
        json_body: Mapping[str, object] | None,
        form_fields: Mapping[str, object] | None,
        files: Sequence[tuple[str, object]] | None,
        extra_headers: Headers | None,
        extra_query: Query | None,
        extra_body: Body | None,
        timeout: float | httpx.Timeout | NotGiven | None,
        stream: bool,
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        header_params: Mapping[str, object] | None = None,
    ) -> httpx.Request:
        headers = self._headers
        content: bytes | Iterable[bytes] | AsyncIterable[bytes] | None = None
        if form_fields is not None or files is not None:
            fields = {**(form_fields or {}), **_body_mapping(extra_body)}
            upload = encode_multipart(fields, files)
            # Streamed from the files on every send; the async client wants an async stream.
            is_async = isinstance(self._http, httpx.AsyncClient)
            content = upload.asynchronous() if is_async else upload
            headers = {**headers, **upload.headers}
        elif json_body is not None or extra_body is not None:
            body = {
                key: value
                for key, value in (json_body or {}).items()
                if not isinstance(value, Omit)
            }
            if extra_body is not None:
                body.update(_body_mapping(extra_body))
            content = _json_encoder.encode(body).encode()
            headers = {**headers, "Content-Type": "application/json"}
        if stream:
            headers = {**headers, "Accept": "text/event-stream"}
        if header_params:
            given_headers = {
                name: _header_value(value)
                for name, value in header_params.items()
                if not isinstance(value, Omit) and value is not None
            }
            headers = _merge_headers(headers, given_headers)
        if extra_headers:
            headers = _merge_headers(headers, extra_headers)
        # Cached by the path *template*: one entry per operation, whatever the parameters.
        url = self._urls.get(path)
        if url is None:
            url = _join(self.base_url, path)
            self._urls[path] = url
        if path_params:
            url = url.copy_with(path=_fill_path(url.path, path_params))
        params = None
        if query or extra_query:
            # The values are the caller's to get right: httpx checks them.
            given: dict[str, Any] = {
                key: _query_value(value)
                for key, value in (query or {}).items()
                if not isinstance(value, Omit) and value is not None
            }
            given.update(
                (key, value)
                for key, value in (extra_query or {}).items()
                if not isinstance(value, Omit)
            )
            # httpx replaces the URL's query with `params`: merge, to keep the base URL's.
            params = url.params.merge(given)
        if isinstance(timeout, NotGiven):
            timeout_extension = self._timeout_extension
        else:
            timeout_extension = httpx.Timeout(timeout).as_dict()
        return self._http.build_request(
            method.upper(),
            url,
            content=content,
            headers=headers,
            params=params,
            extensions={"timeout": timeout_extension},
        )

    def _status_error(self, response: httpx.Response) -> APIStatusError:
        return make_status_error(response, redact=self.api_key)


class SyncAPIClient(_BaseClient[httpx.Client]):
    """Base class of the generated synchronous client."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | httpx.URL,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Headers | None = None,
        http_client: httpx.Client | None = None,
        user_agent: str,
    ) -> None:
        self._configure(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=(
                httpx.Client(timeout=timeout, follow_redirects=True)
                if http_client is None
                else http_client
            ),
            owns_http_client=http_client is None,
            user_agent=user_agent,
        )

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

    def _request(
        self,
        method: str,
        path: str,
        *,
        json_body: Mapping[str, object] | None = None,
        form_fields: Mapping[str, object] | None = None,
        files: Sequence[tuple[str, object]] | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = not_given,
        cast_to: type[Any],
        stream: bool = False,
        event_type: object | None = None,
        mode: ResponseMode = "parsed",
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        header_params: Mapping[str, object] | None = None,
    ) -> object:
        if stream and event_type is None:
            raise TypeError("a streaming call needs an event_type")
        request = self._build_request(
            method,
            path,
            json_body=json_body,
            form_fields=form_fields,
            files=files,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            timeout=timeout,
            stream=stream,
            path_params=path_params,
            query=query,
            header_params=header_params,
        )
        leave_unread = stream or mode == "streamed"
        retries_taken = 0
        while True:
            log.debug("request: %s %s", request.method, request.url)
            try:
                response = self._http.send(request, stream=leave_unread)
            except httpx.TransportError as exc:
                if retries_taken >= self.max_retries:
                    raise _transport_error(exc, request) from exc
                delay = _retry_delay(retries_taken, None)
                log.debug("request failed: %s: %s", type(exc).__name__, exc)
            else:
                log.debug(
                    "response: %s %s -> %d", request.method, request.url, response.status_code
                )
                if response.status_code < 400:
                    return self._result(response, cast_to, stream, event_type, mode, retries_taken)
                if retries_taken >= self.max_retries or not _should_retry(response):
                    raise self._read_status_error(response)
                delay = _retry_delay(retries_taken, response.headers)
                response.close()
            retries_taken += 1
            log.debug("retry %d of %d in %.2f s", retries_taken, self.max_retries, delay)
            _sleep(delay)

    def _read_status_error(self, response: httpx.Response) -> APIError:
        try:
            response.read()
        except httpx.TransportError as exc:
            return _transport_error(exc, response.request)
        return self._status_error(response)

    def _result(
        self,
        response: httpx.Response,
        cast_to: type[Any],
        stream: bool,
        event_type: object | None,
        mode: ResponseMode,
        retries_taken: int,
    ) -> object:
        if mode != "parsed":
            return APIResponse(
                response,
                cast_to=cast_to,
                stream=stream,
                event_type=event_type,
                retries_taken=retries_taken,
            )
        if stream:
            return Stream(response, event_type)
        return parse_model(response, cast_to)


class AsyncAPIClient(_BaseClient[httpx.AsyncClient]):
    """Base class of the generated asynchronous client."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | httpx.URL,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Headers | None = None,
        http_client: httpx.AsyncClient | None = None,
        user_agent: str,
    ) -> None:
        self._configure(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=(
                httpx.AsyncClient(timeout=timeout, follow_redirects=True)
                if http_client is None
                else http_client
            ),
            owns_http_client=http_client is None,
            user_agent=user_agent,
        )

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

    async def _request(
        self,
        method: str,
        path: str,
        *,
        json_body: Mapping[str, object] | None = None,
        form_fields: Mapping[str, object] | None = None,
        files: Sequence[tuple[str, object]] | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = not_given,
        cast_to: type[Any],
        stream: bool = False,
        event_type: object | None = None,
        mode: ResponseMode = "parsed",
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        header_params: Mapping[str, object] | None = None,
    ) -> object:
        if stream and event_type is None:
            raise TypeError("a streaming call needs an event_type")
        request = self._build_request(
            method,
            path,
            json_body=json_body,
            form_fields=form_fields,
            files=files,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            timeout=timeout,
            stream=stream,
            path_params=path_params,
            query=query,
            header_params=header_params,
        )
        leave_unread = stream or mode == "streamed"
        retries_taken = 0
        while True:
            log.debug("request: %s %s", request.method, request.url)
            try:
                response = await self._http.send(request, stream=leave_unread)
            except httpx.TransportError as exc:
                if retries_taken >= self.max_retries:
                    raise _transport_error(exc, request) from exc
                delay = _retry_delay(retries_taken, None)
                log.debug("request failed: %s: %s", type(exc).__name__, exc)
            else:
                log.debug(
                    "response: %s %s -> %d", request.method, request.url, response.status_code
                )
                if response.status_code < 400:
                    return await self._result(
                        response, cast_to, stream, event_type, mode, retries_taken
                    )
                if retries_taken >= self.max_retries or not _should_retry(response):
                    raise await self._read_status_error(response)
                delay = _retry_delay(retries_taken, response.headers)
                await response.aclose()
            retries_taken += 1
            log.debug("retry %d of %d in %.2f s", retries_taken, self.max_retries, delay)
            await _async_sleep(delay)

    async def _read_status_error(self, response: httpx.Response) -> APIError:
        try:
            await response.aread()
        except httpx.TransportError as exc:
            return _transport_error(exc, response.request)
        return self._status_error(response)

    async def _result(
        self,
        response: httpx.Response,
        cast_to: type[Any],
        stream: bool,
        event_type: object | None,
        mode: ResponseMode,
        retries_taken: int,
    ) -> object:
        if mode != "parsed":
            return AsyncAPIResponse(
                response,
                cast_to=cast_to,
                stream=stream,
                event_type=event_type,
                retries_taken=retries_taken,
            )
        if stream:
            return AsyncStream(response, event_type)
        return parse_model(response, cast_to)


def _should_retry(response: httpx.Response) -> bool:
    # The server may say outright whether a retry can help.
    verdict = response.headers.get("x-should-retry")
    if verdict == "true":
        return True
    if verdict == "false":
        return False
    status = response.status_code
    return status in RETRYABLE_STATUS_CODES or status >= 500


def _retry_delay(retries_taken: int, headers: httpx.Headers | None) -> float:
    if headers is not None:
        wait = _retry_after(headers)
        if wait is not None and 0 <= wait <= MAX_RETRY_AFTER:
            return wait
    backoff = min(INITIAL_RETRY_DELAY * 2.0**retries_taken, MAX_RETRY_DELAY)
    # Jitter keeps many clients that failed together from retrying together.
    return backoff * (1.0 - 0.25 * random.random())


def _retry_after(headers: httpx.Headers) -> float | None:
    """Seconds to wait from ``retry-after-ms``, or ``Retry-After`` (seconds or an HTTP date)."""
    milliseconds = headers.get("retry-after-ms")
    if milliseconds is not None:
        try:
            return float(milliseconds) / 1000.0
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    # Only the rare date form pays for these imports.
    from datetime import timezone
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)  # HTTP dates are always in GMT
    return when.timestamp() - time.time()


def _transport_error(exc: httpx.TransportError, request: httpx.Request) -> APIConnectionError:
    if isinstance(exc, httpx.TimeoutException):
        error: APIConnectionError = APITimeoutError(request=request)
    else:
        detail = str(exc)
        message = f"Connection error: {detail}" if detail else "Connection error."
        error = APIConnectionError(message, request=request)
    # Also chained where the error is returned from the `except` block rather than raised.
    error.__cause__ = exc
    return error


def _join(base_url: httpx.URL, path: str) -> httpx.URL:
    """`base_url` with `path` appended; a fixed query in `path` (`/items?beta=true`) and one
    in the base URL (`?api-version=...`) are both kept."""
    route, _, fixed_query = path.partition("?")
    url = base_url.copy_with(path=base_url.path.rstrip("/") + route)
    return url.copy_merge_params(httpx.QueryParams(fixed_query)) if fixed_query else url


def _fill_path(template: str, values: Mapping[str, object]) -> str:
    # Each value is one path segment: a `/` or `?` inside it must not change the route.
    return _PATH_PARAM.sub(lambda match: quote(str(values[match[1]]), safe=""), template)


def _query_value(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return [_query_value(item) for item in value]
    return value


def _header_value(value: object) -> str:
    # OpenAPI's `simple` style, the only one for headers: a list is its items joined by commas.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(_header_value(item) for item in value)
    return str(value)


def _body_mapping(extra_body: Body | None) -> Mapping[str, object]:
    if extra_body is None:
        return {}
    if not isinstance(extra_body, Mapping):
        raise TypeError(f"extra_body must be a mapping, not {type(extra_body).__name__}")
    return extra_body


def _merge_headers(base: Mapping[str, str], extra: Headers) -> dict[str, str]:
    """``base`` updated with ``extra``, ignoring case; a value of ``omit`` removes the header."""
    replaced = {name.lower() for name in extra}
    merged = {name: value for name, value in base.items() if name.lower() not in replaced}
    merged.update((name, value) for name, value in extra.items() if not isinstance(value, Omit))
    return merged
