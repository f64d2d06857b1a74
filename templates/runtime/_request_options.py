"""The keywords of a request, and how each becomes part of the HTTP request.

Pure functions: no I/O, shared by the sync and the async client.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlencode

import httpx
from typing_extensions import Required, TypedDict

from ._exceptions import SDKError
from ._pages import PageScheme
from ._response import ResponseMode
from ._types import Body, Headers, NotGiven, Omit, Query

__all__: list[str] = []


class RequestOptions(TypedDict, total=False):
    """The keywords of ``_request``, as the generated resource methods pass them."""

    # A JSON object's fields (`Omit` ones left out), or a whole body that is not an object.
    json_body: object
    # A body sent as it is: a file's bytes or a str, as `content_type`.
    content_body: object
    content_type: str
    form_fields: Mapping[str, object] | None
    urlencoded_body: Mapping[str, object] | None  # application/x-www-form-urlencoded
    files: Sequence[tuple[str, object]] | None
    form_array_suffix: str  # after the name of each multipart part of a list; `[]` if not given
    part_types: Mapping[str, str] | None  # the content type of some multipart fields' parts
    # The body may be left out (OpenAPI's `requestBody.required: false`): sent only when the
    # call gives a field of it (`body_given`).
    optional_body: bool
    extra_headers: Headers | None
    extra_query: Query | None
    extra_body: Body | None
    timeout: float | httpx.Timeout | NotGiven | None
    # A model class, `list[Model]`, a union alias, `str`, ...: see `_parsing.parse_response`.
    cast_to: Required[Any]
    stream: bool
    event_type: object | None
    mode: ResponseMode
    path_params: Mapping[str, object] | None
    query: Mapping[str, object] | None
    # A query parameter's OpenAPI style when it is not `form` exploded (`styled_query`).
    query_styles: Mapping[str, str] | None
    header_params: Mapping[str, object] | None
    # Cookie parameters: sent in the Cookie header, after any cookie an auth scheme sends.
    cookie_params: Mapping[str, object] | None
    # Parameters sent as JSON text (OpenAPI's `content: {application/json: ...}`), by name.
    json_params: tuple[str, ...]
    # The client's auth schemes this operation sends, when not the API's default ones.
    security: tuple[str, ...]
    # An absolute URL that replaces base URL and path: the next page, a polling URL.
    url: httpx.URL | None
    # Set for a list that pages: how it pages, and the type of its items (a model class, or
    # a union of several, which is no `type`).
    page: tuple[PageScheme, Any] | None


_PATH_PARAM = re.compile(r"\{([^{}]+)\}")
# What an HTTP header value may hold: visible ASCII, space and tab.
_UNSENDABLE = re.compile(r"[^\t\x20-\x7e]")
# Segments the URL layer would resolve away (RFC 3986 dot segments).
_DOT_SEGMENTS = {".": "%2E", "..": "%2E%2E"}


def join_url(base_url: httpx.URL, path: str) -> httpx.URL:
    """`base_url` with `path` appended; a fixed query in `path` (`/items?beta=true`) and one
    in the base URL (`?api-version=...`) are both kept."""
    route, _, fixed_query = path.partition("?")
    url = base_url.copy_with(path=base_url.path.rstrip("/") + route)
    return url.copy_merge_params(httpx.QueryParams(fixed_query)) if fixed_query else url


def fill_path(template: str, values: Mapping[str, object]) -> str:
    """``template`` with each ``{name}`` replaced by its value, as one path segment."""
    return _PATH_PARAM.sub(lambda match: path_segment(match[1], values[match[1]]), template)


def path_segment(name: str, value: object) -> str:
    """``value`` as exactly one path segment: it can neither add a segment nor remove one."""
    # OpenAPI's `simple` style, as in a query or a header: a boolean is `true` or `false`.
    text = header_value(value) if isinstance(value, bool) else str(value)
    if not text:
        raise ValueError(f"The path parameter {name!r} is empty: it needs a value.")
    # `/` and `?` are escaped, and `.` or `..` would be resolved: both would change the route.
    return _DOT_SEGMENTS.get(text) or quote(text, safe="")


def is_printable_ascii(value: str) -> bool:
    return _UNSENDABLE.search(value) is None


def checked_headers(headers: dict[str, str]) -> dict[str, str]:
    """``headers``, or ``SDKError`` naming the first whose value no HTTP request may carry.

    Refused before sending, and never echoed: httpx and h11 would quote the value (maybe a
    key) in their error, and no retry could fix it.
    """
    for name, value in headers.items():
        if not is_printable_ascii(value):
            raise SDKError(
                f"The value of the {name!r} header holds a control character or a non-ASCII "
                "character, which no HTTP header may carry."
            )
    return headers


def query_value(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return [query_value(item) for item in value]
    return value


_SEPARATORS = {"form": ",", "space": " ", "pipe": "|"}


def styled_query(key: str, value: object, style: str) -> list[tuple[str, object]]:
    """The query pairs of one parameter, as its OpenAPI style says: '' (`form`, exploded: a
    list as repeated keys, an object as its own keys), `form`/`space`/`pipe` (not exploded:
    the items joined by `,`, ` ` or `|`), `deep` (`deepObject`: `key[name]=value`)."""
    if isinstance(value, Mapping):
        if style == "deep":
            return [(f"{key}[{name}]", query_value(item)) for name, item in value.items()]
        if not style:
            return [(str(name), query_value(item)) for name, item in value.items()]
        pairs = [text for name, item in value.items() for text in (str(name), header_value(item))]
        return [(key, _SEPARATORS.get(style, ",").join(pairs))]
    if isinstance(value, (list, tuple)) and style in _SEPARATORS:
        return [(key, _SEPARATORS[style].join(header_value(item) for item in value))]
    return [(key, query_value(value))]


def urlencoded(fields: Mapping[str, object]) -> bytes:
    """An application/x-www-form-urlencoded body: a list as repeated keys, booleans as
    true/false, None and omitted values left out."""
    pairs = [
        (key, item)
        for key, value in fields.items()
        if value is not None and not isinstance(value, Omit)
        for item in (value if isinstance(value, (list, tuple)) else [value])
    ]
    return urlencode([(key, query_value(item)) for key, item in pairs]).encode()


def header_value(value: object) -> str:
    # OpenAPI's `simple` style, the only one for headers: a list is its items joined by commas.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(header_value(item) for item in value)
    return str(value)


# RFC 6265's cookie-octet less `%`: what a cookie value holds as it is. Anything else (space,
# `"`, `,`, `;`, `\`, `%`, non-ASCII) is percent-encoded, so no value can end its cookie early.
_COOKIE_SAFE = "!#$&'()*+-./:<=>?@[]^_`{|}~"


def cookie_value(value: object) -> str:
    # OpenAPI's `form` style, the default for cookies: a list is its items joined by commas.
    if isinstance(value, (list, tuple)):
        return ",".join(cookie_value(item) for item in value)
    return quote(header_value(value), safe=_COOKIE_SAFE)


def with_cookies(headers: dict[str, str], cookie_params: Mapping[str, object]) -> dict[str, str]:
    """``headers`` with the given cookie parameters added to their Cookie header (names are
    tokens, checked when the client was generated)."""
    pairs = [
        f"{name}={cookie_value(value)}"
        for name, value in cookie_params.items()
        if not isinstance(value, Omit) and value is not None
    ]
    if not pairs:
        return headers
    kept = {name: value for name, value in headers.items() if name.lower() != "cookie"}
    sent = [value for name, value in headers.items() if name.lower() == "cookie"]
    return {**kept, "Cookie": "; ".join([*sent, *pairs])}


def body_given(options: RequestOptions) -> bool:
    """Whether the call gives any field of the body: an `Omit` is not given, nor is a form
    field or file of None (never sent); a JSON null is."""
    if options.get("extra_body") is not None:
        return True
    json_body = options.get("json_body")
    if isinstance(json_body, Mapping) and any(not isinstance(v, Omit) for v in json_body.values()):
        return True
    forms = [
        *(options.get("form_fields") or {}).values(),
        *(options.get("urlencoded_body") or {}).values(),
        *(value for _, value in options.get("files") or ()),
    ]
    return any(value is not None and not isinstance(value, Omit) for value in forms)


def with_json_params(options: RequestOptions) -> RequestOptions:
    """``options`` with the value of each parameter ``json_params`` names as its JSON text."""
    names = set(options.get("json_params", ()))

    def encoded(values: Mapping[str, object] | None) -> Mapping[str, object] | None:
        if not values:
            return values
        return {
            name: _json_text(value) if name in names else value for name, value in values.items()
        }

    found = options.copy()
    found["query"] = encoded(options.get("query"))
    found["header_params"] = encoded(options.get("header_params"))
    found["cookie_params"] = encoded(options.get("cookie_params"))
    return found


def _json_text(value: object) -> object:
    if value is None or isinstance(value, Omit):
        return value  # not sent
    return json.dumps(value, separators=(",", ":"))


def json_value(json_body: object, extra_body: Body | None) -> object:
    """The JSON body: an object's given fields and the extras, or a whole value as it is."""
    if json_body is not None and not isinstance(json_body, Mapping):
        if extra_body is not None:
            raise TypeError("extra_body adds fields to an object: this body is not one")
        return json_body
    body = {key: value for key, value in (json_body or {}).items() if not isinstance(value, Omit)}
    body.update(body_mapping(extra_body))
    return body


