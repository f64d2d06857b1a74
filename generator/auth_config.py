"""The `auth:` section of `sdk.yaml`: corrections for a document whose security is wrong or
silent, and the fixed headers under `client:`.

auth:
  security: [ApiKey]           # optional; replaces the document's own `security`
  schemes:                     # optional; change a scheme of the document, or add one
    ApiKey: {type: header, name: X-Key, prefix: "Key "}
client:
  headers: {Api-Version: "2024-06-01"}   # optional; sent with every request
  optional_headers:            # optional; sent when the argument or variable is set
    - {header: OpenAI-Organization, argument: organization, env: OPENAI_ORG_ID}
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .load import PathKey

if TYPE_CHECKING:
    from .config import _ConfigReader

SCHEME_TYPES = ("header", "query", "cookie", "bearer", "basic")
_SCHEME_KEYS = ("type", "name", "prefix")
_AUTH_KEYS = ("security", "schemes")
_OPTIONAL_HEADER_KEYS = ("header", "argument", "env")
# RFC 9110's `token`, which a header (and, here, a cookie or query) name must be: it is
# printed into a string literal and sent as it is.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# A prefix is sent before the key in a header value: visible ASCII and spaces, no quote or
# backslash (it is printed into a string literal).
_PREFIX = re.compile(r"[ !#-\[\]-~]*")
_ARGUMENT = re.compile(r"[a-z][a-z0-9_]*")
_ENV = re.compile(r"[A-Z_][A-Z0-9_]*")


@dataclass(frozen=True)
class OptionalHeader:
    """A header the client sends when its constructor argument or variable is set."""

    header: str
    argument: str  # the client constructor's keyword argument
    env: str  # the environment variable read when it is not passed; '' for none


@dataclass(frozen=True)
class SchemeOverride:
    """What the config says of one scheme; '' where it leaves the document's word."""

    scheme: str  # the securityScheme's name
    type: str
    name: str
    prefix: str | None  # None: not given
    where: PathKey


@dataclass(frozen=True)
class AuthConfig:
    schemes: tuple[SchemeOverride, ...] = ()
    security: tuple[str, ...] | None = None  # None: the document's
    where: PathKey = ("auth",)


def read_auth(reader: _ConfigReader, top: dict[str, Any]) -> AuthConfig:
    if "auth" not in top:
        return AuthConfig()
    section = reader.mapping(top["auth"], ("auth",), _AUTH_KEYS)
    security = None
    if "security" in section:
        raw = section["security"]
        if not isinstance(raw, list) or not all(isinstance(n, str) and n for n in raw):
            reader.error(
                ("auth", "security"),
                "'security' must be a list of scheme names",
                "write e.g. `security: [ApiKey]`, or `security: []` for none",
            )
        else:
            security = tuple(raw)
    overrides = []
    schemes = section.get("schemes", {})
    if not isinstance(schemes, dict):
        reader.error(("auth", "schemes"), "'schemes' must be a mapping", "map names to schemes")
        schemes = {}
    for name, body in schemes.items():
        path: PathKey = ("auth", "schemes", name)
        entry = reader.mapping(body, path, _SCHEME_KEYS)
        kind = reader.text(entry, "type", path, required=False)
        if kind and kind not in SCHEME_TYPES:
            reader.error((*path, "type"), f"unknown scheme type '{kind}'", _choices(kind))
        wire = reader.text(entry, "name", path, required=False)
        if wire and not _TOKEN.fullmatch(wire):
            reader.error(
                (*path, "name"),
                f"'{wire}' cannot be a header, query or cookie name",
                "use letters, digits and !#$%&'*+-.^_`|~ only, as in X-Api-Key",
            )
        prefix = reader.text(entry, "prefix", path, required=False) if "prefix" in entry else None
        if prefix and not _PREFIX.fullmatch(prefix):
            reader.error(
                (*path, "prefix"),
                "the prefix holds a quote, a backslash or a control character",
                'write e.g. "Key " or "Token "',
            )
        overrides.append(SchemeOverride(str(name), kind, wire, prefix, path))
    return AuthConfig(tuple(overrides), security)


def read_headers(reader: _ConfigReader, client: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """`client.headers`: fixed headers, as (name, value) pairs."""
    raw = client.get("headers", {})
    if not isinstance(raw, dict):
        reader.error(
            ("client", "headers"),
            "'headers' must be a mapping",
            'write e.g. `headers: {Api-Version: "2024-06-01"}`',
        )
        return ()
    headers = []
    for name, value in raw.items():
        path: PathKey = ("client", "headers", name)
        if not isinstance(name, str) or not _TOKEN.fullmatch(name):
            reader.error(path, f"'{name}' is not a header name", "use e.g. Api-Version")
        elif (
            # `true` would be sent as "True": a boolean must be quoted to say which spelling.
            isinstance(value, bool)
            or not isinstance(value, (str, int, float))
            or not _PREFIX.fullmatch(str(value))
        ):
            reader.error(
                path,
                f"the value of header '{name}' must be plain text",
                "quote it; no quote, backslash or control character",
            )
        else:
            headers.append((name, str(value)))
    return tuple(headers)


def _choices(kind: str) -> str:
    close = difflib.get_close_matches(kind, SCHEME_TYPES, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return "use one of: " + ", ".join(SCHEME_TYPES)


# What the client's constructor already takes: an optional header's argument cannot be one.
_CLIENT_ARGUMENTS = frozenset(
    {
        "self",
        "api_key",
        "username",
        "password",
        "base_url",
        "timeout",
        "max_retries",
        "default_headers",
        "http_client",
        "strict_response_validation",
        "settings",
    }
)


def read_optional_headers(
    reader: _ConfigReader, client: dict[str, Any]
) -> tuple[OptionalHeader, ...]:
    """`client.optional_headers`: (header, argument, env) entries."""
    raw = client.get("optional_headers", [])
    path: PathKey = ("client", "optional_headers")
    if not isinstance(raw, list):
        reader.error(
            path,
            "'optional_headers' must be a list",
            "write `- {header: X-Org, argument: organization, env: ORG_ID}` entries",
        )
        return ()
    found: list[OptionalHeader] = []
    for index, entry in enumerate(raw):
        where: PathKey = (*path, index)
        item = reader.mapping(entry, where, _OPTIONAL_HEADER_KEYS)
        if not item:
            continue
        header = reader.text(item, "header", where, required=True)
        argument = reader.text(item, "argument", where, required=True)
        env = reader.text(item, "env", where, required=False)
        problems = [
            (
                "header",
                header and not _TOKEN.fullmatch(header),
                "is not a header name",
                "use e.g. X-Org",
            ),
            (
                "argument",
                argument and not _ARGUMENT.fullmatch(argument),
                "is not a lower_snake_case argument name",
                "use e.g. organization",
            ),
            (
                "argument",
                argument in _CLIENT_ARGUMENTS,
                "is an argument the client already takes",
                "choose another name",
            ),
            (
                "env",
                env and not _ENV.fullmatch(env),
                "is not an environment variable name",
                "use UPPER_SNAKE_CASE",
            ),
        ]
        bad = False
        for key, wrong, what, hint in problems:
            if wrong:
                reader.error((*where, key), f"'{item[key]}' {what}", hint)
                bad = True
        for other in found:
            if argument == other.argument or header.lower() == other.header.lower():
                reader.error(where, f"'{header}' ({argument}) is named twice", "list it once")
                bad = True
        if header and argument and not bad:
            found.append(OptionalHeader(header, argument, env))
    return tuple(found)
