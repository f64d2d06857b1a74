"""`sdkforge init`: the names a drafted config gives the package, the clients, the resources
and the methods, from the document's title, tags, paths and operationIds.

Every name is made valid the way the config reader wants it (lower_snake_case, not a
keyword, not a name the client or a resource class already uses), and made unique within
its scope, so that the draft reads back without errors.
"""

from __future__ import annotations

import keyword
import re
import sys
from dataclasses import dataclass

from .config import RESERVED_PACKAGE_NAMES
from .naming import pascal_case, snake_case, words
from .resource_config import RESERVED_METHOD_NAMES, RESERVED_RESOURCE_NAMES
from .resource_config import SNAKE as SNAKE

# Path segments that name a version or the API itself rather than a resource.
_NOT_A_RESOURCE = re.compile(r"v[0-9]+([._][0-9a-z]+)?|api|apis|rest")
# The HTTP verb's own word, when a method is named from its path.
_CRUD = {"post": "create", "put": "update", "patch": "update", "delete": "delete"}
_VERBS = frozenset({"post", "put", "patch"})


@dataclass(frozen=True)
class Operation:
    verb: str
    path: str
    operation_id: str
    tags: tuple[str, ...]


def package_name(title: str) -> str:
    """`Dream Machine API` -> `dream_machine`: the title's words, less a trailing `API`."""
    parts = [word.lower() for word in words(title) if word.isascii()]
    while len(parts) > 1 and parts[-1] in ("api", "apis", "sdk"):
        parts.pop()
    name = "_".join(parts) or "api"
    if name[0].isdigit():
        name = f"sdk_{name}"
    if (
        keyword.iskeyword(name)
        or name in RESERVED_PACKAGE_NAMES
        or name in sys.stdlib_module_names
        or not SNAKE.fullmatch(name)
    ):
        name = f"{name}_sdk"
    return name


def client_name(package: str) -> str:
    return f"{pascal_case(package)}Client"


def _identifier(name: str, fallback: str) -> str:
    name = name.strip("_") or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    return f"{name}_" if keyword.iskeyword(name) else name


def resource_name(name: str, *, top: bool) -> str:
    name = _identifier(snake_case(name), "resource")
    taken = RESERVED_RESOURCE_NAMES if top else RESERVED_METHOD_NAMES
    return f"{name}_api" if name in taken else name


def segments(path: str) -> list[str]:
    return [part for part in path.split("?", 1)[0].split("/") if part]


def is_parameter(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


def resource_path(op: Operation) -> tuple[str, ...]:
    """Where the operation goes: its first tag (or first path segment), then each later
    path segment followed by a parameter, as a nested resource (`/a/{id}/b/{bid}`: a.b)."""
    parts = segments(op.path)
    static = [p for p in parts if not is_parameter(p) and not _NOT_A_RESOURCE.fullmatch(p)]
    if op.tags:
        top = op.tags[0]
    elif static:
        top = static[0]
    else:
        top = "root"
    nested = [
        part
        for index, part in enumerate(parts[:-1])
        if not is_parameter(part)
        and is_parameter(parts[index + 1])
        and part != (static[0] if static else "")
        and not _NOT_A_RESOURCE.fullmatch(part)
    ]
    names = [resource_name(top, top=True)]
    for part in nested:
        name = resource_name(part, top=False)
        if name not in names:
            names.append(name)
    return tuple(names)


def method_candidates(op: Operation, resource: tuple[str, ...]) -> list[str]:
    """Names for the operation's method, the best first: from its operationId (the part
    after the last dot, then the whole), less the resource's own name; then verb + path."""
    found: list[str] = []
    if op.operation_id:
        whole = _without_route(snake_case(op.operation_id), op)
        last = snake_case(op.operation_id.rsplit(".", 1)[-1])
        for name in (last, whole) if "." in op.operation_id else (whole,):
            short = _without_resource(name, resource[-1])
            # `postEnhance` in `enhance` leaves the verb alone: the resource's own word for it.
            found.append(_CRUD.get(short, short) if short in _VERBS else short)
            found.append(name)
    found.append(_from_path(op, resource))
    valid = []
    for name in found:
        name = _identifier(name, "call")
        name = f"{name}_" if name in RESERVED_METHOD_NAMES else name
        if name not in valid:
            valid.append(name)
    return valid


def _without_route(name: str, op: Operation) -> str:
    """`get_user_user_get` (a web framework's `function_path_verb`) -> `get_user`."""
    route = "_".join(snake_case(part) for part in segments(op.path))
    for suffix in (f"_{route}_{op.verb}" if route else "", f"_{op.verb}"):
        if suffix and name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _without_resource(name: str, resource: str) -> str:
    """`create_generation` in `generations` -> `create`; a name of more words than one
    keeps them, as a tool name would lose its meaning (`remove_background`)."""
    own = resource.rstrip("_")
    if "_" in own:
        return name
    forms = {own, own[:-1] if own.endswith("s") else f"{own}s"}
    parts = name.split("_")
    while len(parts) > 1 and parts[-1] in forms:
        parts.pop()
    while len(parts) > 1 and parts[0] in forms:
        parts.pop(0)
    return "_".join(parts)


def _from_path(op: Operation, resource: tuple[str, ...]) -> str:
    """`post /generations/{id}/upscale` -> `upscale`; `get /generations/{id}` -> `get`."""
    parts = segments(op.path)
    owned = {snake_case(name) for name in resource}
    tail: list[str] = []
    for part in reversed(parts):
        if is_parameter(part) or snake_case(part) in owned or _NOT_A_RESOURCE.fullmatch(part):
            break
        tail.insert(0, snake_case(part))
    if tail and len(tail) < len(parts):
        action = "_".join(tail)
        return action if op.verb == "post" else f"{op.verb}_{action}"
    if op.verb == "get":
        return "get" if parts and is_parameter(parts[-1]) else "list"
    return _CRUD.get(op.verb, op.verb)
