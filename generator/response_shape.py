"""Stage 3, the response side: what a method returns, typed, read from its success response.

- JSON: an object schema or a union of them is a model (a component's own class, or for an
  inline schema a class named after where it stands, see `model_names`); an array is
  `List[...]` of its items; a map `Dict[str, ...]`; a string, integer, number or boolean
  the Python type; a schema that says nothing `object`; nullable adds `| None`.
- no content (204, or any 2xx without a body): `None`.
- `text/*`: `str`; any other media type (`image/*`, `application/octet-stream`, or one
  the generator knows nothing of, such as `application/sdp`): `BinaryResponse`, the body's
  bytes, which is never wrong about what came.
- only `text/event-stream`: the method always streams (`Shaped.type.kind == "stream"`;
  `build` makes the `Stream[Event]` annotation).

When JSON and binary are both offered, JSON is the default and the config's
`binary_responses:` picks the binary form for the methods it names. An event stream offered
beside another form, with no `stream` field to choose it, is left out: the method returns
the other form.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import layout
from .model import ResponseSchema, ResponseType
from .model_names import ModelNames
from .model_schemas import COMPONENT_PREFIX
from .naming import pascal_case, safe_module_name
from .resolve import Node, Spec
from .resource_config import ResourceConfig

EVENT_STREAM = "text/event-stream"
_BINARY_PREFIXES = ("image/", "audio/", "video/", "font/")
_BINARY_TYPES = frozenset(
    {
        "application/octet-stream",
        "application/zip",
        "application/pdf",
        "application/gzip",
        "application/x-tar",
    }
)
_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_MODEL_KINDS = ("object", "union")
_MAX_DEPTH = 32  # arrays of arrays of ...: deeper is a cycle


@dataclass(frozen=True)
class Shaped:
    """A response type and the models it is made of."""

    type: ResponseType
    models: tuple[ResponseSchema, ...] = ()


def is_json(media: str) -> bool:
    kind = media.split(";", 1)[0].strip().lower()
    return kind == "application/json" or kind.endswith("+json")


def answers_json(media: str, entry: Node) -> bool:
    """JSON media, or `*/*` with a schema that is not a string: what springdoc writes for
    every answer of a Java service, whose body is JSON (a string there is plain text)."""
    if is_json(media):
        return True
    schema = entry.get("schema") if isinstance(entry.value, dict) else None
    if media.split(";", 1)[0].strip() != "*/*" or schema is None:
        return False
    return isinstance(schema.value, dict) and schema.value.get("type") != "string"


def is_binary(media: str) -> bool:
    kind = media.split(";", 1)[0].strip().lower()
    return kind.startswith(_BINARY_PREFIXES) or kind in _BINARY_TYPES


def media_types(success: Node | None) -> dict[str, Node]:
    content = success.get("content") if success is not None else None
    if content is None or not isinstance(content.value, dict):
        return {}
    return {media: entry for media, entry in content.items() if isinstance(media, str)}


def method_response(
    spec: Spec, names: ModelNames, success: Node | None, base: str, binary: bool
) -> Shaped:
    """What the method answering with `success` returns; `base` names its inline schemas
    (`ImageGetResponse`), `binary` asks for the binary form when JSON is offered too."""
    base = _shared_name(success) or base
    media = media_types(success)
    json_media = [m for m in media if answers_json(m, media[m])]
    text_media = [m for m in media if m.lower().startswith("text/") and m != EVENT_STREAM]
    # What is neither JSON nor text is bytes: the known binary types first in `Accept`.
    others = [m for m in media if m not in json_media and m not in text_media and m != EVENT_STREAM]
    binary_media = sorted(others, key=lambda m: not is_binary(m))
    if json_media and not (binary and binary_media):
        schema = media[json_media[0]].get("schema")
        if schema is None:  # JSON, but the document does not say of what shape
            return Shaped(ResponseType("json", "object", "object"))
        return json_shape(spec, names, schema, base)
    if binary_media:
        binary_type = ResponseType(
            "binary",
            "BinaryResponse",
            "BinaryResponse",
            ((".._binary", "BinaryResponse"),),
            accept=", ".join(binary_media),
        )
        return Shaped(binary_type)
    if text_media:
        return Shaped(ResponseType("text", "str", "str", accept=", ".join(text_media)))
    if EVENT_STREAM in media:
        return Shaped(ResponseType("stream", "object", "object", accept=EVENT_STREAM))
    return Shaped(ResponseType("none", "None", "type(None)"))


def model_prefix(resources: Iterable[ResourceConfig], http_method: str, path: str) -> str:
    """What the inline response schemas of an operation are named after: the first method
    of the config that maps it (`<Singular><Method>`), so that methods mapping one operation
    share its models."""
    for resource in resources:
        for method in resource.methods:
            if (method.http_method, method.path) == (http_method, path):
                return pascal_case(f"{resource.singular}_{method.name}")
    return pascal_case(path)  # not reached: the method itself is in the config


def _shared_name(success: Node | None) -> str:
    """The base name of the inline schemas of a response under `components/responses`:
    every operation that refers to it shares them, so they are named after it
    (`ImageResult` -> `ImageResultResponse`, `200` -> `Response200`)."""
    path = success.path if success is not None else ()
    if len(path) != 3 or path[:2] != ("components", "responses"):
        return ""
    name = pascal_case(str(path[2]))
    if not name or name[0].isdigit():
        return f"Response{name}"
    return name if name.endswith("Response") else f"{name}Response"


def model_response(spec: Spec, names: ModelNames, schema: Node, base: str) -> ResponseSchema:
    """The model of a schema that must be one (a page's items, a job, a stream's events)."""
    shaped = json_shape(spec, names, schema, base)
    if shaped.type.kind != "json" or len(shaped.models) != 1:
        raise spec.error(
            schema,
            "this schema must be an object (or a union of objects)",
            "describe it with `properties:`, or `oneOf` of such schemas",
        )
    model = shaped.models[0]
    if shaped.type.annotation != model.name:
        raise spec.error(
            schema,
            f"this schema must be an object (or a union of objects), not {shaped.type.annotation}",
            "describe it with `properties:`, or `oneOf` of such schemas",
        )
    return model


def json_shape(spec: Spec, names: ModelNames, schema: Node, name: str, depth: int = 0) -> Shaped:
    """The type of a JSON body of `schema`; `name` is the class name its inline model takes."""
    target = spec.deref(schema)
    value = target.value
    if not isinstance(value, dict):
        raise spec.error(schema, "a response schema must be a mapping", "describe it as a schema")
    if depth > _MAX_DEPTH:
        raise spec.error(schema, "the response schema nests too deep", "name its parts")
    component = _component(target)
    shape = _kind(spec, target)
    nullable = _nullable(value)
    if shape == "nullable-one":  # `anyOf: [X, {type: 'null'}]`: X or None
        (only,) = _members(spec, target)
        inner = json_shape(spec, names, only, name, depth + 1)
        return _optional(inner)
    if shape in _MODEL_KINDS:
        if component is not None:
            cls = names.component(component)
            if not cls:
                raise spec.error(
                    target,
                    f"schema name '{component}' does not make a Python class name",
                    "rename the schema, e.g. to PascalCase",
                )
        else:
            cls = names.inline(name)
        model = ResponseSchema(cls, safe_module_name(cls), target.path)
        check = cls if shape == "object" else _union_check(spec, target)
        names_used = ((f"..{layout.types_module(model.module)}", cls),)
        result = Shaped(ResponseType("json", cls, check, names_used), (model,))
    elif shape == "union-plain":
        parts = [
            json_shape(spec, names, m, f"{name}{i}", depth + 1)
            for i, m in enumerate(_members(spec, target), start=1)
        ]
        annotation = " | ".join(dict.fromkeys(p.type.annotation for p in parts))
        used = tuple(n for p in parts for n in p.type.names)
        result = Shaped(ResponseType("json", annotation, "object", used))
    elif shape in ("array", "map"):
        key = "items" if shape == "array" else "additionalProperties"
        inner_schema = target.get(key)
        suffix = "Item" if shape == "array" else "Value"
        if inner_schema is None or not isinstance(inner_schema.value, dict):
            inner = Shaped(ResponseType("json", "object", "object"))
        else:
            inner = json_shape(spec, names, inner_schema, f"{name}{suffix}", depth + 1)
        # `List`, not `list`: a method of the resource class may be called `list`, and
        # would shadow the builtin in the annotations that follow it.
        outer, generic = ("list", "List") if shape == "array" else ("dict", "Dict")
        key_type = "" if shape == "array" else "str, "
        annotation = f"{generic}[{key_type}{inner.type.annotation}]"
        used = (("typing", generic), *inner.type.names)
        result = Shaped(ResponseType("json", annotation, outer, used), inner.models)
    elif shape == "null":
        return Shaped(ResponseType("json", "None", "type(None)"))
    else:
        python = _PRIMITIVES.get(shape, "object")
        result = Shaped(ResponseType("json", python, python))
    return _optional(result) if nullable else result


def _union_check(spec: Spec, union: Node) -> str:
    """What a union's value is an instance of: a model, when every member is one."""
    members = _members(spec, union)
    models = all(_kind(spec, spec.deref(m)) in _MODEL_KINDS for m in members)
    return "BaseModel" if models and not union.value.get("properties") else "object"


