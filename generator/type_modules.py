"""The params and alias modules under `types/`: TypedDicts and aliases made from the spec's
schemas, with the nested classes their fields need."""

from __future__ import annotations

import keyword
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from . import docstrings, layout, wire_keys
from .config import MethodConfig
from .diagnostics import Reporter, SpecError
from .model import Field, Module, TypeAlias, TypedDictClass
from .naming import clash_hint, is_identifier, python_name
from .object_shape import object_shape
from .resolve import Node, Spec
from .shape import KeyMap
from .typemap import TYPING, TYPING_EXTENSIONS, PyType, TypeContext, TypeMapper

if TYPE_CHECKING:
    from .method_fields import VariantFields


def params_module(
    spec: Spec,
    mapper: TypeMapper,
    path: str,
    prefix: str,
    fields: list[Field],
    stream_field: Field | None,
    ctx: TypeContext,
    config: MethodConfig,
    variants: Sequence[VariantFields] = (),
) -> Module:
    """The module of a method's params TypedDicts (three and an alias when it streams, one
    a variant and their union when the body is a union), with the nested classes its fields
    need; raises with every problem found."""
    own = {
        f"{prefix}Params",
        f"{prefix}ParamsBase",
        f"{prefix}ParamsNonStreaming",
        f"{prefix}ParamsStreaming",
        *(v.class_name for v in variants),
    }
    ctx.need(TYPING_EXTENSIONS, "TypedDict")
    every = [f for v in variants for f in v.fields] or fields
    if any(f.required for f in every) or stream_field is not None:
        ctx.need(TYPING_EXTENSIONS, "Required")
    classes: list[TypedDictClass] = []
    aliases: list[TypeAlias] = []
    if variants:
        ctx.need(TYPING, "Union")
        for variant in variants:
            classes.append(
                TypedDictClass(variant.class_name, "TypedDict, total=False", "", variant.fields)
            )
        names = [v.class_name for v in variants]
        aliases.append(TypeAlias(f"{prefix}Params", f"Union[{', '.join(names)}]"))
        exports = [*names, f"{prefix}Params"]
    elif stream_field is None:
        classes.append(
            TypedDictClass(f"{prefix}Params", "TypedDict, total=False", "", tuple(fields))
        )
        exports = [f"{prefix}Params"]
    else:
        ctx.need(TYPING_EXTENSIONS, "Literal")
        ctx.need(TYPING, "Optional")
        ctx.need(TYPING, "Union")
        base = f"{prefix}ParamsBase"
        non_streaming = _replace(stream_field, type="Optional[Literal[False]]", required=False)
        streaming = _replace(stream_field, type="Literal[True]", required=True)
        classes.append(TypedDictClass(base, "TypedDict, total=False", "", tuple(fields)))
        classes.append(
            TypedDictClass(
                f"{prefix}ParamsNonStreaming", f"{base}, total=False", "", (non_streaming,)
            )
        )
        classes.append(TypedDictClass(f"{prefix}ParamsStreaming", base, "", (streaming,)))
        aliases.append(
            TypeAlias(
                f"{prefix}Params", f"Union[{prefix}ParamsNonStreaming, {prefix}ParamsStreaming]"
            )
        )
        exports = [
            base,
            f"{prefix}ParamsNonStreaming",
            f"{prefix}ParamsStreaming",
            f"{prefix}Params",
        ]
    nested = _nested_classes(spec, mapper, ctx)
    for cls in nested:
        if cls.name in own:
            raise spec.error(
                ctx.classes[cls.name][1],
                f"schema class '{cls.name}' has the name of the params class of '{config.name}'",
                "rename the schema",
            )
    nodes = {name: node for name, (_, node) in ctx.classes.items()}
    maps = wire_keys.key_maps(spec, nested, nodes, fields)
    _need_wire_names(ctx, (*classes, *nested), maps)
    return Module(
        path=path,
        imports=layout.used_imports(ctx.imports, (*classes, *nested), aliases, maps),
        classes=(*classes, *nested),
        aliases=tuple(aliases),
        exports=tuple(exports + [c.name for c in nested]),
        reexports=tuple(exports),
        key_maps=maps,
        import_candidates=tuple(sorted(ctx.imports)),
    )


def _need_wire_names(
    ctx: TypeContext, classes: tuple[TypedDictClass, ...], maps: tuple[KeyMap, ...]
) -> None:
    """What the `Annotated[..., Alias(...)]` annotations and the key maps import; only those
    a module uses are written (`layout.used_imports`)."""
    if maps or any(f.name != f.wire_name for c in classes for f in c.fields):
        ctx.need(TYPING_EXTENSIONS, "Annotated")
        ctx.need(wire_keys.WIRE_MODULE, "Alias")
        ctx.need(wire_keys.WIRE_MODULE, "WireKeys")


