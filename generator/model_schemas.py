"""Which schemas the response models are made of: the configured response and event schemas
and every component they reference, each checked before datamodel-code-generator sees it."""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .diagnostics import SpecError
from .load import PathKey
from .model import ResponseSchema, Sdk
from .model_names import ModelNames
from .naming import safe_module_name
from .resolve import Node, Spec

COMPONENT_PREFIX = ("components", "schemas")

# Where a JSON Schema keeps subschemas: one schema, a list of them, or a name -> schema map.
ONE = (
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
)
LIST = ("anyOf", "oneOf", "allOf", "prefixItems")
MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")


@dataclass(frozen=True)
class Component:
    """A schema under components/schemas that becomes a module of its own."""

    name: str  # the class (or alias) name, the component's own name
    stem: str  # module file stem under types/
    node: Node  # the schema itself, `$ref`s followed

    @property
    def key(self) -> str:
        # DCG puts `a.B` into module `a` as `B` (treat_dot_as_module).
        return f"{self.stem}.{self.name}"


def components_of(spec: Spec, roots: Iterable[ResponseSchema], names: ModelNames) -> set[str]:
    """The keys of the components that the models of `roots` are made from."""
    return {component.key for component in _collect_paths(spec, roots, {}, names)}


def check_schemas(spec: Spec, roots: Iterable[ResponseSchema], names: ModelNames) -> None:
    """Raise the `SpecError` that generating models for `roots` would meet before running
    datamodel-code-generator: lets one method be checked (and skipped) on its own."""
    _collect_paths(spec, roots, {}, names)


def collect(spec: Spec, sdk: Sdk, tags: dict[PathKey, str]) -> list[Component]:
    """The configured response and event schemas and every component they reference.

    `tags` receives, for each member of a discriminated union, its discriminator property.
    """
    names = ModelNames(sdk.model_names, frozenset(), frozenset())
    return _collect_paths(spec, (*sdk.response_schemas, *sdk.event_unions), tags, names)


def _collect_paths(
    spec: Spec, roots: Iterable[ResponseSchema], tags: dict[PathKey, str], names: ModelNames
) -> list[Component]:
    """Each root (a component, or an inline schema with the name `build` gave it) and the
    components it references, each under its class name."""
    found: dict[PathKey, Component] = {}
    pending = [(Node(_value_at(spec, r.schema_path), r.schema_path), r.name, r.name) for r in roots]
    seen = _SEEN.setdefault(spec, {})
    while pending:
        node, name, raw = pending.pop()
        if node.path in found:
            continue
        outcome = seen.get((node.path, raw, name))
        if outcome is None:
            outcome = seen[(node.path, raw, name)] = _look(spec, raw, name, node)
        if isinstance(outcome, SpecError):
            raise outcome
        component, targets, own_tags = outcome
        found[node.path] = component
        pending += [(target, names.component(raw_ref), raw_ref) for raw_ref, target in targets]
        tags.update(own_tags)
    by_stem: dict[str, str] = {}
    for component in found.values():
        other = by_stem.setdefault(component.stem, component.name)
        if other != component.name:
            raise spec.error(
                component.node,
                f"schemas '{other}' and '{component.name}' would "
                f"both be written to types/{component.stem}.py",
                "rename one of them",
            )
    return sorted(found.values(), key=lambda c: c.stem)


# What one schema is found to be: its component, the components it references and its
# discriminated members; or why it cannot be one. Each method's models are checked on their
# own (`check_schemas`), and most share schemas: each schema is looked at once per document.
_Outcome = tuple[Component, list[tuple[str, Node]], dict[PathKey, str]] | SpecError
_SEEN: weakref.WeakKeyDictionary[Spec, dict[tuple[PathKey, str, str], _Outcome]] = (
    weakref.WeakKeyDictionary()
)


def _look(spec: Spec, raw: str, name: str, node: Node) -> _Outcome:
    try:
        component = _component(spec, raw, name, node)
        targets = [referenced(spec, ref) for ref in _walk_refs(component.node)]
        tags: dict[PathKey, str] = {}
        _check_discriminators(spec, component.node, tags)
    except SpecError as error:
        return error
    return component, targets, tags