def _optional(shaped: Shaped) -> Shaped:
    kind = shaped.type
    if kind.annotation.endswith("| None") or kind.annotation == "None":
        return shaped
    check = kind.check if kind.check == "object" else f"({kind.check}, type(None))"
    return Shaped(
        ResponseType("json", f"{kind.annotation} | None", check, kind.names), shaped.models
    )


def _component(node: Node) -> str | None:
    path = node.path
    if len(path) == 3 and path[:2] == COMPONENT_PREFIX and isinstance(path[2], str):
        return path[2]
    return None


def _nullable(value: dict[str, object]) -> bool:
    kinds = value.get("type")
    return value.get("nullable") is True or (isinstance(kinds, list) and "null" in kinds)


def _is_null(spec: Spec, node: Node) -> bool:
    value = spec.deref(node).value
    return isinstance(value, dict) and (value.get("type") == "null" or value.get("enum") == [None])


def _members(spec: Spec, node: Node) -> list[Node]:
    union = node.get("oneOf") or node.get("anyOf")
    elements = union.elements() if union is not None else []
    return [e for e in elements if not _is_null(spec, e)]


def _kind(spec: Spec, node: Node, depth: int = 0) -> str:
    """'object', 'union' (of models: the model stage makes it), 'union-plain' (of plain
    types), 'nullable-one', 'array', 'map', 'null', a JSON Schema primitive, or 'any'."""
    value = node.value
    if not isinstance(value, dict):
        return "any"
    if "oneOf" in value or "anyOf" in value:
        members = _members(spec, node)
        if len(members) == 1 and not value.get("discriminator") and not value.get("properties"):
            return "nullable-one"
        if value.get("properties") or any(
            depth > _MAX_DEPTH or _kind(spec, spec.deref(m), depth + 1) in (*_MODEL_KINDS, "any")
            for m in members
        ):
            return "union"
        return "union-plain" if members else "any"
    all_of = node.get("allOf")
    if all_of is not None:
        parts = all_of.elements()
        if len(parts) == 1 and not value.get("properties"):
            return _kind(spec, spec.deref(parts[0]), depth + 1)
        return "object"
    if value.get("properties"):
        return "object"
    kinds = value.get("type")
    if isinstance(kinds, list):
        others = [k for k in kinds if k != "null"]
        kinds = others[0] if len(others) == 1 else ("any" if others else "null")
    if kinds == "array" or (kinds is None and "items" in value):
        return "array"
    if kinds == "object" or (kinds is None and "additionalProperties" in value):
        return "map"
    if isinstance(kinds, str) and (kinds in _PRIMITIVES or kinds == "null"):
        return kinds
    if kinds is None and isinstance(value.get("enum"), list):
        enum = [v for v in value["enum"] if v is not None]
        types = {type(v).__name__ for v in enum}
        return {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}.get(
            types.pop() if len(types) == 1 else "", "any"
        )
    return "any"