def body_mapping(extra_body: Body | None) -> Mapping[str, object]:
    if extra_body is None:
        return {}
    if not isinstance(extra_body, Mapping):
        raise TypeError(f"extra_body must be a mapping, not {type(extra_body).__name__}")
    return extra_body


def merge_headers(base: Mapping[str, str], extra: Headers) -> dict[str, str]:
    """``base`` updated with ``extra``, ignoring case; a value of ``omit`` removes the header."""
    replaced = {name.lower() for name in extra}
    merged = {name: value for name, value in base.items() if name.lower() not in replaced}
    merged.update((name, value) for name, value in extra.items() if not isinstance(value, Omit))
    return merged


def request_headers(headers: dict[str, str], options: RequestOptions) -> dict[str, str]:
    """``headers`` with the call's own: the stream's Accept, header and cookie parameters,
    extras."""
    if options.get("stream"):
        headers = {**headers, "Accept": "text/event-stream"}
    header_params = options.get("header_params")
    if header_params:
        given_headers = {
            name: header_value(value)
            for name, value in header_params.items()
            if not isinstance(value, Omit) and value is not None
        }
        headers = merge_headers(headers, given_headers)
    cookie_params = options.get("cookie_params")
    if cookie_params:
        headers = with_cookies(headers, cookie_params)
    extra_headers = options.get("extra_headers")
    if extra_headers:
        headers = merge_headers(headers, extra_headers)
    # The client's own headers were checked once, when it was made.
    return checked_headers(headers) if header_params or extra_headers else headers


def query_params(url: httpx.URL, options: RequestOptions) -> httpx.QueryParams | None:
    """The query to send: ``url``'s own, then the query parameters, then the extras."""
    query = options.get("query")
    extra_query = options.get("extra_query")
    if not query and not extra_query:
        return None
    # The values are the caller's to get right: httpx checks them.
    styles = options.get("query_styles") or {}
    given: dict[str, Any] = {
        name: item
        for key, value in (query or {}).items()
        if not isinstance(value, Omit) and value is not None
        for name, item in styled_query(key, value, styles.get(key, ""))
    }
    given.update(
        (key, value) for key, value in (extra_query or {}).items() if not isinstance(value, Omit)
    )
    # httpx replaces the URL's query with `params`: merge, to keep the base URL's.
    return url.params.merge(given)


def leaves_body_unread(options: RequestOptions) -> bool:
    """Whether the response body is left for the caller to read (streams, streamed mode)."""
    return options.get("stream", False) or options.get("mode") == "streamed"
