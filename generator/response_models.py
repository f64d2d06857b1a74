"""Stage 4: response and event models, pydantic v2 classes made by datamodel-code-generator.

DCG runs once (in the model worker when there is one, see `model_worker`) over a small
OpenAPI document that holds every schema the API answers with and every component those
reference, each keyed `<module>.<Name>`: with `treat_dot_as_module` DCG then writes one
module per component itself, with per-module class names (so three modules may each own a
`Usage`) and imports between the modules (models that reference each other across modules
go to a shared `_internal` module).
One call, not one per module: DCG's fixed cost is its warm-up, paid once either way. With
the output's cache, that call holds only the modules a change touches (`model_reuse`).
What DCG cannot be told is finished on its AST afterwards (`model_finish`).
"""

from __future__ import annotations

import copy
from typing import Any

from . import model_codegen
from .cache import ModelCache
from .diagnostics import Diagnostic, SpecError
from .load import PathKey
from .model import ModelModule, Sdk
from .model_dcg_error import ModelErrors, closure, dcg_error
from .model_field_names import field_aliases
from .model_finish import finish
from .model_names import ModelNames
from .model_reuse import Graph, reuse
from .model_schemas import (
    LIST,
    MAP,
    ONE,
    Component,
    collect,
    discriminator_property,
    referenced,
    tag_values,
    untagged,
)
from .model_titles import title_nested
from .model_worker import ModelWorker
from .naming import safe_module_name
from .resolve import Node, Spec


def generate_models(spec: Spec, sdk: Sdk) -> dict[str, str]:
    """`{"types/images_response.py": code, ...}`, unformatted and without header lines."""
    return build_models(spec, sdk)[0]


def build_models(
    spec: Spec, sdk: Sdk, cache: ModelCache | None = None, worker: ModelWorker | None = None
) -> tuple[dict[str, str], tuple[ModelModule, ...]]:
    """The model files, and per component module the names `types/__init__.py` re-exports.

    Only a module's own component is re-exported: the helper classes named after inline
    titles (`Usage`, ...) repeat from module to module, like in the reference SDK, so they
    are imported from their module.
    """
    tags: dict[PathKey, str] = {}
    components = collect(spec, sdk, tags)
    if not components:
        return {}, ()
    aliases = field_aliases(spec, (c.node for c in components), sdk.naming)
    cache = cache or ModelCache(None)
    names = ModelNames(sdk.model_names, frozenset(), frozenset())
    schemas = {c.key: _Rewriter(spec, c, tags, names).schema() for c in components}
    raw = _run_dcg(spec, components, schemas, cache, worker, aliases)
    taken = {module.path for module in sdk.type_modules}
    roots = {schema.name for schema in (*sdk.response_schemas, *sdk.event_unions)}
    lost = [c for c in components if c.name in roots and c.stem not in raw]
    for group in _apart(lost, schemas):
        # A union that other models use too: DCG wrote it into their fields and no module
        # of its own. Alone with what it references, nothing else uses it, and DCG writes
        # its alias; unions none of which the others reference are made in one run.
        keys = set().union(*(closure(c.key, schemas) for c in group))
        alone = [c for c in components if c.key in keys]
        part = {c.key: schemas[c.key] for c in alone}
        own = _run_dcg(spec, alone, part, cache, worker, aliases)
        raw.update({c.stem: own[c.stem] for c in group if c.stem in own})
    files: dict[str, str] = {}
    modules: list[ModelModule] = []
    errors: dict[str, list[Diagnostic]] = {}
    for component in components:
        try:
            code = raw.pop(component.stem, None)
            finished = _module(spec, component, code, component.name in roots, taken, cache)
        except SpecError as error:
            errors.setdefault(component.key, []).extend(error.diagnostics)
            continue
        if finished is not None:  # None: an enum or scalar alias, inlined where it is used
            path, code, exported = finished
            files[path] = code
            modules.append(ModelModule(path, component.stem, exported))
    if errors:
        raise ModelErrors(errors)
    for stem, code in sorted(raw.items()):
        # DCG's own modules, such as `_internal` for models that reference each other
        # across modules (their modules import them from there).
        files[f"types/{stem}.py"] = _finish(cache, code, None)[0]
    return files, tuple(modules)


def _apart(lost: list[Component], schemas: dict[str, Any]) -> list[list[Component]]:
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


