"""The SDK's public surface as data: what a caller can name and pass, and what comes back.

Written beside the manifest as `.sdkforge-surface.json`, so that `sdkforge diff` can compare
the committed output with what the spec now produces without the spec the output was made
from. It is computed from the `Sdk` model (resources, methods, arguments, params TypedDicts,
aliases) and, for the response models that datamodel-code-generator writes, from the
component schemas they are made of. Descriptions are left out on purpose: they change no
caller's code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, Location, SpecError
from .model import Field, Method, Sdk
from .model_field_names import field_name
from .model_schemas import collect
from .object_shape import is_object_schema, object_shape
from .resolve import Node, Spec
from .typemap import python_literal

SURFACE = ".sdkforge-surface.json"
# Bumped when the layout of the file changes in a way older readers cannot follow.
FORMAT = 1
_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
# A response schema nested deeper than this is summed up as `object`: a cycle or a document
# no caller reads field by field.
_MAX_DEPTH = 16


def surface(sdk: Sdk, spec: Spec) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "package": sdk.package.name,
        "version": sdk.package.version,
        "client": {
            "sync": sdk.client.sync_name,
            "async": sdk.client.async_name,
            "api_key_env": sdk.client.api_key_env,
            "base_url_env": sdk.client.base_url_env,
            "default_base_url": sdk.client.default_base_url,
        },
        "resources": {
            resource.name: {"methods": {m.name: _method(m) for m in resource.methods}}
            for resource in sdk.resources
        },
        "params": {
            cls.name: {"module": module.path, "fields": _fields(cls.fields)}
            for module in sdk.type_modules
            for cls in module.classes
        },
        "aliases": {
            alias.name: alias.value for module in sdk.type_modules for alias in module.aliases
        },
        "models": _models(sdk, spec),
    }


def surface_text(sdk: Sdk, spec: Spec, header: str) -> str:
    """The file's text; its first line carries the header, as every generated file's does."""
    body = _dump({"generated": header, **surface(sdk, spec)}, "")
    return body.replace("{\n ", "{", 1) + "\n"


def _dump(value: object, indent: str) -> str:
    """JSON with one entry a line, and a mapping of plain values (a field) on one line: a
    reviewer reads the file's diff field by field."""
    if (
        not isinstance(value, dict)
        or not value
        or all(not isinstance(v, (dict, list)) for v in value.values())
    ):
        return json.dumps(value, ensure_ascii=False)
    inner = indent + " "
    entries = [
        f"{inner}{json.dumps(k, ensure_ascii=False)}: {_dump(v, inner)}" for k, v in value.items()
    ]
    return "{\n" + ",\n".join(entries) + f"\n{indent}}}"


def _method(method: Method) -> dict[str, Any]:
    implementation = method.signatures[-1]
    return {
        "route": f"{method.http_method.lower()} {method.path}",
        "arguments": _fields(method.fields),
        "returns": implementation.returns,
        "streams": method.stream.event_type if method.stream else None,
    }


def _fields(fields: tuple[Field, ...]) -> dict[str, Any]:
    return {
        f.name: {"type": f.type, "required": f.required, "wire": f.wire_name, "in": f.location}
        for f in fields
    }


def _models(sdk: Sdk, spec: Spec) -> dict[str, Any]:
    """Each response model class with its fields: the component schemas the response and
    event schemas are made of (those that are objects)."""
    models: dict[str, Any] = {}
    for component in collect(spec, sdk, {}):
        fields = _model_fields(spec, component.node, "", 0, sdk.naming)
        if not fields and not is_object_schema(component.node.value):
            models[component.name] = {"type": _type(spec, component.node, 0), "fields": {}}
        else:
            models[component.name] = {"fields": fields}
    return dict(sorted(models.items()))


