"""Returned unions (and other root models) that DCG writes into the fields using them.

With `collapse_root_models`, DCG writes a union, enum, scalar or array schema that other
schemas reference into their fields, and no module of its own; a method that returns it
still needs its module. Such a schema alone (nothing referencing it) gets its module, so the
models are made with an unreferenced copy of each returned one beside it, under a stem no
component has: the copy's module is the one the schema would have, and the copy changes
nothing DCG writes for the others (every other module is byte for byte what a run without
it writes). What the copies still leave without a module is made in runs of its own
(`apart`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from .model_dcg_error import closure
from .model_reuse import REF_PREFIX
from .model_schemas import Component

# snake_case never writes two underscores in a row: no component's stem ends like this.
_COPY = "__alone"
# A reference as `json.dumps` writes it (a `$ref`, or a discriminator mapping's value).
_REF = re.compile('"' + re.escape(REF_PREFIX) + r'([^"\\]+)"')


def alone_copies(returned: list[Component], schemas: dict[str, Any]) -> dict[str, Component]:
    """DCG key of a copy -> its component: one for each of `returned` that another schema
    references and that is no object (an object keeps its module)."""
    referenced = set(_REF.findall(json.dumps(schemas)))
    return {
        f"{c.stem}{_COPY}.{c.name}": c
        for c in returned
        if c.key in referenced and not _is_object(schemas[c.key])
    }


def take_copies(raw: dict[str, str], copies: dict[str, Component]) -> dict[str, str]:
    """`raw` with each copy's module under its component's stem, where DCG wrote the
    component none of its own; the copies' own modules dropped."""
    for key, component in copies.items():
        made = raw.pop(key.partition(".")[0], None)
        if made is not None and component.stem not in raw:
            raw[component.stem] = made
    return raw


def _is_object(schema: object) -> bool:
    return isinstance(schema, dict) and (
        schema.get("type") == "object" or "properties" in schema or "allOf" in schema
    )


def apart(lost: list[Component], schemas: dict[str, Any]) -> list[list[Component]]:
    """`lost` in groups whose members are not in one another's closures."""
    groups: list[tuple[list[Component], set[str]]] = []
    for component in lost:
        keys = set(closure(component.key, schemas))
        for members, reached in groups:
            if component.key not in reached and not any(m.key in keys for m in members):
                members.append(component)
                reached |= keys
                break
        else:
            groups.append(([component], set(keys)))
    return [members for members, _ in groups]
