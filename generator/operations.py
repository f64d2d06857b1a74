"""Stage 3a: read one configured operation out of the spec: its path, query and header
parameters, its request body and its success and event-stream responses, each checked on its
own so that one run reports the problems of all of them."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import partial

from .body_media import choose_media
from .config import MethodConfig
from .diagnostics import Diagnostic, Reporter, SpecError
from .load import Document
from .resolve import Node, Spec
from .response_shape import EVENT_STREAM, answers_json, is_json

_PATH_TEMPLATE = re.compile(r"\{([^{}]+)\}")
# Header parameters that OpenAPI says to ignore: the client sets these itself.
_HEADERS_NOT_PARAMETERS = frozenset({"accept", "content-type", "authorization"})
# RFC 9110's `token`: what a header field name is made of; anything else (a space, a colon,
# a line break) would be refused by the HTTP layer or split the request.
_HTTP_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# A media type as a part header may carry it: `type/subtype`, parameters, printable ASCII.
_HEADER_VALUE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+/[!#$%&'*+\-.^_`|~0-9A-Za-z]+[ -~]*")


@dataclass(frozen=True)
class Operation:
    """What the spec says of one configured method."""

    config: MethodConfig
    node: Node
    body_kind: str
    body_schema: Node | None
    response_schema: Node | None  # the success response's JSON schema, if it has one
    event_schema: Node | None
    parameters: tuple[Node, ...] = ()  # path, query and header parameters, `$ref`s followed
    success: Node | None = None  # the success response, `$ref` followed
    body_media: str = ""  # the media type the body is sent as
    # Multipart: the content type the media type's `encoding` names for a field's part.
    part_types: tuple[tuple[str, str], ...] = ()
    body_required: bool = False  # `requestBody.required`: false, the default, may omit it


def read_operation(
    spec: Spec, config: Document, method: MethodConfig, prefer_multipart: bool = False
) -> Operation:
    """The operation `method` maps to; raises with every problem found in it.
    `prefer_multipart`: send multipart when JSON is offered too, even without files."""
    return _Reader(spec, config).read(method, prefer_multipart)


class _Reader:
    """Reads one operation; `report` holds that operation's problems only."""

    def __init__(self, spec: Spec, config: Document) -> None:
        self.spec = spec
        self.config = config
        self.report = Reporter()

    def config_error(self, method: MethodConfig, message: str, hint: str) -> SpecError:
        """An error located at the method's entry in the config, to raise."""
        return SpecError([Diagnostic(self.config.locate(method.where), message, hint)])

    def read(self, method: MethodConfig, prefer_multipart: bool) -> Operation:
        paths = self.spec.root.get("paths")
        path_item = paths.get(method.path) if paths else None
        if path_item is None:
            known = sorted(paths.value) if paths and isinstance(paths.value, dict) else []
            raise self.config_error(
                method,
                f"the spec has no path '{method.path}'",
                _closest(method.path, known, "paths"),
            )
        path_item = self.spec.deref(path_item)
        if not isinstance(path_item.value, dict):
            raise self.spec.error(
                path_item,
                f"path '{method.path}' must be a mapping of operations",
                "write e.g. `post: {...}` under it",
            )
        op = path_item.get(method.http_method)
        if op is None:
            verbs = [k for k in path_item.value if k in ("get", "put", "post", "delete", "patch")]
            raise self.config_error(
                method,
                f"'{method.path}' has no {method.http_method.upper()} operation",
                "it has: " + (", ".join(v.upper() for v in verbs) or "none"),
            )
        if not isinstance(op.value, dict):
            raise self.spec.error(
                op, "an operation must be a mapping", "describe its requestBody and responses"
            )
        # Parameters, body and responses are checked each on its own, so that one run
        # reports the problems of all three.
        parameters = self._parameters(path_item, op, method)
        no_body: tuple[str, Node | None, str, Node | None] = ("none", None, "", None)
        body_kind, body_schema, body_media, entry = self.report.collect(
            lambda: _request_body(self.spec, op, prefer_multipart), no_body
        )
        part_types: tuple[tuple[str, str], ...] = ()
        if body_kind == "multipart" and entry is not None:
            part_types = self.report.collect(partial(_part_types, self.spec, entry), ())
        responses = self.report.collect(lambda: _responses(self.spec, op), None)
        self.report.raise_if_any()
        body = op.get("requestBody")
        body_required = body is not None and self.spec.deref(body).value.get("required") is True
        assert responses is not None
        success, schema, events = responses
        return Operation(
            method,
            op,
            body_kind,
            body_schema,
            schema,
            events,
            parameters,
            success,
            body_media,
            part_types,
            body_required,
        )

    def _parameters(self, path_item: Node, op: Node, method: MethodConfig) -> tuple[Node, ...]:
        """The operation's path, query, header and cookie parameters; the operation's own
        override the path item's of the same name and place."""
        found: dict[tuple[str, str], Node] = {}
        for owner in (path_item, op):
            listed = owner.get("parameters")
            for parameter in listed.elements() if listed else []:
                resolved = self.report.collect(partial(self.spec.deref, parameter), None)
                if resolved is None:
                    continue
                value = resolved.value
                if not isinstance(value, dict) or not isinstance(value.get("name"), str):
                    self.report.error(
                        self.spec.locate(parameter),
                        "a parameter needs a `name`",
                        "write `name:` and `in:`",
                    )
                    continue
                place = value.get("in")
                if place == "querystring":  # OpenAPI 3.2: the whole query as one value
                    self.report.error(
                        self.spec.locate(parameter),
                        "querystring parameters are not supported yet",
                        "describe the query's parameters one by one, each `in: query`",
                    )
                    continue
                if place not in ("path", "query", "header", "cookie"):
                    self.report.error(
                        self.spec.locate(parameter),
                        f"`in: {place}` is not a parameter place",
                        "write `in:` path, query, header or cookie",
                    )
                    continue
                if place == "header" and value["name"].lower() in _HEADERS_NOT_PARAMETERS:
                    continue  # OpenAPI: such a parameter is to be ignored
                # RFC 6265: a cookie's name is a token too; it cannot be escaped.
                if place in ("header", "cookie") and not _HTTP_TOKEN.fullmatch(value["name"]):
                    self.report.error(
                        self.spec.locate((*resolved.path, "name")),
                        f"{place} name {value['name']!r} is not an HTTP token",
                        "use letters, digits and !#$%&'*+-.^_`|~ only, as in X-Request-Id",
                    )
                    continue
                if parameter_schema(resolved) is None:
                    self.report.error(
                        self.spec.locate(parameter),
                        f"parameter '{value['name']}' has no schema",
                        "describe its value under `schema:` (or `content: {application/json: "
                        "{schema: ...}}` for a value sent as JSON text)",
                    )
                    continue
                # Header names are case-insensitive: the operation's `X-Id` overrides the
                # path item's `x-id`.
                key = value["name"].lower() if place == "header" else value["name"]
                found[(key, place)] = resolved
        for name in _PATH_TEMPLATE.findall(method.path.partition("?")[0]):
            if (name, "path") not in found:
                self.report.absorb(
                    self.config_error(
                        method,
                        f"path parameter '{name}' of {method.path} is not described",
                        "add it under the operation's `parameters:`",
                    )
                )
        return tuple(found.values())


