"""Stage 1b, continued: the `pagination:` and `poll:` sections of `sdk.yaml`.

pagination:                    # how the API pages its lists, said once (or a list of
                               # such schemes, each with its own methods)
  style: cursor                # cursor | offset | page | next_url | link_header
  items: data                  # the response field that holds a page's items
  param: after                 # cursor, offset, page: the query parameter
  field: next_cursor           # cursor: the next cursor; next_url: the next page's URL
  # item_cursor: id            # cursor, instead of field: a field of the page's last item
                               # (field and has_more may be paths: pagination.next_cursor)
  has_more: has_more           # optional: a response field, false on the last page
  methods: [models.list]       # the list methods that page, as resource.method
poll:                          # jobs: per submitting method, as resource.method
  images.submit:
    get: jobs.get              # the method that reads a job (its one path parameter: the id)
    id: id                     # the submit response's job id field ... or
    url: polling_url           # ... its field holding the URL to read the job at
    status: status             # the job's status field
    done: [succeeded]
    failed: [failed]
    interval: 1                # seconds between reads (Retry-After wins); default 2
    timeout: 600               # seconds in all; default 600
    allowed_hosts: []          # hosts a polling URL may name besides the API's own
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .load import PathKey

if TYPE_CHECKING:
    from .config import ResourceConfig, _ConfigReader

PAGE_STYLES = ("cursor", "offset", "page", "next_url", "link_header")
_PAGINATION_KEYS = ("style", "items", "param", "field", "item_cursor", "has_more", "methods")
_POLL_KEYS = (
    "get",
    "id",
    "url",
    "status",
    "done",
    "failed",
    "interval",
    "timeout",
    "allowed_hosts",
)
# What each style needs besides `items`.
_NEEDS = {
    "cursor": ("param", "field"),
    "offset": ("param",),
    "page": ("param",),
    "next_url": ("field",),
    "link_header": (),
}
# A host name as a URL holds it (RFC 3986 reg-name, or an IPv4 address).
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9\-.]*[A-Za-z0-9])?")
# Wire names are printed into string literals of the generated code.
_WIRE = re.compile(r"[A-Za-z0-9_\-.$@]+")


@dataclass(frozen=True)
class PaginationConfig:
    style: str
    items: str
    param: str
    field: str
    has_more: str
    methods: tuple[str, ...]  # resource.method
    where: PathKey
    item_cursor: str = ""  # cursor: the field of the last item that is the next cursor


@dataclass(frozen=True)
class PollConfig:
    method: str  # the submitting method, resource.method
    get: str  # the reading method, resource.method
    id: str
    url: str
    status: str
    done: tuple[str, ...]
    failed: tuple[str, ...]
    interval: float
    timeout: float
    allowed_hosts: tuple[str, ...]
    where: PathKey


def method_names(resources: Sequence[ResourceConfig]) -> list[str]:
    return [f"{r.name}.{m.name}" for r in resources for m in r.methods]


def method_list(
    reader: _ConfigReader,
    raw: Any,
    path: PathKey,
    resources: Sequence[ResourceConfig],
    hints: tuple[str, str],
) -> tuple[str, ...]:
    """A config list of configured `resource.method` names (`binary_responses`,
    `multipart.methods`); `hints`: for a value that is not a list, for an unknown name."""
    if not isinstance(raw, list):
        reader.error(path, f"'{path[-1]}' must be a list", hints[0])
        return ()
    known = method_names(resources)
    chosen = []
    for index, name in enumerate(raw):
        if isinstance(name, str) and name in known:
            chosen.append(name)
            continue
        close = difflib.get_close_matches(str(name), known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else hints[1]
        reader.error((*path, index), f"{name!r} is not a configured method", hint)
    return tuple(chosen)


def _known_method(reader: _ConfigReader, value: object, path: PathKey, known: list[str]) -> str:
    if isinstance(value, str) and value in known:
        return value
    close = difflib.get_close_matches(str(value), known, n=1)
    hint = f"did you mean '{close[0]}'?" if close else "write resource.method, e.g. models.list"
    reader.error(path, f"'{value}' is not a configured method", hint)
    return ""


def _wire(reader: _ConfigReader, entry: dict[str, Any], key: str, path: PathKey) -> str:
    value = reader.text(entry, key, path, required=False)
    if value and not _WIRE.fullmatch(value):
        reader.error((*path, key), f"'{value}' is not a field or parameter name", "write the name")
        return ""
    return value


def read_pagination(
    reader: _ConfigReader, top: dict[str, Any], resources: tuple[ResourceConfig, ...]
) -> tuple[PaginationConfig, ...]:
    """One scheme (a mapping) or several (a list of them: an API that pages two ways); a
    method pages one way only."""
    if "pagination" not in top:
        return ()
    raw = top["pagination"]
    if not isinstance(raw, list):
        return (_read_scheme(reader, raw, ("pagination",), resources),)
    if not raw:
        reader.error(
            ("pagination",),
            "'pagination' is an empty list",
            "give one scheme (`style:`, `methods:` ...) or a list of them",
        )
    schemes = tuple(
        _read_scheme(reader, entry, ("pagination", index), resources)
        for index, entry in enumerate(raw)
    )
    seen: set[str] = set()
    for scheme in schemes:
        for index, method in enumerate(scheme.methods):
            if method in seen:
                reader.error(
                    (*scheme.where, "methods", index),
                    f"'{method}' is named by two pagination schemes",
                    "a method pages one way: keep it in one scheme's `methods`",
                )
            seen.add(method)
    return schemes


def _read_scheme(
    reader: _ConfigReader, raw: object, path: PathKey, resources: tuple[ResourceConfig, ...]
) -> PaginationConfig:
    if not isinstance(raw, dict) and isinstance(path[-1], int):
        reader.error(
            path,
            f"pagination scheme {path[-1] + 1} must be a mapping",
            "write `- {style: cursor, ..., methods: [x.list]}`",
        )
        return PaginationConfig("", "data", "", "", "", (), path)
    entry = reader.mapping(raw, path, _PAGINATION_KEYS)
    style = reader.text(entry, "style", path, required=True)
    if style and style not in PAGE_STYLES:
        close = difflib.get_close_matches(style, PAGE_STYLES, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "one of: " + ", ".join(PAGE_STYLES)
        reader.error((*path, "style"), f"unknown pagination style '{style}'", hint)
    keys = ("param", "field", "has_more", "item_cursor")
    values = {key: _wire(reader, entry, key, path) for key in keys}
    items = _wire(reader, entry, "items", path) or "data"
    if values["item_cursor"] and (style != "cursor" or values["field"]):
        reader.error(
            (*path, "item_cursor"),
            "item_cursor is the cursor style's other way to find the next cursor",
            "keep it for `style: cursor` alone, without `field:`",
        )
    for key in _NEEDS.get(style, ()):
        if key == "field" and values["item_cursor"]:
            continue
        if not values[key] and entry:
            reader.missing(path, key, f"add `{key}:`, which the '{style}' style needs")
    methods_raw = entry.get("methods")
    if not isinstance(methods_raw, list) or not methods_raw:
        if entry:
            reader.error(path, "pagination needs a list of methods", "add `methods: [x.list]`")
        methods_raw = []
    known = method_names(resources)
    methods = [
        _known_method(reader, m, (*path, "methods", i), known) for i, m in enumerate(methods_raw)
    ]
    return PaginationConfig(
        style,
        items,
        values["param"],
        values["field"],
        values["has_more"],
        tuple(m for m in methods if m),
        path,
        values["item_cursor"],
    )


def read_polls(
    reader: _ConfigReader, top: dict[str, Any], resources: tuple[ResourceConfig, ...]
) -> tuple[PollConfig, ...]:
    if "poll" not in top:
        return ()
    raw = top["poll"]
    if not isinstance(raw, dict):
        reader.error(("poll",), "'poll' must be a mapping", "map resource.method to its job")
        return ()
    known = method_names(resources)
    polls = []
    for name, body in raw.items():
        path: PathKey = ("poll", name)
        method = _known_method(reader, name, path, known)
        poll = _read_poll(reader, body, path, method, known)
        if poll is None or not method or not poll.get:
            continue
        for made in (f"{method}_and_wait", f"{poll.get.rpartition('.')[0]}.wait"):
            if made in known:
                reader.error(
                    path, f"the method '{made}' is made here and configured too", "rename it"
                )
        polls.append(poll)
    return tuple(polls)


def _read_poll(
    reader: _ConfigReader, body: object, path: PathKey, method: str, known: list[str]
) -> PollConfig | None:
    entry = reader.mapping(body, path, _POLL_KEYS)
    if not entry:
        return None
    get = _known_method(reader, entry.get("get"), (*path, "get"), known)
    id_field, url_field = (_wire(reader, entry, key, path) for key in ("id", "url"))
    if bool(id_field) == bool(url_field):
        reader.error(path, "say where the job is: `id:` or `url:`", "give exactly one of them")
    status = _wire(reader, entry, "status", path)
    if not status:
        reader.missing(path, "status", "add `status:`, the job's status field")
    done, failed = (_strings(reader, entry, key, path) for key in ("done", "failed"))
    if not done:
        reader.missing(path, "done", "add `done: [succeeded]`, the statuses of a finished job")
    interval = _seconds(reader, entry, "interval", path, 2.0)
    timeout = _seconds(reader, entry, "timeout", path, 600.0)
    hosts = _strings(reader, entry, "allowed_hosts", path)
    for index, host in enumerate(hosts):
        if not _HOST.fullmatch(host):
            reader.error(
                (*path, "allowed_hosts", index),
                f"'{host}' is not a host name",
                "write the host alone, e.g. eu.api.example.com",
            )
    return PollConfig(
        method, get, id_field, url_field, status, done, failed, interval, timeout, hosts, path
    )


def _strings(
    reader: _ConfigReader, entry: dict[str, Any], key: str, path: PathKey
) -> tuple[str, ...]:
    value = entry.get(key, [])
    # YAML reads `yes` and `true` as booleans: a status is never one, so it must be quoted.
    if not isinstance(value, list) or not all(
        isinstance(v, (str, int)) and not isinstance(v, bool) for v in value
    ):
        reader.error((*path, key), f"'{key}' must be a list of strings", f"write `{key}: [a, b]`")
        return ()
    return tuple(str(v) for v in value)


def _seconds(
    reader: _ConfigReader, entry: dict[str, Any], key: str, path: PathKey, default: float
) -> float:
    value = entry.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1e6:
        reader.error((*path, key), f"'{key}' must be a positive number of seconds", "write e.g. 2")
        return default
    return float(value)
