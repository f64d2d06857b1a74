"""Where a request value holds objects, and the constants that name their keys on the wire.

Apart from `model`, so that `typemap` (which `model`'s imports import) can use it too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shape:
    """Where a value holds objects whose keys may need their wire names: the TypedDicts it
    may be (itself or each item of a list), and for a `Dict[str, T]` the shape of `T`."""

    classes: tuple[str, ...] = ()  # sorted, of the value's own module
    values: Shape | None = None

    def __bool__(self) -> bool:
        return bool(self.classes) or self.values is not None

    def union(self, other: Shape) -> Shape:
        values = self.values
        if other.values is not None:
            values = other.values if values is None else values.union(other.values)
        return Shape(tuple(sorted({*self.classes, *other.classes})), values)


@dataclass(frozen=True)
class KeyMap:
    """A `WireKeys` constant beside a TypedDict: how its keys go on the wire."""

    name: str  # e.g. '_Image_wire'
    expression: str  # e.g. 'WireKeys(names={"cfg_scale": "cfgScale"})'


# A value with no objects in it; frozen, so one instance serves as every default.
NO_OBJECTS = Shape()