def parameter_schema(parameter: Node) -> Node | None:
    """The schema of a parameter's value: its `schema`, or that of its one JSON `content`
    media type (a value sent as JSON text, see `json_encoded`)."""
    schema = parameter.get("schema")
    if schema is not None:
        return schema
    entry = _json_content(parameter)
    return entry.get("schema") if entry is not None else None


def json_encoded(parameter: Node) -> bool:
    """Whether the parameter's value goes out as JSON text (`content: {application/json}`)."""
    return parameter.get("schema") is None and _json_content(parameter) is not None


def _json_content(parameter: Node) -> Node | None:
    content = parameter.get("content")
    if content is None or not isinstance(content.value, dict) or len(content.value) != 1:
        return None
    [(media, entry)] = content.items()
    return entry if isinstance(media, str) and is_json(media) else None


def _request_body(
    spec: Spec, op: Node, prefer_multipart: bool
) -> tuple[str, Node | None, str, Node | None]:
    """(kind, schema, media type, media entry) of the body the method sends."""
    body = op.get("requestBody")
    if body is None:  # e.g. `POST /jobs/{id}/cancel`: the path says it all
        return "none", None, "", None
    body = spec.deref(body)
    content = body.get("content")
    if content is None or not isinstance(content.value, dict) or not content.value:
        raise spec.error(
            body,
            "requestBody has no content",
            "add `content: {application/json: {schema: ...}}`",
        )
    chosen = choose_media(spec, content, prefer_multipart)
    if chosen is not None:
        kind, entry = chosen
        media = str(entry.path[-1])
        schema = entry.get("schema")
        if kind in ("binary", "text"):
            # The bytes or the text are the body, whatever the schema says of them.
            return kind, schema or entry, media, entry
        if schema is None:
            raise spec.error(
                entry,
                f"'{entry.path[-1]}' body has no schema",
                "add `schema:` with the body's properties",
            )
        return kind, schema, media, entry
    raise spec.error(
        content,
        "unsupported request content type(s): " + ", ".join(sorted(content.value)),
        "use application/json, multipart/form-data, application/x-www-form-urlencoded, "
        "text/plain or a binary type (application/octet-stream, image/*, ...)",
    )


