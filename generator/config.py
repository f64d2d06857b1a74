"""Stage 1b: read and check `sdk.yaml`, the generator config.

package: imagesdk              # the generated Python package
version: 0.1.0                 # its version
client:
  sync: ImageClient
  async: AsyncImageClient
  api_key_env: IMAGE_API_KEY   # optional; the variable of the API key, if the API takes one
  base_url_env: IMAGE_BASE_URL # optional
  default_base_url: https://...# optional; else the spec's first server
aliases: [ImageModel]          # optional: schemas emitted as named type aliases
resources:
  images:
    singular: image            # optional; prefix of params module names
    methods:
      generate: post /images/generations
"""

from __future__ import annotations

import difflib
import keyword
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from .auth_config import AuthConfig, OptionalHeader, read_auth, read_headers, read_optional_headers
from .diagnostics import Reporter
from .flow_config import PaginationConfig, PollConfig, method_list, read_pagination, read_polls
from .load import Document, PathKey
from .multipart_config import MultipartConfig, read_multipart
from .naming import NAMING_STYLES, is_identifier
from .output_config import KeepEntry, read_keep, read_layout
from .resource_config import PATH_CHARS, SNAKE, read_resources

# Re-exported: the stages take the resource and method configs from here.
from .resource_config import MethodConfig as MethodConfig
from .resource_config import ResourceConfig as ResourceConfig

_TOP_KEYS = (
    "package",
    "version",
    "client",
    "aliases",
    "examples",
    "resources",
    "pagination",
    "poll",
    "multipart",
    "auth",
    "naming",
    "binary_responses",
    "layout",
    "keep",
)
_CLIENT_KEYS = (
    "sync",
    "async",
    "api_key_env",
    "base_url_env",
    "default_base_url",
    "username_env",
    "password_env",
    "headers",
    "optional_headers",
)
_EXAMPLE_KEYS = ("title", "code")
# Each pattern is used with `fullmatch`: `$` would let a trailing newline through.
_ENV_VAR = re.compile(r"[A-Z_][A-Z0-9_]*")
_VERSION = re.compile(r"[0-9]+(\.[0-9]+)*([._-]?[A-Za-z0-9]+)*")
# The default base URL is printed into a string literal too: an absolute http(s) URL, or a
# path.
BASE_URL = re.compile(rf"https?://[{PATH_CHARS}\[\]?#]+|/[{PATH_CHARS}]*")
# A package named like the generated tests folder or a dependency would be shadowed by it
# (or shadow it).
RESERVED_PACKAGE_NAMES = frozenset(
    {
        "tests",
        "typing",
        "typing_extensions",
        "httpx",
        "httpcore",
        "h11",
        "idna",
        "certifi",
        "sniffio",
        "pydantic",
        "pydantic_core",
        "annotated_types",
        "typing_inspection",
        "anyio",
    }
)


@dataclass(frozen=True)
class ClientConfig:
    sync_name: str
    async_name: str
    api_key_env: str
    base_url_env: str
    default_base_url: str
    # For HTTP basic auth; '' when the config names none.
    username_env: str = ""
    password_env: str = ""
    headers: tuple[tuple[str, str], ...] = ()  # fixed headers for every request
    # Headers sent when their constructor argument or environment variable is set.
    optional_headers: tuple[OptionalHeader, ...] = ()


@dataclass(frozen=True)
class Example:
    """A usage example for the generated README."""

    title: str
    code: str


@dataclass(frozen=True)
class SdkConfig:
    package: str
    version: str
    client: ClientConfig
    aliases: tuple[str, ...]
    examples: tuple[Example, ...]
    resources: tuple[ResourceConfig, ...]
    document: Document
    pagination: tuple[PaginationConfig, ...] = ()  # one scheme, or several
    polls: tuple[PollConfig, ...] = ()
    multipart: MultipartConfig = field(default_factory=MultipartConfig)
    auth: AuthConfig = field(default_factory=AuthConfig)
    naming: str = "snake"  # Python names: 'snake' (snake_case, wire names kept) or 'wire'
    # `resource.method`s that return the binary form of a response also offered as JSON.
    binary_responses: tuple[str, ...] = ()
    layout: str = "project"  # or "package": the package's files only (output_config.py)
    keep: tuple[KeepEntry, ...] = ()  # files the team has taken over

    def page_scheme(self, qualified: str) -> PaginationConfig | None:
        """The pagination scheme `resource.method` pages by, if any."""
        return next((p for p in self.pagination if qualified in p.methods), None)


