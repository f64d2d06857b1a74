"""The `resources:` section of `sdk.yaml`: resources, their methods, and the resources nested
in them, to any depth.

resources:
  images:
    singular: image              # optional; prefix of params module names
    methods:
      generate: post /images/generations
      create: post /images/generations   # an alias: two methods may map one operation
    resources:                   # optional; client.images.jobs.get
      jobs:
        methods:
          get: get /images/jobs/{id}

A nested resource is named by its path (`images.jobs`); its module and classes by that path
joined (`images_jobs`, `ImagesJobs`), and its default singular is its parent's followed by
its own (`image_job`).
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .load import PathKey

if TYPE_CHECKING:
    from .config import _ConfigReader

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SNAKE = re.compile(r"[a-z_][a-z0-9_]*")
# A path is printed into a string literal of the generated code: only the characters a URL
# path may hold (RFC 3986 pchar, plus `{}` for templates), so no quote or backslash gets in.
PATH_CHARS = r"A-Za-z0-9\-._~!$&'()*+,;=:@/{}%"
# A fixed query may follow: real specs key operations like `/responses?beta=true`.
_URL_PATH = re.compile(rf"/[{PATH_CHARS}]*(\?[{PATH_CHARS}?]*)?")
_RESOURCE_KEYS = ("singular", "methods", "resources")
# Method names that would replace what every resource class already has, or the names its
# class body uses (decorators, argument defaults), which a method defined before them shadows.
RESERVED_METHOD_NAMES = frozenset(
    {
        "with_raw_response",
        "with_streaming_response",
        "omit",
        "not_given",
        "overload",
        "cached_property",
        "cast",
    }
)
# Resource names become attributes of the client, beside what the runtime's client defines.
RESERVED_RESOURCE_NAMES = frozenset(
    {
        "api_key",
        "base_url",
        "timeout",
        "max_retries",
        "copy",
        "close",
        "is_closed",
        "with_options",
        "cached_property",
    }
)


@dataclass(frozen=True)
class MethodConfig:
    name: str
    http_method: str
    path: str
    where: PathKey


@dataclass(frozen=True)
class ResourceConfig:
    name: str  # its path from the client: 'images', 'images.jobs'
    singular: str
    methods: tuple[MethodConfig, ...]
    where: PathKey = ()  # its entry in the config
    children: tuple[str, ...] = ()  # the names of the resources nested in it

    @property
    def attribute(self) -> str:
        """Its name on the client or on its parent resource."""
        return self.name.rpartition(".")[2]

    @property
    def parent(self) -> str:
        """The name of the resource it is nested in; '' for a resource of the client."""
        return self.name.rpartition(".")[0]


def read_resources(reader: _ConfigReader, top: dict[str, Any]) -> tuple[ResourceConfig, ...]:
    """Every resource, parents before the resources nested in them."""
    if "resources" not in top:
        reader.missing((), "resources", "add a `resources:` section")
        return ()
    raw = top["resources"]
    if not isinstance(raw, dict) or not raw:
        reader.error(
            ("resources",),
            "'resources' must be a non-empty mapping",
            "map resource names to their methods",
        )
        return ()
    found: list[ResourceConfig] = []
    for name, body in raw.items():
        _read_resource(reader, str(name), body, ("resources", name), "", "", found)
    return tuple(found)


def _read_resource(
    reader: _ConfigReader,
    name: str,
    body: object,
    path: PathKey,
    parent: str,
    parent_singular: str,
    found: list[ResourceConfig],
) -> None:
    if not SNAKE.fullmatch(name) or keyword.iskeyword(name):
        reader.error(
            path,
            f"resource name '{name}' is not a valid Python identifier",
            "use lower_snake_case",
        )
    elif name.startswith("_") or (not parent and name in RESERVED_RESOURCE_NAMES):
        reader.error(
            path,
            f"resource name '{name}' is taken by the client itself",
            "choose another name, without a leading underscore",
        )
    elif parent and name in RESERVED_METHOD_NAMES:
        reader.error(
            path,
            f"resource name '{name}' is taken by the resource class itself",
            "choose another name",
        )
    entry = reader.mapping(body, path, _RESOURCE_KEYS)
    if not isinstance(body, dict):
        return
    singular = reader.text(entry, "singular", path, required=False)
    if not singular:
        own = name[:-1] if name.endswith("s") and len(name) > 1 else name
        singular = f"{parent_singular}_{own}" if parent_singular else own
    elif not SNAKE.fullmatch(singular):
        reader.error(
            (*path, "singular"), f"'{singular}' is not lower_snake_case", "use e.g. `image`"
        )
    nested = entry.get("resources", {})
    if not isinstance(nested, dict):
        reader.error(
            (*path, "resources"), "'resources' must be a mapping", "map names to resources"
        )
        nested = {}
    methods_raw = entry.get("methods")
    if not isinstance(methods_raw, dict) or (not methods_raw and not nested):
        if methods_raw is not None or not nested:
            reader.error(
                path,
                "a resource needs a non-empty 'methods' mapping",
                "add `methods: {name: post /path}`, or nest `resources:` in it",
            )
        methods_raw = {}
    methods = _read_methods(reader, methods_raw, path)
    for child in nested:
        if child in methods_raw:
            reader.error(
                (*path, "resources", child),
                f"'{child}' is both a method and a nested resource",
                "rename one of them",
            )
    qualified = f"{parent}.{name}" if parent else name
    found.append(ResourceConfig(qualified, singular, methods, path, tuple(map(str, nested))))
    for child, child_body in nested.items():
        child_path: PathKey = (*path, "resources", child)
        _read_resource(reader, str(child), child_body, child_path, qualified, singular, found)


def _read_methods(
    reader: _ConfigReader, methods_raw: dict[str, Any], path: PathKey
) -> tuple[MethodConfig, ...]:
    methods = []
    for method_name, target in methods_raw.items():
        method_path: PathKey = (*path, "methods", method_name)
        if not SNAKE.fullmatch(method_name) or keyword.iskeyword(method_name):
            reader.error(
                method_path,
                f"method name '{method_name}' is not a valid identifier",
                "use lower_snake_case, not a Python keyword",
            )
        elif method_name.startswith("_") or method_name in RESERVED_METHOD_NAMES:
            reader.error(
                method_path,
                f"method name '{method_name}' is taken by the resource class itself",
                "choose another name, without a leading underscore",
            )
        parts = target.split() if isinstance(target, str) else []
        if len(parts) != 2 or parts[0].lower() not in HTTP_METHODS or not parts[1].startswith("/"):
            reader.error(
                method_path,
                f"method '{method_name}' must name an operation",
                "write `HTTP-METHOD /path`, e.g. `post /images/generations`",
            )
            continue
        if not _URL_PATH.fullmatch(parts[1]):
            reader.error(
                method_path,
                f"path '{parts[1]}' holds characters a URL path cannot",
                "use letters, digits and -._~!$&'()*+,;=:@/{}% only, and a ?query",
            )
            continue
        methods.append(MethodConfig(method_name, parts[0].lower(), parts[1], method_path))
    return tuple(methods)
