"""The copy of the document that the generated tests hand to the mock server.

It is the document byte for byte, unless it has a construct the pinned mock server (Steady
0.22.2) misreads; then the copy says the same in words Steady reads, and is written anew
(as JSON, which is YAML too, without the document's comments). What is rewritten:

* A form body whose `allOf` has `$ref` members. Steady reads a form field, text on the wire
  (RFC 7578), as the type of its property when the property is the body schema's own or an
  inline `allOf` member's, but not when the member is a `$ref`; then `upscale_factor=2` for
  an integer property is "Expected type integer, got string", a 400 for a request the
  document allows. The `$ref` members are written out in place: the same schema, so the
  mock still checks every request against what the document says.
* A multipart part whose property has `allOf` `$ref` members, such as an object that the
  body's `encoding` makes a JSON part: Steady then reads the part as text, "Expected type
  object, got string" (it parses the JSON of a part whose property is an object of its own).
  Those members are written out in place the same way.
* A discriminator value that a member of its union carries and a member that is itself a
  union (of the same tags) carries again. Steady then wants the value to fit exactly one of
  them and rejects one that fits both, though the discriminator says the value decides. The
  copy's `mapping` names, for each such value, the first member that carries it (the one
  the generated tests' samples are drawn from), and Steady checks the value against it.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from .load import PathKey
from .model_schemas import discriminator_property, tag_values
from .resolve import Node, Spec

_FORM_MEDIA = ("multipart/form-data", "application/x-www-form-urlencoded")
_VERBS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_MAX_DEPTH = 16  # members of members of ...: deeper than any real document's


def mock_spec_text(spec: Spec) -> str:
    """The text the mock server is to read for `spec`'s document."""
    rewrites = {**dict(_form_schemas(spec)), **dict(_shared_tags(spec))}
    if not rewrites:
        return spec.document.text
    data = _rewritten(spec.document.data, rewrites)
    # Written as JSON, which YAML reads as it is: PyYAML's emitter takes seconds over a
    # large document (and its C emitter words some strings differently), JSON a tenth of one.
    return _json_text(data, 0) + "\n"


def _rewritten(data: Any, rewrites: dict[PathKey, Any]) -> Any:
    """`data` with the value at each path of `rewrites` replaced; only the mappings and lists
    on the way to them are copied, the rest is shared with the document's own data."""
    root = _shallow(data)
    copied = {id(root)}
    for path, value in rewrites.items():
        parent = root
        for key in path[:-1]:
            child = parent[key]
            if id(child) not in copied:
                child = parent[key] = _shallow(child)
                copied.add(id(child))
            parent = child
        # A copy: a rewritten value shares parts with the document's own data.
        parent[path[-1]] = copy.deepcopy(value)
    return root


def _shallow(value: Any) -> Any:
    return dict(value) if isinstance(value, dict) else list(value)


# Levels of mappings laid out one entry a line, below which each entry is one line of JSON
# (a path item, a component schema): readable, and C's JSON encoder writes the lines
# (an indented dump takes the pure-Python encoder, several times as long).
_LAID_OUT = 3


def _json_text(value: Any, depth: int) -> str:
    if depth < _LAID_OUT and isinstance(value, dict) and value:
        indent = "  " * (depth + 1)
        entries = [
            f"{indent}{json.dumps(key, ensure_ascii=False)}: {_json_text(item, depth + 1)}"
            for key, item in value.items()
        ]
        return "{\n" + ",\n".join(entries) + "\n" + "  " * depth + "}"
    return json.dumps(value, ensure_ascii=False, default=str)


def _form_schemas(spec: Spec) -> list[tuple[PathKey, Any]]:
    """(path, value with its `allOf` `$ref` members written out) of every form body schema
    that has such members (or a multipart body's properties have)."""
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
                value = _written_out(spec, target, 0, media == "multipart/form-data")
                if value is not target.value and target.path not in dict(found):
                    found.append((target.path, value))
    return found


