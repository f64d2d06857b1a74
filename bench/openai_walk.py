"""The installed OpenAI SDK's resource tree, read for its facts: every resource at its dotted
path, every public method that makes an HTTP call, with the call's verb, path template, page
class, and whether it streams or returns binary content.

The verb and path come from the method's own source: its `self._post("/chat/completions",
...)`, `self._get(path_template("/files/{file_id}", ...))` or `self._get_api_list(...)` call,
read with `ast`, so nothing is guessed from names.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

_CALLS = {"_get": "get", "_post": "post", "_put": "put", "_patch": "patch", "_delete": "delete"}
_SKIPPED_ATTRIBUTES = ("with_raw_response", "with_streaming_response")


@dataclass(frozen=True)
class SdkMethod:
    resource: str  # dotted path from the client: 'chat.completions'
    name: str  # 'create'
    verb: str  # 'post'
    path: str  # '/chat/completions', '/files/{file_id}'
    page: str  # the page class ('SyncCursorPage'), '' when it does not page
    streams: bool  # it takes `stream` and passes a `stream_cls`
    binary: bool  # it returns the binary response content
    function: Any  # the method itself, for its signature

    @property
    def dotted(self) -> str:
        return f"{self.resource}.{self.name}"


def client() -> Any:
    import openai

    return openai.OpenAI(api_key="sk-not-used", base_url="http://127.0.0.1:9/v1")


def resources(root: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every resource under `root` (the client or a resource), parents first."""
    from openai._resource import SyncAPIResource

    for name in sorted(dir(type(root))):
        if name.startswith("_") or name in _SKIPPED_ATTRIBUTES:
            continue
        if not isinstance(inspect.getattr_static(type(root), name), cached_property):
            continue
        child = getattr(root, name)
        if isinstance(child, SyncAPIResource):
            dotted = f"{path}.{name}" if path else name
            yield dotted, child
            yield from resources(child, dotted)


def methods() -> list[SdkMethod]:
    found: list[SdkMethod] = []
    for dotted, resource in resources(client()):
        cls = type(resource)
        for name, attr in vars(cls).items():
            if name.startswith("_") or not inspect.isfunction(attr):
                continue
            call = _http_call(inspect.unwrap(attr))
            if call is not None:
                found.append(SdkMethod(dotted, name, *call, function=attr))
    return found


def _http_call(function: Any) -> tuple[str, str, str, bool, bool] | None:
    try:
        source = textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return None
    tree = ast.parse(source)
    returns = ast.unparse(tree.body[0].returns) if tree.body[0].returns else ""  # type: ignore[attr-defined]
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "self"
            and (node.func.attr in _CALLS or node.func.attr == "_get_api_list")
            and node.args
        ):
            continue
        path = _path(node.args[0])
        if path is None:
            continue
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        if node.func.attr == "_get_api_list":
            method = keywords.get("method")
            verb = method.value if isinstance(method, ast.Constant) else "get"
            page = keywords.get("page")
            page_name = ast.unparse(page).split("[")[0] if page is not None else ""
        else:
            verb, page_name = _CALLS[node.func.attr], ""
        streams = "stream_cls" in keywords
        cast_to = ast.unparse(keywords["cast_to"]) if "cast_to" in keywords else ""
        binary = "BinaryResponseContent" in cast_to or "BinaryResponseContent" in returns
        return str(verb), path, page_name, streams, binary
    return None


def _path(node: ast.expr) -> str | None:
    """The path template a call's first argument spells."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            elif isinstance(value, ast.FormattedValue):
                parts.append("{" + ast.unparse(value.value) + "}")
        return "".join(parts)
    if isinstance(node, ast.Call) and node.args:  # path_template("/x/{id}", id=id)
        return _path(node.args[0])
    return None