def _value_at(spec: Spec, path: PathKey) -> Any:
    value = spec.root.value
    for part in path:
        value = value[part]
    return value


def referenced(spec: Spec, ref: Node) -> tuple[str, Node]:
    """The name and schema of the component a `$ref` points at; nothing else is supported."""
    target = spec.deref(ref)
    name = _component_name(target)
    if name is None:
        raise spec.error(
            ref,
            "a response schema may only $ref whole schemas under components/schemas",
            "move the referenced schema there",
        )
    return name, target


def _component_name(node: Node) -> str | None:
    path = node.path
    if len(path) == 3 and path[:2] == COMPONENT_PREFIX and isinstance(path[2], str):
        return path[2]
    return None


def _component(spec: Spec, raw_name: str, name: str, node: Node) -> Component:
    if not name:
        raise spec.error(
            node,
            f"schema name '{raw_name}' does not make a Python class name",
            "rename the schema, e.g. to PascalCase",
        )
    if not isinstance(node.value, dict):
        raise spec.error(node, f"schema '{name}' is not a mapping", "describe it as a schema")
    return Component(name, safe_module_name(name), node)


def _subschemas(node: Node) -> Iterator[Node]:
    """The schemas directly inside `node` (not property names, examples or extensions)."""
    for key in ONE:
        child = node.get(key)
        if child is not None and isinstance(child.value, dict):
            yield child
    for key in LIST:
        child = node.get(key)
        items = child.elements() if child else []
        yield from (item for item in items if isinstance(item.value, dict))
    for key in MAP:
        child = node.get(key)
        entries = child.items() if child else []
        yield from (item for _, item in entries if isinstance(item.value, dict))


def _walk_refs(node: Node) -> Iterator[Node]:
    """Every `$ref` node inside the schema, in document order, without following them."""
    if isinstance(node.value.get("$ref"), str):
        yield node
    for child in _subschemas(node):
        yield from _walk_refs(child)


def _check_discriminators(spec: Spec, node: Node, tags: dict[PathKey, str]) -> None:
    """Each member of a discriminated union is told apart by the discriminator's value.

    pydantic takes the values from each member's `Literal` field: its `enum` (one value or
    several) or `const`, found through `allOf` too, or, as OpenAPI says for a member the
    `mapping` does not name, the schema's own name (`response_models` writes that mapping
    out). A union with an inline member that gives no value (a `$recursiveRef`, an object
    without the tag) cannot be told apart by it: it is left a plain union, each member
    tried in turn (`untagged`).
    """
    prop = discriminator_property(node)
    if prop is not None and not untagged(spec, node, prop):
        union = node.get("oneOf") or node.get("anyOf")
        for member in union.elements() if union else []:
            tags[spec.deref(member).path] = prop
    for child in _subschemas(node):
        _check_discriminators(spec, child, tags)


def discriminator_property(node: Node) -> str | None:
    discriminator = node.value.get("discriminator")
    prop = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
    return prop if isinstance(prop, str) else None


def untagged(spec: Spec, union: Node, prop: str) -> bool:
    """Whether a member of `union` is inline and gives its discriminator `prop` no value."""
    discriminator = union.value.get("discriminator")
    mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
    mapped = set(mapping.values()) if isinstance(mapping, dict) else set()
    members = union.get("oneOf") or union.get("anyOf")
    for member in members.elements() if members else []:
        named = spec.ref_name(member) is not None or member.value.get("$ref") in mapped
        if not named and not tag_values(spec, spec.deref(member), prop):
            return True
    return False


def tag_values(spec: Spec, node: Node, prop: str, depth: int = 0) -> list[Any]:
    """The values a schema (its `allOf` parts too) allows its property `prop`: its `enum` or
    `const`; [] when it does not say."""
    props = node.get("properties")
    field = props.get(prop) if props else None
    value = spec.deref(field).value if field else None
    if isinstance(value, dict):
        if "const" in value:
            return [value["const"]]
        if isinstance(value.get("enum"), list):
            return list(value["enum"])
    parts = node.get("allOf")
    for part in parts.elements() if parts and depth < 16 else []:
        found = tag_values(spec, spec.deref(part), prop, depth + 1)
        if found:
            return found
    return []