def _model_fields(spec: Spec, node: Node, prefix: str, depth: int, naming: str) -> dict[str, Any]:
    """The fields of an object schema by their Python names (with the wire name where it
    differs); those of an object written inline (a nested model class, or the items of a
    list of them) follow as `parent.field` / `parent[].field`."""
    try:
        shape = object_shape(spec, node)
    except SpecError:
        # `allOf` of parts that are not all objects: datamodel-code-generator makes what it
        # can of it; the surface records the field's type only.
        return {}
    fields: dict[str, Any] = {}
    for wire_name, child in shape.properties:
        name = field_name(wire_name, naming) or wire_name
        entry = {"type": _type(spec, child, 0), "required": wire_name in shape.required}
        fields[prefix + name] = entry if name == wire_name else {**entry, "wire": wire_name}
        inline, suffix = child, "."
        items = child.get("items")
        if isinstance(child.value, dict) and child.value.get("type") == "array" and items:
            inline, suffix = items, "[]."
        if depth < _MAX_DEPTH and is_object_schema(inline.value):
            inner = f"{prefix}{name}{suffix}"
            fields.update(_model_fields(spec, inline, inner, depth + 1, naming))
    return fields


def _type(spec: Spec, node: Node, depth: int) -> str:
    """A response field's type, spelled as the models' annotations are (`Optional[...]`,
    `Literal[...]`, `List[...]`), so that the comparison reads one notation on both sides."""
    value = node.value
    if not isinstance(value, dict) or depth > _MAX_DEPTH:
        return "object"
    ref = spec.ref_name(node)
    if ref is not None:
        return ref
    nullable = value.get("nullable") is True
    parts = node.get("allOf")
    if parts is not None and len(parts.elements()) == 1 and not value.get("properties"):
        # `allOf: [$ref]`, the usual way to give a referenced schema a description.
        inner = _type(spec, parts.elements()[0], depth + 1)
        return f"Optional[{inner}]" if nullable and not inner.startswith("Optional[") else inner
    members: list[str] = []
    if isinstance(value.get("enum"), list):
        values = [v for v in value["enum"] if v is not None]
        nullable = nullable or None in value["enum"]
        members.append(f"Literal[{', '.join(python_literal(v) for v in values)}]")
    elif "const" in value:
        members.append(f"Literal[{python_literal(value['const'])}]")
    else:
        for key in ("anyOf", "oneOf"):
            alternatives = node.get(key)
            for child in alternatives.elements() if alternatives else []:
                if isinstance(child.value, dict) and child.value.get("type") == "null":
                    nullable = True
                else:
                    members.append(_type(spec, child, depth + 1))
        kinds = value.get("type")
        for kind in kinds if isinstance(kinds, list) else [kinds] if kinds else []:
            if kind == "null":
                nullable = True
            elif kind == "array":
                items = node.get("items")
                members.append(f"List[{_type(spec, items, depth + 1) if items else 'object'}]")
            elif kind in _SCALARS:
                members.append(_SCALARS[kind])
            elif kind == "object":
                members.append("object")
    text = members[0] if len(members) == 1 else f"Union[{', '.join(members or ['object'])}]"
    return f"Optional[{text}]" if nullable else text


def read_surface(out: Path) -> dict[str, Any]:
    """The surface recorded in an output directory; a located error when there is none or it
    cannot be read."""
    path = out / SURFACE
    where = Location(str(path), 1, 1)
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        raise SpecError(
            [
                Diagnostic(
                    where,
                    f"{out} holds no record of its SDK surface (an output of an older sdkforge, "
                    "or not an sdkforge output)",
                    "run `sdkforge generate` from the spec it was made from, commit that, and "
                    "diff later spec changes against it",
                )
            ]
        ) from None
    try:
        data = json.loads(text)
    except ValueError as error:
        line, column = getattr(error, "lineno", 1), getattr(error, "colno", 1)
        raise SpecError(
            [
                Diagnostic(
                    Location(str(path), line, column),
                    "the surface record is not valid JSON",
                    "regenerate the output; the file is written by sdkforge, not by hand",
                )
            ]
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SpecError(
            [
                Diagnostic(
                    where,
                    f"the surface record is not in format {FORMAT}",
                    "regenerate the output with this sdkforge",
                )
            ]
        )
    return data
