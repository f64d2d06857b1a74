"""Response and stream-event models: pydantic v2 classes written by datamodel-code-generator.

DCG runs once (in the model worker when there is one, see `model_worker`) over a small
OpenAPI document that holds every schema the API answers with and every component those
reference, each keyed `<module>.<Name>`: with `treat_dot_as_module` DCG then writes one
module per component itself, with per-module class names (so three modules may each own a
`Usage`) and imports between the modules (models that reference each other across modules
go to a shared `_internal` module).
One call, not one per module: DCG's fixed cost is its warm-up, paid once either way.
What DCG cannot be told is finished on its AST afterwards (`model_finish`).
"""

from __future__ import annotations

import copy
import json
import keyword
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import model_codegen
from .cache import ModelCache
from .diagnostics import Diagnostic, SpecError
from .load import PathKey
from .model import ModelModule, Sdk
from .model_finish import finish
from .model_worker import ModelWorker
from .naming import RESOURCE_MODULE_NAMES, class_name, safe_module_name
from .resolve import Node, Spec

_COMPONENT_PREFIX = ("components", "schemas")
_DCG_SCHEMA_PATH = re.compile(r"schema path '#/components/schemas/([^'/]+)((?:/[^']*)?)'")
_REF = re.compile(r'"#/components/schemas/([^"]+)"')

