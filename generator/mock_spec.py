"""The copy of the document that the generated tests hand to the mock server.

It is the document byte for byte, unless it has a form body the pinned mock server (Steady
0.22.2) misreads: Steady reads a form field, text on the wire (RFC 7578), as the type of its
property when the property is the body schema's own or an inline `allOf` member's, but not
when the `allOf` member is a `$ref`; then `upscale_factor=2` for an integer property is
"Expected type integer, got string", a 400 for a request the document allows. In such a
body the `$ref` members are written out in place: the same schema, so the mock still checks
every request against what the document says. Only then is the copy written anew (as YAML,
without the document's comments).
"""

from __future__ import annotations

import copy
from typing import Any

import yaml

from .load import PathKey
from .resolve import Node, Spec

_FORM_MEDIA = ("multipart/form-data", "application/x-www-form-urlencoded")
_VERBS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_MAX_DEPTH = 16  # members of members of ...: deeper than any real document's


def mock_spec_text(spec: Spec) -> str:
    """The text the mock server is to read for `spec`'s document."""
    inlined = {path: value for path, value in _form_schemas(spec)}
    if not inlined:
        return spec.document.text
    data = copy.deepcopy(spec.document.data)
    for path, value in inlined.items():
        _set(data, path, value)
    text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return text


def _form_schemas(spec: Spec) -> list[tuple[PathKey, Any]]:
    """(path, value with its `allOf` `$ref` members written out) of every form body schema
    that has such members."""
    found: list[tuple[PathKey, Any]] = []
    paths = spec.root.get("paths")
    for _, item in paths.items() if paths and isinstance(paths.value, dict) else []:
        item = spec.deref(item)
        operations = [op for verb in _VERBS if (op := item.get(verb)) is not None]
        bodies = [spec.deref(b) for op in operations if (b := op.get("requestBody")) is not None]
        for body in bodies:
            content = body.get("content")
            for media in _FORM_MEDIA:
                entry = content.get(media) if content is not None else None
                schema = entry.get("schema") if entry is not None else None
                if schema is None:
                    continue
                target = spec.deref(schema)
                value = _written_out(spec, target, 0)
                if value is not target.value and target.path not in dict(found):
                    found.append((target.path, value))
    return found


def _written_out(spec: Spec, node: Node, depth: int) -> Any:
    """`node`'s value with each `allOf` member that is a `$ref` replaced by what it names
    (recursively); the value itself when it has none."""
    members = node.get("allOf")
    if depth > _MAX_DEPTH or members is None or not isinstance(members.value, list):
        return node.value
    written = []
    for member in members.elements():
        target = spec.deref(member)
        inner = _written_out(spec, target, depth + 1)
        written.append(copy.deepcopy(inner) if target.path != member.path else inner)
    if all(w is m for w, m in zip(written, members.value, strict=True)):
        return node.value
    return {**node.value, "allOf": written}


def _set(data: Any, path: PathKey, value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value