def _did_you_mean(key: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "allowed keys: " + ", ".join(allowed)


class _ConfigReader:
    def __init__(self, document: Document, reporter: Reporter) -> None:
        self.doc = document
        self.report = reporter
        # (mapping path, key) pairs an unknown key was said to be a misspelling of: the
        # "did you mean" already tells the user, a "missing key" error would say it twice.
        self.suggested: set[tuple[PathKey, str]] = set()
        # Paths that should hold a mapping and do not: one error there, not one more for
        # every key it lacks.
        self.not_mappings: set[PathKey] = set()

    def missing(self, path: PathKey, key: str, hint: str) -> None:
        if (path, key) not in self.suggested and path not in self.not_mappings:
            self.error(path, f"missing key '{key}'", hint)

    def error(self, path: PathKey, message: str, hint: str) -> None:
        self.report.error(self.doc.locate(path), message, hint)

    def mapping(self, value: Any, path: PathKey, allowed: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            what = f"'{path[-1]}'" if path else "the config"
            self.error(path, f"{what} must be a mapping", "write `key: value` entries here")
            self.not_mappings.add(path)
            return {}
        for key in value:
            if key not in allowed:
                hint = _did_you_mean(key, allowed)
                if hint.startswith("did you mean"):
                    self.suggested.add((path, hint.split("'")[1]))
                self.error((*path, key), f"unknown key '{key}'", hint)
        return value

    def text(self, parent: dict[str, Any], key: str, path: PathKey, *, required: bool) -> str:
        value = parent.get(key)
        if value is None:
            if required:
                self.missing(path, key, f"add `{key}:` here")
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.error((*path, key), f"'{key}' must be a string", "quote the value")
            return ""
        if required and not str(value).strip():
            self.error((*path, key), f"'{key}' is empty", f"write the {key} here")
            return ""
        return str(value)

    def class_name(self, parent: dict[str, Any], key: str, path: PathKey) -> str:
        name = self.text(parent, key, path, required=True)
        if name and (not is_identifier(name) or keyword.iskeyword(name) or not name[0].isupper()):
            self.error((*path, key), f"'{name}' is not a valid class name", "use a CapWords name")
        return name


def read_config(document: Document, reporter: Reporter) -> SdkConfig:
    reader = _ConfigReader(document, reporter)
    if not isinstance(document.data, dict):
        # One error, not one more for every key the mapping would have held.
        reader.error(
            (),
            "the config must be a mapping",
            "write `package:`, `client:` and `resources:` entries",
        )
        empty = ClientConfig("", "", "", "", "")
        return SdkConfig("", "0.1.0", empty, (), (), (), document)
    top = reader.mapping(document.data, (), _TOP_KEYS)

    package = reader.text(top, "package", (), required=True)
    if package and not (SNAKE.fullmatch(package) and not keyword.iskeyword(package)):
        reader.error(
            ("package",), f"'{package}' is not a valid package name", "use lower_snake_case"
        )
    elif package in RESERVED_PACKAGE_NAMES:
        reader.error(
            ("package",),
            f"package name '{package}' is taken by the generated tests or a dependency",
            "choose another name",
        )
    elif package in sys.stdlib_module_names:
        # The package would be found before the standard module, and the client's own
        # dependencies (httpx imports `json`) would import it instead.
        reader.error(
            ("package",),
            f"package name '{package}' is a module of Python's standard library",
            f"choose another name, e.g. '{package}_sdk'",
        )
    version = reader.text(top, "version", (), required=False) or "0.1.0"
    if not _VERSION.fullmatch(version):
        reader.error(("version",), f"'{version}' is not a version", "use e.g. 1.2.0")

    client_raw = reader.mapping(top.get("client", {}), ("client",), _CLIENT_KEYS)
    if "client" not in top:
        reader.missing((), "client", "add a `client:` section")
    client = ClientConfig(
        sync_name=reader.class_name(client_raw, "sync", ("client",)),
        async_name=reader.class_name(client_raw, "async", ("client",)),
        api_key_env=reader.text(client_raw, "api_key_env", ("client",), required=False),
        base_url_env=reader.text(client_raw, "base_url_env", ("client",), required=False),
        default_base_url=reader.text(client_raw, "default_base_url", ("client",), required=False),
        username_env=reader.text(client_raw, "username_env", ("client",), required=False),
        password_env=reader.text(client_raw, "password_env", ("client",), required=False),
        headers=read_headers(reader, client_raw),
        optional_headers=read_optional_headers(reader, client_raw),
    )
    for key in ("api_key_env", "base_url_env", "username_env", "password_env"):
        value = getattr(client, key)
        if value and not _ENV_VAR.fullmatch(value):
            reader.error(
                ("client", key),
                f"'{value}' is not an environment variable name",
                "use UPPER_SNAKE_CASE",
            )
    if client.default_base_url and not BASE_URL.fullmatch(client.default_base_url):
        reader.error(
            ("client", "default_base_url"),
            f"'{client.default_base_url}' is not a URL",
            "write e.g. https://api.example.com/v1, without spaces or quotes",
        )
    if client.sync_name and client.sync_name == client.async_name:
        reader.error(
            ("client", "async"),
            "the sync and async clients have the same name",
            "give the async client its own name, e.g. Async" + client.sync_name,
        )

    aliases_raw = top.get("aliases", [])
    aliases: list[str] = []
    if not isinstance(aliases_raw, list):
        reader.error(("aliases",), "'aliases' must be a list", "write e.g. `aliases: [ImageModel]`")
    else:
        for index, name in enumerate(aliases_raw):
            if not isinstance(name, str) or not name:
                reader.error(("aliases", index), "alias must be a schema name", "write the name")
            elif not is_identifier(name) or keyword.iskeyword(name):
                # The alias is emitted under the schema's own name: `Name: TypeAlias = ...`.
                reader.error(
                    ("aliases", index),
                    f"alias '{name}' is not a Python identifier",
                    "only schemas named like a Python class can be aliases",
                )
            else:
                aliases.append(name)

    examples = _read_examples(reader, top)
    resources = read_resources(reader, top)
    pagination = read_pagination(reader, top, resources)
    polls = read_polls(reader, top, resources)
    multipart = read_multipart(reader, top.get("multipart"), resources)
    auth = read_auth(reader, top)
    naming = _read_naming(reader, top)
    read = (package, version, client, tuple(aliases), examples, resources, document)
    binary = method_list(
        reader,
        top.get("binary_responses", []),
        ("binary_responses",),
        resources,
        ("write e.g. `[images.download]`", "write `resource.method`"),
    )
    layout, keep = read_layout(reader, top), read_keep(reader, top)
    flows = (pagination, polls, multipart, auth)
    return SdkConfig(*read, *flows, naming, binary, layout, keep)


def _read_naming(reader: _ConfigReader, top: dict[str, Any]) -> str:
    raw = top.get("naming", "snake")
    if raw in NAMING_STYLES:
        return str(raw)
    close = difflib.get_close_matches(str(raw), NAMING_STYLES, n=1)
    reader.error(
        ("naming",),
        f"naming must be snake or wire, not {raw!r}",
        f"did you mean '{close[0]}'?" if close else "use snake (the default) or wire",
    )
    return "snake"


def _read_examples(reader: _ConfigReader, top: dict[str, Any]) -> tuple[Example, ...]:
    raw = top.get("examples", [])
    if not isinstance(raw, list):
        reader.error(
            ("examples",), "'examples' must be a list", "write `- {title: ..., code: ...}` entries"
        )
        return ()
    examples = []
    for index, entry in enumerate(raw):
        path: PathKey = ("examples", index)
        item = reader.mapping(entry, path, _EXAMPLE_KEYS)
        title = reader.text(item, "title", path, required=True)
        code = reader.text(item, "code", path, required=True)
        if title and code:
            examples.append(Example(" ".join(title.split()), code.rstrip()))
    return tuple(examples)