# Where a JSON Schema keeps subschemas: one schema, a list of them, or a name -> schema map.
_ONE = (
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
_LIST = ("anyOf", "oneOf", "allOf", "prefixItems")
_MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")


@dataclass(frozen=True)
class _Component:
    """A schema under components/schemas that becomes a module of its own."""

    name: str  # the class (or alias) name, the component's own name
    stem: str  # module file stem under types/
    node: Node  # the schema itself, `$ref`s followed

    @property
    def key(self) -> str:
        # DCG puts `a.B` into module `a` as `B` (treat_dot_as_module).
        return f"{self.stem}.{self.name}"


class ModelErrors(SpecError):
    """Models that cannot be made, each error filed under the component it is about, so that
    the methods that need that component can be told apart from those that do not."""

    def __init__(self, by_component: dict[str, list[Diagnostic]]) -> None:
        self.by_component = {key: tuple(found) for key, found in by_component.items()}
        super().__init__(d for found in by_component.values() for d in found)


def components_of(spec: Spec, roots: list[PathKey]) -> set[str]:
    """The keys of the components that the models of `roots` are made from."""
    return {component.key for component in _collect_paths(spec, roots, {})}


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
    components = _collect(spec, sdk, tags)
    if not components:
        return {}, ()
    raw = _run_dcg(spec, components, tags, cache or ModelCache(None), worker)
    taken = {module.path for module in sdk.type_modules}
    roots = {schema.name for schema in (*sdk.response_schemas, *sdk.event_unions)}
    files: dict[str, str] = {}
    modules: list[ModelModule] = []
    errors: dict[str, list[Diagnostic]] = {}
    for component in components:
        try:
            finished = _module(
                spec, component, raw.pop(component.stem, None), component.name in roots, taken
            )
        except SpecError as error:
            errors.setdefault(component.key, []).extend(error.diagnostics)
            continue
        if finished is not None:  # None: an enum or scalar alias, inlined where it is used
            path, code = finished
            files[path] = code
            modules.append(ModelModule(path, component.stem, (component.name,)))
    if errors:
        raise ModelErrors(errors)
    for stem, code in sorted(raw.items()):
        # DCG's own modules, such as `_internal` for models that reference each other
        # across modules (their modules import them from there).
        files[f"types/{stem}.py"] = finish(code, None)[0]
    return files, tuple(modules)


def _module(
    spec: Spec, component: _Component, code: str | None, is_root: bool, taken: set[str]
) -> tuple[str, str] | None:
    """The path and finished code of `component`'s module, from DCG's `code`."""
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
    finished, names = finish(code, component.name)
    if component.name not in names:
        raise spec.error(
            component.node,
            f"datamodel-code-generator wrote no '{component.name}' into {path}",
            "rename the schema or its titles",
        )
    return path, finished


# -- which schemas ---------------------------------------------------------------------------


def check_schemas(spec: Spec, roots: list[PathKey]) -> None:
    """Raise the `SpecError` that generating models for `roots` would meet before running
    datamodel-code-generator: lets one method be checked (and skipped) on its own."""
    _collect_paths(spec, roots, {})


def _collect(spec: Spec, sdk: Sdk, tags: dict[PathKey, str]) -> list[_Component]:
    """The configured response and event schemas and every component they reference.

    `tags` receives, for each member of a discriminated union, its discriminator property.
    """
    roots = [schema.schema_path for schema in (*sdk.response_schemas, *sdk.event_unions)]
    return _collect_paths(spec, roots, tags)


def _collect_paths(spec: Spec, roots: list[PathKey], tags: dict[PathKey, str]) -> list[_Component]:
    found: dict[str, _Component] = {}
    pending = [Node(_value_at(spec, path), path) for path in roots]
    while pending:
        node = pending.pop()
        name = _component_name(node)
        if name is None or name in found:
            continue
        component = _component(spec, name, node)
        found[name] = component
        pending += [_referenced(spec, ref)[1] for ref in _walk_refs(component.node)]
        _check_discriminators(spec, component.node, tags)
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


def _value_at(spec: Spec, path: PathKey) -> Any:
    value = spec.root.value
    for part in path:
        value = value[part]
    return value


def _referenced(spec: Spec, ref: Node) -> tuple[str, Node]:
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
    if len(path) == 3 and path[:2] == _COMPONENT_PREFIX and isinstance(path[2], str):
        return path[2]
    return None


def _model_name(name: str) -> str:
    """The class name of a component: its own name when that is one (`ImagesResponse`), else
    its PascalCase form (real specs have names such as `Error-2`); '' when neither works."""
    if name.isidentifier() and name.isascii() and not keyword.iskeyword(name):
        return name
    return class_name(name)


def _component(spec: Spec, raw_name: str, node: Node) -> _Component:
    name = _model_name(raw_name)
    if not name:
        raise spec.error(
            node,
            f"schema name '{raw_name}' does not make a Python class name",
            "rename the schema, e.g. to PascalCase",
        )
    if name in RESOURCE_MODULE_NAMES:
        raise spec.error(
            node,
            f"schema name '{raw_name}' is taken by the client's own code",
            f"rename the schema, e.g. to '{name}Result'",
        )
    if not isinstance(node.value, dict):
        raise spec.error(node, f"schema '{name}' is not a mapping", "describe it as a schema")
    return _Component(name, safe_module_name(name), node)


def _subschemas(node: Node) -> Iterator[Node]:
    """The schemas directly inside `node` (not property names, examples or extensions)."""
    for key in _ONE:
        child = node.get(key)
        if child is not None and isinstance(child.value, dict):
            yield child
    for key in _LIST:
        child = node.get(key)
        items = child.elements() if child else []
        yield from (item for item in items if isinstance(item.value, dict))
    for key in _MAP:
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
    """Each member of a discriminated union must pin the discriminator to one value.

    The spec names no `mapping`; pydantic takes the values from each member's
    `Literal` field, so a member without a single-value enum (or const) cannot be told apart.
    """
    discriminator = node.value.get("discriminator")
    prop = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
    if isinstance(prop, str):
        union = node.get("oneOf") or node.get("anyOf")
        for member in union.elements() if union else []:
            target = spec.deref(member)
            props = target.get("properties")
            field = props.get(prop) if props else None
            value = spec.deref(field).value if field else None
            if not isinstance(value, dict) or not _single_value(value):
                where = spec.deref(field) if field else target
                raise spec.error(
                    where,
                    f"union member '{spec.ref_name(member) or 'inline'}' "
                    f"gives the discriminator '{prop}' no single value",
                    f"give '{prop}' a one-value `enum:` or a `const:`",
                )
            tags[target.path] = prop
    for child in _subschemas(node):
        _check_discriminators(spec, child, tags)


def _single_value(schema: dict[str, Any]) -> bool:
    enum = schema.get("enum")
    return "const" in schema or (isinstance(enum, list) and len(enum) == 1)


# -- the document DCG reads --------------------------------------------------------------------


class _Rewriter:
    """A copy of one component's schema, shaped so that DCG names and places its classes."""

    def __init__(self, spec: Spec, component: _Component, tags: dict[PathKey, str]) -> None:
        self.spec = spec
        self.component = component
        self.tags = tags

    def schema(self) -> dict[str, Any]:
        schema = self._copy(self.component.node)
        # A component's class is named after the component, not after its `title`.
        schema.pop("title", None)
        return schema

    def _copy(self, node: Node) -> dict[str, Any]:
        value: dict[str, Any] = node.value
        out: dict[str, Any] = {}
        for key, item in value.items():
            child = node.get(key)
            assert child is not None
            if key == "$ref" and isinstance(item, str):
                out[key] = self._ref(node)
            elif key in _ONE and isinstance(item, dict):
                out[key] = self._copy(child)
            elif key in _LIST and isinstance(item, list):
                out[key] = [
                    self._copy(e) if isinstance(e.value, dict) else copy.deepcopy(e.value)
                    for e in child.elements()
                ]
            elif key in _MAP and isinstance(item, dict):
                out[key] = {
                    name: self._copy(v) if isinstance(v.value, dict) else copy.deepcopy(v.value)
                    for name, v in child.items()
                }
                if key == "properties":
                    self._describe_refs(child, out[key])
            elif key == "discriminator" and isinstance(item, dict):
                out[key] = self._discriminator(child)
            else:
                out[key] = copy.deepcopy(item)
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

    def _describe_refs(self, properties: Node, copied: dict[str, Any]) -> None:
        """A field that only `$ref`s a schema is documented by that schema's description,
        as the params modules do it."""
        for name, prop in properties.items():
            schema = copied[name]
            if isinstance(schema, dict) and "$ref" in schema and "description" not in schema:
                text = self.spec.deref(prop).value.get("description")
                if isinstance(text, str):
                    schema["description"] = text

    def _discriminator(self, node: Node) -> dict[str, Any]:
        out: dict[str, Any] = copy.deepcopy(node.value)
        mapping = node.get("mapping")
        for value, ref in mapping.items() if mapping else []:
            if isinstance(ref.value, str):
                out["mapping"][value] = self._ref(Node({"$ref": ref.value}, ref.path))
        return out

    def _ref(self, ref: Node) -> str:
        name = _model_name(_referenced(self.spec, ref)[0])
        return f"#/components/schemas/{safe_module_name(name)}.{name}"


def _run_dcg(
    spec: Spec,
    components: list[_Component],
    tags: dict[PathKey, str],
    cache: ModelCache,
    worker: ModelWorker | None,
) -> dict[str, str]:
    """DCG's modules by file stem, from the worker when it has them; any failure becomes a
    located `SpecError`."""
    schemas = {c.key: _Rewriter(spec, c, tags).schema() for c in components}
    version = str(spec.root.value.get("openapi", "3.1.0"))
    key = cache.key({"schemas": schemas, "openapi": version})
    cached = cache.get(key)
    if cached is not None:
        return cached
    raw = worker.generate(schemas, version) if worker else None
    try:
        raw = raw if raw is not None else model_codegen.generate(schemas, version)
    except Exception as exc:  # whatever DCG raises on spec input is a problem of the spec
        raise _dcg_error(exc, spec, components, schemas, version) from None
    cache.put(key, raw)
    return dict(raw)


def _dcg_error(
    exc: Exception, spec: Spec, components: list[_Component], schemas: dict[str, Any], version: str
) -> SpecError:
    """Place DCG's failure at the schema it names or, when it names none, at the first
    component that fails on its own (slow, but only ever on the way to an error)."""
    by_key = {c.key: c for c in components}
    match = _DCG_SCHEMA_PATH.search(str(exc))
    culprit = by_key.get(match.group(1)) if match else None
    if culprit is None:
        for component in components:
            try:
                model_codegen.generate(_closure(component.key, schemas), version)
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


def _closure(key: str, schemas: dict[str, Any]) -> dict[str, Any]:
    """The schema under `key` and every schema it references, for DCG to run on alone."""
    todo, seen = [key], set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += _REF.findall(json.dumps(schemas[name]))
    return {name: schemas[name] for name in sorted(seen)}