def _part_types(spec: Spec, entry: Node) -> tuple[tuple[str, str], ...]:
    """(field, content type) of each field the multipart media type's `encoding` names."""
    found = entry.get("encoding")
    if found is None or not isinstance(found.value, dict):
        return ()
    result = []
    for name, rule in found.items():
        content_type = rule.value.get("contentType") if isinstance(rule.value, dict) else None
        if content_type is None:
            continue
        # `image/png, image/jpeg` lists what the API accepts: the first is what is sent.
        first = content_type.split(",")[0].strip() if isinstance(content_type, str) else ""
        if not first or not _HEADER_VALUE.fullmatch(first):
            raise spec.error(
                (*found.path, name, "contentType"),
                f"encoding contentType {content_type!r} is not a media type",
                "write a media type such as application/json",
            )
        result.append((name, first))
    return tuple(result)


# The success statuses, in the order one is chosen when an operation lists several.
_SUCCESS = ("200", "201", "202", "203", "206", "204", "2XX", "2xx")


def _responses(spec: Spec, op: Node) -> tuple[Node, Node | None, Node | None]:
    """The success response, its JSON schema and its event-stream schema (either may be
    missing: `response_shape` says what the method returns then)."""
    responses = op.get("responses")
    codes = (
        [str(code) for code in responses.value]
        if responses and isinstance(responses.value, dict)
        else []
    )
    ordered = [c for c in _SUCCESS if c in codes] + sorted(
        c for c in codes if c.startswith("2") and c not in _SUCCESS
    )
    if not ordered or responses is None:
        raise spec.error(responses or op, "no 2xx response", "describe the success response")
    success = responses.get(ordered[0])
    if success is None:  # an integer key, as YAML reads `200:` without quotes
        success = next(node for key, node in responses.items() if str(key) == ordered[0])
    success = spec.deref(success)
    content = success.get("content")
    schema = None
    if content is not None and isinstance(content.value, dict):
        for media, entry in content.items():
            if (
                isinstance(media, str)
                and isinstance(entry.value, dict)
                and answers_json(media, entry)
            ):
                schema = entry.get("schema")
                break
    events_entry = content.get(EVENT_STREAM) if content else None
    events = events_entry.get("schema") if events_entry else None
    return success, schema, events


def _closest(value: str, known: list[str], what: str) -> str:
    close = difflib.get_close_matches(value, known, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"the spec's {what} are: {', '.join(known[:8])}" if known else f"the spec has no {what}"