def _module(
    spec: Spec,
    component: Component,
    code: str | None,
    is_root: bool,
    taken: set[str],
    cache: ModelCache,
) -> tuple[str, str, tuple[str, ...]] | None:
    """The path and finished code of `component`'s module, from DCG's `code`, and the names
    `types/__init__.py` re-exports from it."""
    if code is None and is_root:
        raise spec.error(
            component.node,
            f"datamodel-code-generator wrote no module for '{component.name}'",
            "make it an object schema or a union of them",
        )
    if code is None:
        return None  # DCG wrote it into the fields that use it
    path = f"types/{component.stem}.py"
    if path in taken:
        raise spec.error(
            component.node,
            f"schema '{component.name}' would overwrite the params or alias module {path}",
            "rename the schema",
        )
    finished, names = _finish(cache, code, component.name)
    if component.name in names:
        return path, finished, (component.name,)
    if is_root:
        raise spec.error(
            component.node,
            f"datamodel-code-generator wrote no '{component.name}' into {path}",
            "rename the schema or its titles",
        )
    # A union that is no model (`str | Ratio`): DCG wrote it into the fields that use it,
    # and left here only the classes of its inline members, which those fields import.
    return path, finished, ()


def _finish(cache: ModelCache, code: str, primary: str | None) -> tuple[str, list[str]]:
    """`model_finish.finish`, or what it answered for the same module last time."""
    key = cache.finished.key(code, primary or "")
    found = cache.finished.get(key)
    if isinstance(found, list) and len(found) == 2:
        return str(found[0]), [str(name) for name in found[1]]
    finished, names = finish(code, primary)
    cache.finished.put(key, [finished, names])
    return finished, names


# -- the document DCG reads --------------------------------------------------------------------


class _Rewriter:
    """A copy of one component's schema, shaped so that DCG names and places its classes."""

    def __init__(
        self, spec: Spec, component: Component, tags: dict[PathKey, str], names: ModelNames
    ) -> None:
        self.spec = spec
        self.component = component
        self.tags = tags
        self.names = names

    def schema(self) -> dict[str, Any]:
        schema = self._copy(self.component.node)
        # A component's class is named after the component, not after its `title`.
        schema.pop("title", None)
        title_nested(schema, self.component.stem, self.component.name, set(self.names.classes))
        return schema

    def _copy(self, node: Node) -> dict[str, Any]:
        value: dict[str, Any] = node.value
        out: dict[str, Any] = {}
        for key, item in value.items():
            child = node.get(key)
            assert child is not None
            if key == "$ref" and isinstance(item, str):
                out[key] = self._ref(node)
            elif key == "$recursiveRef" and item == "#":
                # 2019-09's reference to the schema it stands in: this component.
                out["$ref"] = f"#/components/schemas/{self.component.key}"
            elif key in ONE and isinstance(item, dict):
                out[key] = self._copy(child)
            elif key in LIST and isinstance(item, list):
                out[key] = [
                    self._copy(e) if isinstance(e.value, dict) else copy.deepcopy(e.value)
                    for e in child.elements()
                ]
                if key == "allOf":
                    self._inline_overridden(child, out[key])
            elif key in MAP and isinstance(item, dict):
                out[key] = {
                    name: self._copy(v) if isinstance(v.value, dict) else copy.deepcopy(v.value)
                    for name, v in child.items()
                }
                if key == "properties":
                    self._describe_refs(child, out[key])
            elif key == "nullable" and item is False:
                # The default; DCG would give an optional field `str = None` for it.
                continue
            elif key == "discriminator" and isinstance(item, dict):
                prop = discriminator_property(node)
                if prop is not None and not untagged(self.spec, node, prop):
                    out[key] = self._discriminator(child, node)
            else:
                out[key] = copy.deepcopy(item)
        # `default: null` and `nullable: false` say what saying nothing says; given, DCG
        # writes `field: str = None` for an optional field.
        if "default" in out and out["default"] is None:
            del out["default"]
        if out.get("nullable") is False:
            del out["nullable"]
        tag = self.tags.get(node.path)
        if tag is not None and tag not in out.setdefault("required", []):
            # pydantic dispatches on a required `Literal` field; a member whose message
            # lacks the tag could not be told apart anyway.
            out["required"] = [*out["required"], tag]
        title = out.pop("title", None)
        if isinstance(title, str) and ("properties" in out or out.get("type") == "object"):
            # `<module>.<Title>` keeps an inline object's class in its parent's module, named
            # after its title; other titles would only turn inline enums into aliases.
            out["title"] = f"{self.component.stem}.{title.replace('.', ' ')}"
        return out

    def _inline_overridden(self, parts: Node, copied: list[Any]) -> None:
        """An `allOf` part that redescribes a property of a `$ref`'d part (another enum, say)
        would make DCG's subclass redefine a field of its base as a type the base's does not
        allow, which a type checker refuses: that `$ref`'d part is copied in instead, without
        the properties the other parts redescribe (theirs win, as the API means them to)."""
        elements = parts.elements()
        inline = [_properties(self.spec, e) for e in elements if "$ref" not in e.value]
        for index, part in enumerate(elements):
            if "$ref" not in part.value:
                continue
            target = self.spec.deref(part)
            base = _properties(self.spec, target)
            redescribed = {n for own in inline for n in own.keys() & base.keys()}
            if any(_differs(base[n], own[n]) for own in inline for n in own.keys() & base.keys()):
                replaced = self._copy(target)
                for key in ("title", "description"):  # a part, not a class of its own
                    replaced.pop(key, None)
                for name in redescribed:
                    replaced.get("properties", {}).pop(name, None)
                copied[index] = replaced

    def _describe_refs(self, properties: Node, copied: dict[str, Any]) -> None:
        """A field that only `$ref`s a schema is documented by that schema's description,
        as the params modules do it."""
        for name, prop in properties.items():
            schema = copied[name]
            if isinstance(schema, dict) and "$ref" in schema and "description" not in schema:
                text = self.spec.deref(prop).value.get("description")
                if isinstance(text, str):
                    schema["description"] = text

    def _discriminator(self, node: Node, union: Node) -> dict[str, Any]:
        out: dict[str, Any] = copy.deepcopy(node.value)
        mapping = node.get("mapping")
        for value, ref in mapping.items() if mapping else []:
            if isinstance(ref.value, str):
                out["mapping"][value] = self._ref(Node({"$ref": ref.value}, ref.path))
        prop = out.get("propertyName")
        members = union.get("oneOf") or union.get("anyOf")
        refs = [m for m in (members.elements() if members else []) if "$ref" in m.value]
        values = {m.path: tag_values(self.spec, self.spec.deref(m), str(prop)) for m in refs}
        if all(len(found) == 1 for found in values.values()):
            return out  # pydantic reads each member's one value from its `Literal` field
        # Several values, or none (OpenAPI: then the schema's name): a mapping says which
        # member each value means, and datamodel-code-generator writes the `Literal`s from it.
        written: dict[str, str] = out.setdefault("mapping", {})
        mapped = set(written.values())
        for member in refs:
            target = self._ref(member)
            if target not in mapped:
                raw = referenced(self.spec, member)[0]
                for value in values[member.path] or [raw]:
                    written.setdefault(str(value), target)
        return out

    def _ref(self, ref: Node) -> str:
        name = self.names.component(referenced(self.spec, ref)[0])
        return f"#/components/schemas/{safe_module_name(name)}.{name}"


