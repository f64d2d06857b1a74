"""Where a datamodel-code-generator failure lands in the spec: DCG names a schema path at
best, and pydantic's `loc` at worst, so both are walked back to the deepest node that exists.
"""

from __future__ import annotations

import json
import re
from typing import Any

from . import model_codegen
from .diagnostics import Diagnostic, SpecError
from .model_schemas import Component
from .resolve import Spec

_DCG_SCHEMA_PATH = re.compile(r"schema path '#/components/schemas/([^'/]+)((?:/[^']*)?)'")
_REF = re.compile(r'"#/components/schemas/([^"]+)"')


class ModelErrors(SpecError):
    """Models that cannot be made, each error filed under the component it is about, so that
    the methods that need that component can be told apart from those that do not."""

    def __init__(self, by_component: dict[str, list[Diagnostic]]) -> None:
        self.by_component = {key: tuple(found) for key, found in by_component.items()}
        super().__init__(d for found in by_component.values() for d in found)


def dcg_error(
    exc: Exception,
    spec: Spec,
    components: list[Component],
    schemas: dict[str, Any],
    version: str,
    aliases: dict[str, str],
) -> SpecError:
    """Place DCG's failure at the schema it names or, when it names none, at the first
    component that fails on its own (slow, but only ever on the way to an error)."""
    by_key = {c.key: c for c in components}
    match = _DCG_SCHEMA_PATH.search(str(exc))
    culprit = by_key.get(match.group(1)) if match else None
    if culprit is None:
        for component in components:
            try:
                model_codegen.generate(closure(component.key, schemas), version, aliases)
            except Exception as own:  # the same reason as in `_run_dcg`
                culprit, exc = component, own
                break
    where = (culprit or components[0]).node
    pointer = match.group(2).split("/") if match and culprit else []
    details: list[dict[str, Any]] = []
    original: Any = getattr(exc, "original_error", None)
    if callable(getattr(original, "errors", None)):  # a pydantic ValidationError
        details = list(original.errors())
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer if p]
    parts += [str(p) for p in details[0]["loc"]] if details else []
    for part in parts:
        # pydantic's `loc` mixes schema keys with the names of the types it tried: keep the
        # keys, so the error lands on the deepest node that exists.
        child = where.get(part)
        if child is None and part.isdigit() and int(part) < len(where.elements()):
            child = where.elements()[int(part)]
        where = child or where
    text = str(details[0]["msg"]) if details else (str(exc).strip().splitlines() or [""])[-1]
    error = spec.error(
        where,
        f"datamodel-code-generator cannot turn this schema into a model: "
        f"{text or type(exc).__name__}"[:300],
        "simplify the schema or fix the keyword the message names",
    )
    return ModelErrors({culprit.key: list(error.diagnostics)}) if culprit else error


def closure(key: str, schemas: dict[str, Any]) -> dict[str, Any]:
    """The schema under `key` and every schema it references, for DCG to run on alone."""
    todo, seen = [key], set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += _REF.findall(json.dumps(schemas[name]))
    return {name: schemas[name] for name in sorted(seen)}