def alias_module(spec: Spec, mapper: TypeMapper, path: str, name: str, target: Node) -> Module:
    """The module of an alias the config lists (`ImageModel: TypeAlias = ...`)."""
    ctx = TypeContext()
    mapped = mapper.map(target, ctx, name)
    plain = PyType(mapped.members, False).render() if mapped.members else "object"
    ctx.need(TYPING_EXTENSIONS, "TypeAlias")
    classes = tuple(_nested_classes(spec, mapper, ctx))
    aliases = (TypeAlias(name, plain, annotated=True),)
    return Module(
        path=path,
        imports=layout.used_imports(ctx.imports, classes, aliases),
        classes=classes,
        aliases=aliases,
        exports=(name,),
        reexports=(name,),
    )


def _nested_classes(spec: Spec, mapper: TypeMapper, ctx: TypeContext) -> list[TypedDictClass]:
    done: set[str] = set()
    classes: list[TypedDictClass] = []
    report = Reporter()
    # Mapping a class's fields may discover further classes: loop until none is new.
    while len(done) < len(ctx.classes):
        for name, (_, node) in sorted(ctx.classes.items()):
            if name in done:
                continue
            done.add(name)
            classes.append(_typed_dict(spec, mapper, report, name, node, ctx))
    report.raise_if_any()
    return sorted(classes, key=lambda c: c.name)


def _typed_dict(
    spec: Spec, mapper: TypeMapper, report: Reporter, name: str, node: Node, ctx: TypeContext
) -> TypedDictClass:
    """A nested object: its keys are Python names, each declaring its wire name where the two
    differ (the params module's key maps then rename them when a request is sent)."""
    check_required(spec, report, node)
    try:
        shape = object_shape(spec, node, request=True)
    except SpecError as error:
        report.absorb(error)
        return TypedDictClass(name, "TypedDict, total=False", "", ())
    required = shape.required
    fields = []
    keys = {wire_name: python_name(wire_name, mapper.naming) for wire_name, _ in shape.properties}
    # A class-syntax key must be an identifier Python keeps as it is (`__id` would be
    # mangled): else the functional syntax, keys as the wire names them, none renamed.
    functional = not all(key and _class_syntax_key(key) for key in keys.values())
    seen: dict[str, str] = {}
    for wire_name, prop in shape.properties:
        key = wire_name if functional else keys[wire_name]
        if key in seen:
            report.error(
                spec.locate(prop),
                f"properties '{seen[key]}' and '{wire_name}' of nested object '{name}' "
                f"both become '{key}' in Python",
                clash_hint(seen[key], wire_name, mapper.naming),
            )
            continue
        seen[key] = wire_name
        try:
            mapped = mapper.map(prop, ctx, f"{name}_{wire_name}")
        except SpecError as error:
            report.absorb(error)
            continue
        text = description(spec, prop)
        fields.append(
            Field(
                key,
                wire_name,
                mapped.render(),
                wire_name in required,
                docstrings.field_docstring(declaring_wire_name(text, key, wire_name)),
                text,
                mapped.is_file,
                mapped.sample,
                shape=mapped.shape,
            )
        )
    if any(f.required for f in fields):
        ctx.need(TYPING_EXTENSIONS, "Required")
    fields.sort(key=lambda f: (not f.required, f.name))
    doc = docstrings.field_docstring(description(spec, node))
    return TypedDictClass(name, "TypedDict, total=False", doc, tuple(fields), functional)


def _class_syntax_key(key: str) -> bool:
    return is_identifier(key) and not keyword.iskeyword(key) and not key.startswith("__")


def check_required(spec: Spec, report: Reporter, schema: Node) -> None:
    """Report a `required` that is not a list of property names."""
    required = schema.get("required")
    if required is None:
        return
    if not isinstance(required.value, list) or not all(
        isinstance(name, str) for name in required.value
    ):
        report.error(
            spec.locate(required),
            "'required' must be a list of property names",
            "write e.g. `required: [prompt]`",
        )


def description(spec: Spec, node: Node) -> str:
    """The node's description, else its target's, else its first alternative's."""
    seen = 0
    while seen < 16:
        seen += 1
        value = node.value
        if not isinstance(value, dict):
            return ""
        text = value.get("description")
        if isinstance(text, str) and text.strip():
            return text.strip()
        if "$ref" in value:
            node = spec.deref(node)
            continue
        options = node.get("anyOf") or node.get("oneOf") or node.get("allOf")
        if options is None:
            return ""
        for option in options.elements():
            found = description(spec, option)
            if found:
                return found
        return ""
    return ""


def declaring_wire_name(text: str, name: str, wire_name: str) -> str:
    """The field's description, saying what it is called on the wire when Python calls it
    something else (`from_` is sent as `from`): the params TypedDict is where users look."""
    if name == wire_name:
        return text
    note = f"Sent as `{wire_name}`."
    return f"{text}\n\n{note}" if text else note


def _replace(field: Field, *, type: str, required: bool) -> Field:
    return replace(field, type=type, required=required)