def _written_out(spec: Spec, node: Node, depth: int, fields: bool) -> Any:
    """`node`'s value with each `allOf` member that is a `$ref` replaced by what it names
    (recursively), and with `fields`, the same done for each of its properties (a part of
    the form: Steady reads one that is JSON no better); the value itself when nothing is."""
    if depth > _MAX_DEPTH:
        return node.value
    changed: dict[str, Any] = {}
    members = node.get("allOf")
    if members is not None and isinstance(members.value, list):
        written = []
        for member in members.elements():
            target = spec.deref(member)
            inner = _written_out(spec, target, depth + 1, fields)
            written.append(copy.deepcopy(inner) if target.path != member.path else inner)
        if any(w is not m for w, m in zip(written, members.value, strict=True)):
            changed["allOf"] = written
    props = node.get("properties")
    if fields and props is not None and isinstance(props.value, dict):
        parts = {}
        for key, prop in props.items():
            target = spec.deref(prop)
            inner = _written_out(spec, target, depth + 1, False)
            parts[key] = prop.value if inner is target.value else inner
        if any(parts[k] is not v for k, v in props.value.items()):
            changed["properties"] = parts
    return {**node.value, **changed} if changed else node.value


def _shared_tags(spec: Spec) -> list[tuple[PathKey, Any]]:
    """(path, discriminator with a `mapping` for each value several members carry) of every
    union in the document whose discriminator leaves such a value unmapped."""
    found: list[tuple[PathKey, Any]] = []
    # Walked as plain data: a `Node` is made only where a discriminator is.
    pending: list[tuple[Any, PathKey]] = [(spec.root.value, ())]
    while pending:
        value, path = pending.pop()
        if isinstance(value, dict):
            if "discriminator" in value and ("oneOf" in value or "anyOf" in value):
                node = Node(value, path)
                prop = discriminator_property(node)
                mapping = _mapping(spec, node, prop) if prop is not None else {}
                if mapping:
                    tagged = {**value["discriminator"], "mapping": mapping}
                    found.append(((*path, "discriminator"), tagged))
            pending += [(item, (*path, key)) for key, item in value.items() if _walked(item)]
        elif isinstance(value, list):
            pending += [(item, (*path, index)) for index, item in enumerate(value) if _walked(item)]
    return found  # at paths none of which holds another: in any order


def _walked(value: Any) -> bool:
    return isinstance(value, (dict, list))


def _mapping(spec: Spec, union: Node, prop: str) -> dict[str, str]:
    """The union's mapping with an entry added for each unmapped value that a member carries
    and a member that is itself a union carries again, naming the first; {} when nothing is
    to be added. (Members that each carry a value of their own, told apart by another
    property, Steady reads well.)"""
    given = union.value["discriminator"].get("mapping")
    mapping = dict(given) if isinstance(given, dict) else {}
    carriers: dict[object, list[tuple[str, bool]]] = {}
    members = union.get("oneOf") or union.get("anyOf")
    for member in members.elements() if members else []:
        ref = member.value.get("$ref") if isinstance(member.value, dict) else None
        if not isinstance(ref, str):
            continue
        target = spec.deref(member)
        nested = not tag_values(spec, target, prop)
        for tag in _carried(spec, target, prop, 0):
            carriers.setdefault(tag, []).append((ref, nested))
    added = {
        tag: refs[0][0]
        for tag, refs in carriers.items()
        if isinstance(tag, str)
        and tag not in mapping
        and len(refs) > 1
        and any(nested for _, nested in refs)
    }
    return {**mapping, **added} if added else {}


def _carried(spec: Spec, node: Node, prop: str, depth: int) -> list[Any]:
    """The discriminator values a member carries: its own, or its members' for a union."""
    own = tag_values(spec, node, prop)
    members = node.get("oneOf") or node.get("anyOf")
    if own or members is None or depth > _MAX_DEPTH:
        return own
    return [t for m in members.elements() for t in _carried(spec, spec.deref(m), prop, depth + 1)]
