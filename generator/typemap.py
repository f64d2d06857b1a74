"""Map request schemas to Python type annotations for TypedDicts and method arguments.

The mapping follows the shape of the reference SDK: `Optional[T]` for nullable values,
`Literal[...]` for enums, `Union[str, Literal[...]]` for open enums, `FileTypes` for binary
strings, `SequenceNotStr[T]` for arrays, named aliases for schemas the config lists, and a
nested TypedDict for an object with properties.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .diagnostics import SpecError
from .load import PathKey
from .naming import class_name as safe_class_name
from .naming import python_name
from .object_shape import is_object_schema, object_shape
from .resolve import Node, Spec
from .samples import FILE, INLINE_LIMIT, NONE, Sample, code, int_or, number_sample, string_sample
from .shape import NO_OBJECTS, Shape
from .union_members import member_hints, tagged_sample

TYPING = "typing"
TYPING_EXTENSIONS = "typing_extensions"
RUNTIME_TYPES = ".._types"

# Schema keywords whose meaning a TypedDict cannot express; better a clear error than a
# client that accepts what the API rejects.
UNSUPPORTED_KEYWORDS = (
    "not",
    "if",
    "then",
    "else",
    "patternProperties",
    "dependentSchemas",
    "prefixItems",
    "unevaluatedProperties",
)
_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_TYPES = frozenset({*_SCALARS, "array", "object", "null"})
# `$ref`s followed inside one another; deeper than this is a chain no API needs, and the
# mapping is recursive: better an error than a RecursionError.
MAX_DEPTH = 64
# Keywords that say nothing of a value's type.
_NOTES = frozenset({"nullable", "description", "title", "default", "example", "deprecated"})
_FILE_MEDIA_PREFIXES = ("application/octet-stream", "image/", "audio/", "video/")


@dataclass(frozen=True)
class PyType:
    members: tuple[str, ...]  # the union's members, `None` left out
    nullable: bool = False
    is_file: bool = False
    sample: Sample = NONE
    shape: Shape = NO_OBJECTS  # the TypedDicts in the value, for their keys' wire names

    def render(self) -> str:
        members = self.members or ("object",)
        if len(members) == 1:
            return f"Optional[{members[0]}]" if self.nullable else members[0]
        inner = ", ".join((*members, "None") if self.nullable else members)
        return f"Union[{inner}]"


def python_literal(value: object) -> str:
    """A Python literal that evaluates to `value`; `repr` escapes quotes, backslashes and
    control characters, so no enum value from the spec can change the code around it."""
    return repr(value)


@dataclass
class TypeContext:
    """What one generated module needs while its types are mapped."""

    imports: set[tuple[str, str]] = field(default_factory=set)
    # Nested and referenced object schemas become TypedDicts of the same module.
    classes: dict[str, tuple[str, Node]] = field(default_factory=dict)  # name -> (purpose, node)
    alias_refs: dict[str, Node] = field(default_factory=dict)

    def need(self, module: str, name: str) -> None:
        self.imports.add((module, name))


class TypeMapper:
    def __init__(
        self,
        spec: Spec,
        aliases: frozenset[str],
        alias_module: Callable[[str], str],
        naming: str = "snake",
    ) -> None:
        self.spec = spec
        self.aliases = aliases
        self.alias_module = alias_module
        self.naming = naming

    def map(
        self, node: Node, ctx: TypeContext, name_hint: str, stack: tuple[PathKey, ...] = ()
    ) -> PyType:
        value = node.value
        if value is True or value == {}:
            return PyType(("object",), sample=code("'value'"))
        if not isinstance(value, dict):
            raise self.spec.error(
                node, "a schema must be a mapping", "write the schema as `type: ...`"
            )
        for keyword in UNSUPPORTED_KEYWORDS:
            if keyword in value:
                raise self.spec.error(
                    node.get(keyword) or node,
                    f"unsupported schema keyword '{keyword}'",
                    "describe the value with type/enum/anyOf instead",
                )
        if len(stack) > MAX_DEPTH:
            raise self.spec.error(
                node, f"schemas nest more than {MAX_DEPTH} $refs deep", "flatten the schema"
            )
        _check_type(self.spec, node)
        nullable = value.get("nullable") is True
        if "$ref" in value:
            mapped = _map_ref(self, node, ctx, name_hint, stack)
        elif "anyOf" in value or "oneOf" in value:
            mapped = _map_union(self, node, ctx, name_hint, stack)
        elif "allOf" in value:
            parts = node.get("allOf")
            every = parts.elements() if parts else []
            # `allOf: [{$ref: X}, {nullable: true}]`: a part that only annotates is no type.
            members = [m for m in every if not isinstance(m.value, dict) or m.value.keys() - _NOTES]
            nullable |= any(
                isinstance(m.value, dict) and m.value.get("nullable") is True for m in every
            )
            if len(members) == 1 and "properties" not in value:
                mapped = self.map(members[0], ctx, name_hint, stack)
            elif is_object_schema(value):
                name = _class_name(self.spec, node, name_hint)
                mapped = _object_class(self, node, ctx, name, stack)
            else:
                raise self.spec.error(
                    node,
                    "allOf of schemas that are not all objects is not supported in requests",
                    "merge the schemas into one schema",
                )
        elif "const" in value:
            mapped = _literal(self.spec, node, ctx, [value["const"]], "const")
        elif "enum" in value:
            mapped = _literal(self.spec, node, ctx, value["enum"], "enum")
        else:
            mapped = _map_typed(self, node, ctx, name_hint, stack)
        if nullable and not mapped.nullable:
            ctx.need(TYPING, "Optional")
            mapped = replace(mapped, nullable=True)
        _need_union_helpers(mapped, ctx)
        return mapped

    def _map_one_type(
        self, kind: object, node: Node, ctx: TypeContext, name_hint: str, stack: tuple[PathKey, ...]
    ) -> PyType:
        value = node.value
        if kind == "string":
            if _is_binary(value):
                ctx.need(RUNTIME_TYPES, "FileTypes")
                return PyType(("FileTypes",), is_file=True, sample=FILE)
            return PyType(("str",), sample=code(string_sample(value)))
        if kind in ("integer", "number"):
            sample = code(number_sample(value, kind == "integer"))
            return PyType((_SCALARS[str(kind)],), sample=sample)
        if kind == "boolean":
            return PyType(("bool",), sample=code("True"))
        if kind == "array":
            items = node.get("items")
            item = self.map(items, ctx, name_hint, stack) if items else PyType(("object",))
            ctx.need(RUNTIME_TYPES, "SequenceNotStr")
            count = max(1, int_or(value.get("minItems"), 1))
            if item.is_file:
                count = max(count, min(2, int_or(value.get("maxItems"), 2)))
            if count > INLINE_LIMIT:
                sample = Sample("repeat", items=(item.sample,), count=count)
            else:
                sample = Sample("list", items=(item.sample,) * count)
            return PyType(
                (f"SequenceNotStr[{item.render()}]",),
                is_file=item.is_file,
                sample=sample,
                shape=item.shape,
            )
        if kind == "object":
            if is_object_schema(value):
                return _object_class(
                    self, node, ctx, _class_name(self.spec, node, name_hint), stack
                )
            extra = node.get("additionalProperties")
            ctx.need(TYPING, "Dict")
            if extra is not None and isinstance(extra.value, dict) and extra.value:
                inner = self.map(extra, ctx, name_hint, stack)
                shape = Shape(values=inner.shape) if inner.shape else Shape()
                return PyType((f"Dict[str, {inner.render()}]",), sample=code("{}"), shape=shape)
            return PyType(("Dict[str, object]",), sample=code("{}"))
        raise self.spec.error(
            node.get("type") or node,
            f"unsupported schema type {kind!r}",
            "use string, integer, number, boolean, array, object or null",
        )


def _check_type(spec: Spec, node: Node) -> None:
    """`type` is checked even where `enum` or `$ref` decides the annotation: a spec that
    says `type: text` is wrong wherever it says it."""
    declared = node.value.get("type")
    if declared is None:
        return
    kinds = declared if isinstance(declared, list) else [declared]
    for kind in kinds:
        if not isinstance(kind, str) or kind not in _TYPES:
            close = (
                difflib.get_close_matches(kind, sorted(_TYPES), n=1)
                if isinstance(kind, str)
                else []
            )
            raise spec.error(
                node.get("type") or node,
                f"unsupported schema type {kind!r}",
                f"did you mean '{close[0]}'?"
                if close
                else "use string, integer, number, boolean, array, object or null",
            )


def _need_union_helpers(mapped: PyType, ctx: TypeContext) -> None:
    if len(mapped.members) > 1:
        ctx.need(TYPING, "Union")
    elif mapped.nullable:
        ctx.need(TYPING, "Optional")


def _class_name(spec: Spec, node: Node, name: str) -> str:
    result = safe_class_name(name)
    if not result:
        raise spec.error(
            node,
            f"'{name}' does not make a Python class name",
            "name the schema with ASCII letters, not starting with a digit, "
            "and not like a typing name (Optional, Union, ...)",
        )
    return result


def _literal(spec: Spec, node: Node, ctx: TypeContext, values: object, key: str) -> PyType:
    if not isinstance(values, list) or not values:
        raise spec.error(
            node.get(key) or node, "'enum' must be a non-empty list", "list the allowed values"
        )
    allowed = [v for v in values if v is not None]
    for value in allowed:
        if not isinstance(value, (str, int, bool)) or isinstance(value, float):
            shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
            raise spec.error(
                node.get(key) or node,
                f"{key} value {shown} cannot be a Literal",
                "use strings, integers or booleans",
            )
    nullable = len(allowed) != len(values)
    if not allowed:
        return PyType(("None",), sample=NONE)
    ctx.need(TYPING_EXTENSIONS, "Literal")
    # Keyed by type as well: `True == 1`, yet `Literal[True, 1]` allows two values.
    unique = list({(type(v), v): v for v in allowed}.values())
    literal = "Literal[" + ", ".join(python_literal(v) for v in unique) + "]"
    return PyType((literal,), nullable, sample=code(python_literal(unique[0])))


def _map_ref(
    mapper: TypeMapper, node: Node, ctx: TypeContext, name_hint: str, stack: tuple[PathKey, ...]
) -> PyType:
    name = mapper.spec.ref_name(node) or name_hint
    target = mapper.spec.deref(node)
    if target.path in stack:
        raise mapper.spec.error(
            node,
            f"circular $ref to '{name}' cannot be represented as a type",
            "break the cycle with an object that holds the reference",
        )
    inner_stack = (*stack, target.path)
    if name in mapper.aliases:
        plain = mapper.map(target, TypeContext(), name, inner_stack)
        if plain.shape and mapper.naming != "wire":
            # Its TypedDicts live in the alias's own module, where no method's request
            # builder looks for their keys' wire names.
            raise mapper.spec.error(
                node,
                f"alias '{name}' is an object type, whose keys get Python names",
                "list only enums and scalars under `aliases:`, or set `naming: wire`",
            )
        ctx.alias_refs[name] = target
        ctx.need("." + mapper.alias_module(name), name)
        return PyType((name,), plain.nullable, plain.is_file, plain.sample)
    if is_object_schema(target.value):
        return _object_class(mapper, target, ctx, _class_name(mapper.spec, node, name), inner_stack)
    return mapper.map(target, ctx, name, inner_stack)


def _map_typed(
    mapper: TypeMapper, node: Node, ctx: TypeContext, name_hint: str, stack: tuple[PathKey, ...]
) -> PyType:
    value = node.value
    declared = value.get("type")
    types = declared if isinstance(declared, list) else [declared] if declared else []
    nullable = "null" in types
    types = [t for t in types if t != "null"]
    if not types:
        if "properties" in value:
            types = ["object"]
        elif "items" in value:
            types = ["array"]
        else:
            return PyType(("object",), nullable, sample=code("'value'"))
    results = [mapper._map_one_type(t, node, ctx, name_hint, stack) for t in types]
    members: list[str] = []
    shape = Shape()
    for result in results:
        members.extend(m for m in result.members if m not in members)
        shape = shape.union(result.shape)
    files = all(r.is_file for r in results)
    return PyType(tuple(members), nullable, files, results[0].sample, shape)


def _map_union(
    mapper: TypeMapper, node: Node, ctx: TypeContext, name_hint: str, stack: tuple[PathKey, ...]
) -> PyType:
    key = "anyOf" if "anyOf" in node.value else "oneOf"
    options = node.get(key)
    elements = options.elements() if options else []
    if not elements:
        raise mapper.spec.error(
            options or node, f"'{key}' must be a non-empty list", "list the alternatives"
        )
    members: list[str] = []
    nullable = False
    samples: list[tuple[int, Sample]] = []
    files: list[bool] = []
    shape = Shape()
    hints = member_hints(mapper.spec, elements, name_hint)
    for element, hint in zip(elements, hints, strict=True):
        if isinstance(element.value, dict) and element.value.get("type") == "null":
            nullable = True
            continue
        mapped = mapper.map(element, ctx, hint, stack)
        nullable = nullable or mapped.nullable
        shape = shape.union(mapped.shape)
        files.append(mapped.is_file)
        for member in mapped.members:
            if member not in members:
                members.append(member)
        # An enum's value says more than a free string: prefer it for samples.
        preference = 0 if mapped.members and mapped.members[0] != "str" else 1
        sample = tagged_sample(mapper.spec, node, element, mapped.sample, mapper.naming)
        samples.append((preference, sample))
    sample = min(samples, key=lambda item: item[0])[1] if samples else NONE
    return PyType(tuple(members), nullable, bool(files) and all(files), sample, shape)


def _object_class(
    mapper: TypeMapper, node: Node, ctx: TypeContext, class_name: str, stack: tuple[PathKey, ...]
) -> PyType:
    existing = ctx.classes.get(class_name)
    if existing is None:
        ctx.classes[class_name] = ("object", node)
    elif existing[1].path != node.path:
        raise mapper.spec.error(
            node,
            f"two different objects would both be named '{class_name}'",
            "give one of them a $ref to a schema with another name",
        )
    shape = object_shape(mapper.spec, node, request=True)
    entries: list[tuple[str, Sample]] = []
    for key, prop in shape.properties:
        if key in shape.required:
            try:
                sample = mapper.map(prop, TypeContext(), key, stack).sample
            except SpecError:
                # A required field that leads back to this object (a tree's nullable
                # parent) has no finite sample but None; a real error surfaces when the
                # field itself is mapped.
                sample = NONE
            # The caller writes the Python names; the request builder sends the wire ones.
            entries.append((python_literal(python_name(key, mapper.naming)), sample))
    keys = tuple(key for key, _ in entries)
    values = tuple(value for _, value in entries)
    sample = Sample("object", items=values, keys=keys)
    return PyType((class_name,), sample=sample, shape=Shape((class_name,)))


def _is_binary(value: dict[str, object]) -> bool:
    if value.get("format") == "binary" or value.get("contentEncoding") == "binary":
        return True
    media = value.get("contentMediaType")
    return isinstance(media, str) and media.startswith(_FILE_MEDIA_PREFIXES)
