"""Python names and wire names of request keys.

A params TypedDict key whose Python name is not what the API calls it is declared as
``Annotated[T, Alias("cfgScale")]``: that is for the reader and the type checker. The
request builder never reads annotations: next to each TypedDict the generator writes its
``WireKeys``, and the resource methods pass a value through ``to_wire`` with them.
"""

from __future__ import annotations

from typing import Mapping, NamedTuple, Optional

__all__ = ["Alias", "WireKeys", "to_wire"]


class Alias:
    """The key's name on the wire, where a params TypedDict calls it something else."""

    __slots__ = ("wire_name",)

    def __init__(self, wire_name: str) -> None:
        self.wire_name = wire_name

    def __repr__(self) -> str:
        return f"Alias({self.wire_name!r})"


class WireKeys(NamedTuple):
    """How the keys of one kind of object are sent.

    ``names`` maps a Python key to its wire name where the two differ; ``nested`` maps a
    Python key to the ``WireKeys`` of its value (an object, or a list of them). ``values``
    is for a mapping with keys of the caller's choosing: each value is sent by it.
    """

    names: Mapping[str, str] = {}
    nested: Mapping[str, WireKeys] = {}
    values: Optional[WireKeys] = None

    def merged(self, other: WireKeys) -> WireKeys:
        """The keys of a value that may be either kind of object; the generator checks that
        no Python key means two different wire names."""
        nested = dict(self.nested)
        for key, keys in other.nested.items():
            nested[key] = nested[key].merged(keys) if key in nested else keys
        values = self.values
        if other.values is not None:
            values = other.values if values is None else values.merged(other.values)
        return WireKeys({**self.names, **other.names}, nested, values)


def to_wire(value: object, keys: WireKeys) -> object:
    """``value`` with its keys (and those of the objects in it) as the API names them.

    A list is sent item by item; keys ``keys`` does not know (extra ones the caller added)
    are sent as they are, and so is anything that is not a mapping or a list.
    """
    if isinstance(value, Mapping):
        if keys.values is not None:
            return {key: to_wire(item, keys.values) for key, item in value.items()}
        names, nested = keys.names, keys.nested
        return {
            names.get(key, key): to_wire(item, nested[key]) if key in nested else item
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [to_wire(item, keys) for item in value]
    return value
