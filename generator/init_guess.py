"""`sdkforge init`: the `pagination:` and `poll:` sections a drafted config guesses.

Both are guesses from names a document uses (a `cursor` query parameter and a `next_cursor`
field; a job object with a `status` enum, read back by id), so the draft marks each for
review. A guess the config reader or the build refuses is written commented out instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .init_names import is_parameter, segments

# Query parameters that page a list, by style, in the order they are tried.
_PAGE_PARAMS = (
    (
        "cursor",
        ("after", "cursor", "starting_after", "page_token", "next_token", "continuation_token"),
    ),
    ("offset", ("offset", "skip")),
    ("page", ("page", "page_number")),
)
_ITEMS = ("data", "items", "results", "records", "list")
_NEXT = re.compile(r"next(_?(cursor|page_token|token|page))?|(next|last)_id|cursor")
_DONE = frozenset({"completed", "complete", "succeeded", "success", "successful", "done"})
_DONE |= frozenset({"finished", "ready"})
_FAILED = frozenset({"failed", "failure", "error", "errored", "cancelled", "canceled"})
_FAILED |= frozenset({"rejected", "aborted", "timeout", "timed_out", "expired"})


@dataclass(frozen=True)
class Drafted:
    """One drafted method: its name on the client, verb, path and operation."""

    qualified: str
    verb: str
    path: str
    operation: dict[str, Any]


def deref(root: dict[str, Any], value: object, depth: int = 0) -> dict[str, Any]:
    """`value` with local `$ref`s followed; {} for anything else (a guess needs no more)."""
    while isinstance(value, dict) and isinstance(value.get("$ref"), str) and depth < 32:
        ref = value["$ref"]
        if not ref.startswith("#/"):
            return {}
        value = root
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            value = value.get(part) if isinstance(value, dict) else None
        depth += 1
    return value if isinstance(value, dict) else {}


def json_response(root: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    """The properties of the first 2xx `application/json` response schema."""
    responses = operation.get("responses")
    for status, response in responses.items() if isinstance(responses, dict) else ():
        if not str(status).startswith("2"):
            continue
        content = deref(root, response).get("content")
        media = content.get("application/json") if isinstance(content, dict) else None
        schema = deref(root, media.get("schema")) if isinstance(media, dict) else {}
        properties = schema.get("properties")
        if isinstance(properties, dict):
            return {str(k): deref(root, v) | {"_ref": _ref(v)} for k, v in properties.items()}
    return {}


def _ref(value: object) -> str:
    return str(value.get("$ref", "")) if isinstance(value, dict) else ""


def _query_names(root: dict[str, Any], operation: dict[str, Any]) -> set[str]:
    names = set()
    for parameter in operation.get("parameters") or []:
        parameter = deref(root, parameter)
        if parameter.get("in") == "query" and isinstance(parameter.get("name"), str):
            names.add(parameter["name"])
    return names


def pagination(root: dict[str, Any], methods: list[Drafted]) -> list[str]:
    """The `pagination:` section's lines: the style most list methods share."""
    found: dict[tuple[str, str, str, str, str], list[str]] = {}
    for method in methods:
        if method.verb != "get":
            continue
        query = _query_names(root, method.operation)
        fields = json_response(root, method.operation)
        items = next((n for n in _ITEMS if fields.get(n, {}).get("type") == "array"), "")
        for style, params in _PAGE_PARAMS:
            param = next((p for p in params if p in query), "")
            if not param or not items:
                continue
            field = next((n for n in fields if _NEXT.fullmatch(n)), "") if style == "cursor" else ""
            if style == "cursor" and not field:
                continue
            has_more = "has_more" if fields.get("has_more", {}).get("type") == "boolean" else ""
            found.setdefault((style, items, param, field, has_more), []).append(method.qualified)
            break
    if not found:
        return []
    key = max(found, key=lambda k: (len(found[k]), k))
    style, items, param, field, has_more = key
    lines = [
        "# review: guessed from the list methods' query parameters and response fields;",
        "# check the style against the API's documentation (README: `pagination:`).",
        "pagination:",
        f"  style: {style}",
        f"  items: {items}",
        f"  param: {param}",
    ]
    lines += [f"  field: {field}"] if field else []
    lines += [f"  has_more: {has_more}"] if has_more else []
    lines.append("  methods: [" + ", ".join(sorted(found[key])) + "]")
    return lines


def polls(root: dict[str, Any], methods: list[Drafted]) -> list[str]:
    """The `poll:` section's lines: each POST that answers with a job object the API
    lets one read back by its id (a GET of one path parameter whose answer has a status)."""
    readers = [_reader(root, method) for method in methods if method.verb == "get"]
    lines: list[str] = []
    for method in methods:
        if method.verb != "post":
            continue
        fields = json_response(root, method.operation)
        best = None
        for reader in readers:
            if reader is None or _id_field(reader[3], fields) is None:
                continue
            # The job the POST answers with is the one the GET reads: the same schema, or
            # a status of the same values under the same path.
            states = fields.get(reader[1], {}).get("enum") or []
            shared = _shared_prefix(method.path, reader[0].path)
            same = _same_schema(root, method, reader[0]) or (
                shared > 0 and set(map(str, states)) == set(reader[2])
            )
            if same and (best is None or shared > best[0]):
                best = (shared, reader)
        if best is None:
            continue
        get, status, states, param = best[1]
        id_field = _id_field(param, fields)
        done = [s for s in states if s.lower() in _DONE]
        failed = [s for s in states if s.lower() in _FAILED]
        lines += [
            f"  {method.qualified}:",
            f"    get: {get.qualified}",
            f"    id: {id_field}",
            f"    status: {status}",
            f"    done: [{', '.join(done)}]",
        ]
        lines += [f"    failed: [{', '.join(failed)}]"] if failed else []
    if not lines:
        return []
    head = [
        "# review: guessed: each of these answers with a job that the `get` method reads back",
        "# by its id until its status is done (README: `poll:`); remove what is not a job.",
        "poll:",
    ]
    return head + lines


def _reader(root: dict[str, Any], method: Drafted) -> tuple[Drafted, str, list[str], str] | None:
    """(method, status field, its values, path parameter) of a GET that reads one job;
    None for any other GET."""
    params = [p[1:-1] for p in segments(method.path) if is_parameter(p)]
    if len(params) != 1 or not is_parameter(segments(method.path)[-1]):
        return None
    fields = json_response(root, method.operation)
    for status in ("status", "state"):
        states = [str(v) for v in fields.get(status, {}).get("enum") or [] if isinstance(v, str)]
        if any(s.lower() in _DONE for s in states):
            return method, status, states, params[0]
    return None


def _id_field(param: str, fields: dict[str, Any]) -> str | None:
    """The submit response's field that holds the job id the reader takes as `param`."""
    return param if param in fields else "id" if "id" in fields else None


def _same_schema(root: dict[str, Any], submit: Drafted, get: Drafted) -> bool:
    def schema_ref(op: dict[str, Any]) -> str:
        for status, response in (op.get("responses") or {}).items():
            content = deref(root, response).get("content") if str(status)[:1] == "2" else None
            media = content.get("application/json") if isinstance(content, dict) else None
            if isinstance(media, dict):
                return _ref(media.get("schema"))
        return ""

    first = schema_ref(submit.operation)
    return bool(first) and first == schema_ref(get.operation)


def _shared_prefix(first: str, second: str) -> int:
    count = 0
    for a, b in zip(segments(first), segments(second), strict=False):
        if a != b:
            break
        count += 1
    return count