_NOT_TYPES = ("description", "title", "example", "examples", "deprecated")


def _properties(spec: Spec, node: Node) -> dict[str, Any]:
    """A schema's property schemas by name, `$ref`s followed (one level deep)."""
    props = node.get("properties")
    return {str(name): spec.deref(p).value for name, p in props.items()} if props else {}


def _differs(base: Any, own: Any) -> bool:
    """Whether two property schemas say different things of the value's type."""
    if not isinstance(base, dict) or not isinstance(own, dict):
        return bool(base != own)
    return _typed(base) != _typed(own)


def _typed(schema: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in schema.items() if key not in _NOT_TYPES}


def _run_dcg(
    spec: Spec,
    components: list[Component],
    schemas: dict[str, Any],  # each component's schema as DCG is given it
    cache: ModelCache,
    worker: ModelWorker | None,
    aliases: dict[str, str],
) -> dict[str, str]:
    """DCG's modules by file stem, from the worker when it has them; any failure becomes a
    located `SpecError`."""
    version = str(spec.root.value.get("openapi", "3.1.0"))
    key = cache.key({"schemas": schemas, "openapi": version, "aliases": aliases})
    cached = cache.get(key)
    if cached is not None:
        return cached
    graph = Graph(schemas)
    keys = graph.module_keys(cache.key({"openapi": version}), aliases)

    def dcg(parts: list[dict[str, Any]]) -> list[dict[str, str]]:
        made = worker.generate(parts, version, aliases) if worker else None
        if made is not None:
            return made
        # In this process DCG is given a copy: the schemas are asked for again by a later
        # run (a union DCG wrote into fields, alone), which must see them as they were.
        return [model_codegen.generate(copy.deepcopy(p), version, aliases) for p in parts]

    try:
        raw, modules = reuse(graph, keys, cache.modules(), dcg, worker.parallel if worker else 1)
    except Exception as exc:  # whatever DCG raises on spec input is a problem of the spec
        raise dcg_error(exc, spec, components, schemas, version, aliases) from None
    cache.put(key, raw, modules)
    return dict(raw)
