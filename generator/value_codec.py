"""The build's values (frozen dataclasses of tuples, strings and spec nodes) as JSON and back.

The method cache keeps built methods in the output directory, a folder a repository may
carry: reading it must not be able to run code, so it is JSON, and only the generator's own
dataclasses can come out of it. Tuples, lists, dicts and frozensets keep their kind (a
frozen dataclass compares and hashes by them). A spec `Node` is kept by its path alone and
found again in the document being built, so that a kept method points into this run's
document, as a freshly built one does.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from functools import partial
from typing import Any

from .resolve import Node, Spec

_PACKAGE = __name__.rpartition(".")[0]


class NotEncodable(Exception):
    """A value the codec does not know: the method is built afresh each run instead."""


def dumps(value: object) -> str:
    """`value` as JSON text."""
    return json.dumps(_encode(value), separators=(",", ":"))


def loads(text: str, spec: Spec) -> Any:
    """The value `dumps` wrote, its nodes found in `spec`; raises `NotEncodable` when the
    text is not what `dumps` writes (a cache of another version, or edited by hand)."""
    try:
        return json.loads(text, object_hook=partial(_decode, spec))
    except (ValueError, TypeError, KeyError) as error:
        raise NotEncodable(str(error)) from None


_PLAIN = (str, int, bool, float, type(None))
# Per dataclass: its name for `_decode` and the fields its constructor takes, in order.
_CLASSES: dict[type, tuple[str, tuple[str, ...]]] = {}


def _encode(value: object) -> Any:
    kind = type(value)
    if kind in _PLAIN:  # exactly these: a subclass (an enum, say) is not written
        return value
    if kind is tuple:
        return {"t": [_encode(item) for item in value]}  # type: ignore[attr-defined]
    if kind is list:
        return [_encode(item) for item in value]  # type: ignore[attr-defined]
    if kind is Node:
        return {"n": list(value.path)}  # type: ignore[attr-defined]
    if kind is frozenset:
        return {"s": [_encode(item) for item in value]}  # type: ignore[attr-defined]
    if kind is dict:
        items = value.items()  # type: ignore[attr-defined]
        return {"d": [[_encode(k), _encode(v)] for k, v in items]}
    name, fields = _CLASSES.get(kind) or _describe(kind)
    return {"c": name, "v": [_encode(getattr(value, field)) for field in fields]}


def _describe(kind: type) -> tuple[str, tuple[str, ...]]:
    # Only a class its module names at top level can be found again by `_decode`.
    if not (
        dataclasses.is_dataclass(kind)
        and kind.__module__.startswith(f"{_PACKAGE}.")
        and "." not in kind.__qualname__
    ):
        raise NotEncodable(kind.__qualname__)
    fields = tuple(f.name for f in dataclasses.fields(kind) if f.init)
    _CLASSES[kind] = (f"{kind.__module__}:{kind.__qualname__}", fields)
    return _CLASSES[kind]


def _decode(spec: Spec, data: dict[str, Any]) -> Any:
    # Every JSON object `_encode` writes is one of these; `json` hands them over innermost
    # first, so what they hold is decoded already.
    if "t" in data:
        return tuple(data["t"])
    if "c" in data:
        return _dataclass(data["c"])(*data["v"])
    if "d" in data:
        return {k: v for k, v in data["d"]}
    if "s" in data:
        return frozenset(data["s"])
    if "n" in data:
        return _node(spec, data["n"])
    raise NotEncodable("unknown value")


def _node(spec: Spec, path: list[Any]) -> Node:
    node: Node | None = spec.root
    for part in path:
        if node is None:
            break
        if isinstance(part, int) and isinstance(node.value, list) and part < len(node.value):
            node = Node(node.value[part], (*node.path, part))
        else:
            node = node.get(str(part))
    if node is None:
        raise NotEncodable("a node the document no longer has")
    return node


def _dataclass(name: str) -> Any:
    module_name, _, qualname = name.partition(":")
    module = sys.modules.get(module_name) if module_name.startswith(f"{_PACKAGE}.") else None
    kind = getattr(module, qualname, None) if module is not None else None
    if not (isinstance(kind, type) and dataclasses.is_dataclass(kind)):
        raise NotEncodable(name)
    return kind
