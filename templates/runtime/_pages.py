"""Lists that come a page at a time: ``SyncPage`` and ``AsyncPage``.

A page holds its items (``.data``) and knows how to ask for the next one. Where the next
page is (a cursor, an offset, a page number, a URL in the body or in the ``Link`` header)
is worked out by ``next_page_url``, a pure function both page classes share; only fetching
differs between them. Iterating a page yields its items and then those of the pages after
it, each fetched when the one before is used up.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, Literal, NamedTuple, TypeVar, cast

import httpx

from ._exceptions import APIResponseValidationError, SDKError, decode_body
from ._parsing import parse_value

if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, SyncAPIClient
    from ._request_options import RequestOptions

__all__ = ["AsyncPage", "AsyncPageRequest", "SyncPage"]

_T = TypeVar("_T")

PageStyle = Literal["cursor", "offset", "page", "next_url", "link_header"]


# A NamedTuple, not a dataclass: the package imports this module, and `import dataclasses`
# would add to every client's import time.
class PageScheme(NamedTuple):
    """How one API pages a list; the names are those on the wire."""

    style: PageStyle
    items: str  # the response field that holds the page's items
    param: str = ""  # the query parameter: cursor, offset or page number
    field: str = ""  # the response field: the next cursor, or the next page's URL
    has_more: str = ""  # a response field that says whether more pages follow
    # `field` and `has_more` may be paths into nested objects: `pagination.next_cursor`.
    item_cursor: str = ""  # cursor: a field of the page's last item, instead of `field`


def _dig(body: Mapping[str, Any], path: str) -> object:
    value: object = body
    for key in path.split("."):
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def next_page_url(
    scheme: PageScheme, url: httpx.URL, body: Mapping[str, Any], headers: httpx.Headers
) -> httpx.URL | None:
    """The URL of the page after the one at ``url``, or ``None`` when it was the last."""
    if scheme.has_more and _dig(body, scheme.has_more) is False:
        return None
    items = body.get(scheme.items)
    if scheme.style == "cursor":
        if scheme.item_cursor:
            last = items[-1] if isinstance(items, list) and items else None
            cursor = last.get(scheme.item_cursor) if isinstance(last, Mapping) else None
        else:
            cursor = _dig(body, scheme.field)
        if cursor is None or cursor == "":
            return None
        return url.copy_set_param(scheme.param, str(cursor))
    if scheme.style in ("offset", "page"):
        if not items:
            return None
        current = _int_param(url, scheme.param, 0 if scheme.style == "offset" else 1)
        step = len(items) if scheme.style == "offset" else 1
        return url.copy_set_param(scheme.param, str(current + step))
    target = _dig(body, scheme.field) if scheme.style == "next_url" else _link_next(headers)
    if not isinstance(target, str) or not target:
        return None
    return url.join(target)


def _int_param(url: httpx.URL, name: str, default: int) -> int:
    value = url.params.get(name)
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _link_next(headers: httpx.Headers) -> str | None:
    # RFC 8288: `<https://...?page=3>; rel="next", <...>; rel="last"`.
    for link in headers.get_list("link", split_commas=True):
        target, _, params = link.partition(";")
        rels = [p.strip() for p in params.split(";")]
        if any(r.replace('"', "").split("=", 1) == ["rel", "next"] for r in rels):
            return target.strip().strip("<>")
    return None


def _check_origin(current: httpx.URL, target: httpx.URL) -> None:
    # The next request carries the client's credentials: never to another origin.
    if (target.scheme, target.host, target.port) != (current.scheme, current.host, current.port):
        raise SDKError("The next page's URL is on another host; it was not followed.")


def _page_items(
    response: httpx.Response, scheme: PageScheme, item_type: Any, strict: bool
) -> list[Any]:
    try:
        body = response.json()
        raw = body.get(scheme.items) if isinstance(body, dict) else None
        return [parse_value(item, item_type, strict=strict) for item in raw or []]
    except (ValueError, RecursionError, AttributeError) as exc:
        raise APIResponseValidationError(
            f"The response is not a page of {item_type.__name__} items.",
            response=response,
            body=decode_body(response),
        ) from exc


class _BasePage(Generic[_T]):
    """A page's items and where the next page is; no I/O."""

    data: list[_T]
    http_response: httpx.Response

    def __init__(
        self,
        client: Any,  # the subclass says which client
        response: httpx.Response,
        options: RequestOptions,
        scheme: PageScheme,
        item_type: type[_T],
    ) -> None:
        self._client = client
        self.http_response = response
        strict = bool(getattr(client, "_strict_response_validation", False))
        self.data = _page_items(response, scheme, item_type, strict)
        self._options = options
        self._scheme = scheme
        self._item_type = item_type
        body = response.json()
        mapping = body if isinstance(body, dict) else {}
        self._next_url = next_page_url(scheme, response.request.url, mapping, response.headers)

    def has_next_page(self) -> bool:
        return self._next_url is not None

    def _next_options(self) -> RequestOptions:
        if self._next_url is None:
            raise SDKError("This is the last page: check has_next_page() first.")
        _check_origin(self.http_response.request.url, self._next_url)
        # The URL holds the whole query, the path parameters filled in.
        # The next page is a page, even when this one came through `with_raw_response`.
        options: RequestOptions = {
            **self._options,
            "mode": "parsed",
            "query": None,
            "extra_query": None,
            "path_params": None,
            "url": self._next_url,
        }
        return options

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(items={len(self.data)}, has_next_page={self.has_next_page()})"
        )


class SyncPage(_BasePage[_T]):
    """One page of a list; iterate it for every item of every page after it too."""

    _client: SyncAPIClient

    def get_next_page(self) -> SyncPage[_T]:
        """Fetch the page after this one."""
        options = self._next_options()
        method = self.http_response.request.method
        page: SyncPage[_T] = self._client._request(method, "", **options)  # type: ignore[assignment]
        return page

    def iter_pages(self) -> Iterator[SyncPage[_T]]:
        """This page and each one after it, fetched as the loop gets to it."""
        page = self
        yield page
        while page.has_next_page():
            page = page.get_next_page()
            yield page

    def __iter__(self) -> Iterator[_T]:
        for page in self.iter_pages():
            yield from page.data


class AsyncPage(_BasePage[_T]):
    """One page of a list; ``async for`` over it for every item of every page after it too."""

    _client: AsyncAPIClient

    async def get_next_page(self) -> AsyncPage[_T]:
        """Fetch the page after this one."""
        options = self._next_options()
        method = self.http_response.request.method
        page: AsyncPage[_T] = await self._client._request(method, "", **options)  # type: ignore[assignment]
        return page

    async def iter_pages(self) -> AsyncIterator[AsyncPage[_T]]:
        """This page and each one after it, fetched as the loop gets to it."""
        page = self
        yield page
        while page.has_next_page():
            page = await page.get_next_page()
            yield page

    async def __aiter__(self) -> AsyncIterator[_T]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item


class AsyncPageRequest(Generic[_T]):
    """What an async list method returns: ``await`` it for the first page, or ``async for``
    over it for every item of every page. Nothing is sent before either."""

    def __init__(self, request: Callable[[], Awaitable[object]]) -> None:
        self._request = request

    def __await__(self) -> Generator[Any, None, AsyncPage[_T]]:
        # Through `with_raw_response` the same call gives the response object instead; the
        # raw wrapper's type says so.
        return cast("Generator[Any, None, AsyncPage[_T]]", self._request().__await__())

    async def __aiter__(self) -> AsyncIterator[_T]:
        page = await self
        async for item in page:
            yield item
