"""A method's fields: its path, query and header parameters and its body, each a `Field`.

A body with properties gives one field a property; a union body gives each variant its own
fields and the method the merged set (see `request_body`); any other body is one `body`
field. Every problem found is raised together.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from . import docstrings
from .diagnostics import Reporter, SpecError
from .fixed_params import fixed_value
from .model import Field
from .naming import clash_hint, python_name
from .object_shape import ObjectShape
from .operations import Operation, parameter_schema
from .request_body import WHOLE_BODY, BodyShape, body_shape
from .resolve import Node, Spec
from .samples import FILE, Sample, code, typed_file
from .type_modules import check_required, declaring_wire_name, description
from .typemap import (
    RUNTIME_TYPES,
    TYPING,
    TYPING_EXTENSIONS,
    TypeContext,
    TypeMapper,
    python_literal,
)

STREAM_FIELD = "stream"
# The trailing arguments of every method, and `cast`, which its body calls.
METHOD_OWN_ARGUMENTS = frozenset({"extra_headers", "extra_query", "extra_body", "timeout", "cast"})

# (wire name, schema, required, location, the node whose description documents it)
Entry = tuple[str, Node, bool, str, Node]


@dataclass(frozen=True)
class VariantFields:
    """One alternative of a union body: its params class and the fields it takes."""

    class_name: str
    fields: tuple[Field, ...]  # the parameters and this variant's body fields
    discriminated: bool


@dataclass(frozen=True)
class MethodFields:
    fields: list[Field]  # in signature order, `stream` apart when it picks the return type
    stream_field: Field | None
    types: TypeContext
    variants: tuple[VariantFields, ...] = ()
    whole_body: bool = False  # the body is the one `body` field

    @property
    def overloaded(self) -> bool:
        """Whether the method has an overload a variant: a type checker can tell them apart
        when a tag does, or when each variant requires a field that no other one takes (no
        call fits two of them, and none is hidden behind another)."""
        if not self.variants or any(v.discriminated for v in self.variants):
            return bool(self.variants)
        takes = [{f.name for f in v.fields} for v in self.variants]
        requires = [{f.name for f in v.fields if f.required} for v in self.variants]
        return all(
            not requires[j] <= takes[i]
            for i in range(len(takes))
            for j in range(len(takes))
            if i != j
        )


def method_fields(
    spec: Spec, mapper: TypeMapper, op: Operation, prefix: str, body_names: set[str]
) -> MethodFields:
    """The method's fields and what their types need; raises with every problem found.
    `body_names`: names the method body imports, which no argument may take."""
    mapping = _Mapping(spec, mapper, op, METHOD_OWN_ARGUMENTS | body_names)
    params = mapping.fields(_parameter_entries(spec, op), prefix)
    # Its problems are reported with those of the parameters.
    shape = mapping.report.collect(lambda: _shape(spec, op), BodyShape("fields"))
    if shape.kind == "union":
        result = mapping.union(params, shape, prefix)
    elif shape.kind == "whole":
        assert op.body_schema is not None
        result = mapping.whole(params, op.body_schema, prefix)
    else:
        body = mapping.fields(_body_entries(spec, mapping.report, shape.shape), prefix, params)
        result = mapping.plain([*params, *body])
    mapping.report.raise_if_any()
    return result


# A `stream` field of these types picks the return type (a nullable one too).
_BOOL = ("bool", "Optional[bool]")


def _shape(spec: Spec, op: Operation) -> BodyShape:
    if op.body_schema is None:
        return BodyShape("fields")
    if op.body_kind in ("binary", "text"):
        return BodyShape("whole")  # bytes or text, whatever the schema says of them
    shape = body_shape(spec, op.body_schema)
    if shape.kind == "whole" and op.body_kind in ("multipart", "form"):
        raise spec.error(
            op.body_schema,
            "a form body must be an object with properties",
            "describe each form field under `properties:` (or merge objects with allOf)",
        )
    return shape


def _parameter_entries(spec: Spec, op: Operation) -> list[Entry]:
    entries: list[Entry] = []
    for parameter in op.parameters:
        if fixed_value(spec, parameter) is not None:
            continue  # sent by the client itself, see `Method.fixed`
        place = parameter.value["in"]
        schema = parameter_schema(parameter)
        assert schema is not None
        required = place == "path" or parameter.value.get("required") is True
        entries.append((parameter.value["name"], schema, required, place, parameter))
    return entries


def _body_entries(spec: Spec, report: Reporter, shape: ObjectShape | None) -> list[Entry]:
    if shape is None:
        return []
    check_required(spec, report, shape.node)
    return [(key, prop, key in shape.required, "body", prop) for key, prop in shape.properties]


class _Mapping:
    """Maps entries to fields; `report` collects the problems of all of them."""

    def __init__(
        self, spec: Spec, mapper: TypeMapper, op: Operation, reserved: frozenset[str] | set[str]
    ) -> None:
        self.spec = spec
        self.mapper = mapper
        self.op = op
        self.reserved = reserved
        self.report = Reporter()
        self.types = TypeContext()

    def fields(
        self, entries: list[Entry], hint: str, taken: list[Field] | None = None
    ) -> list[Field]:
        """`taken`: fields whose names these may not take (the parameters, for the body)."""
        seen = {f.name: f.wire_name for f in taken or []}
        result = []
        for entry in entries:
            field = self._field(entry, hint, seen)
            if field is not None:
                result.append(field)
        return result

    def plain(self, fields: list[Field]) -> MethodFields:
        stream_field = None
        for field in fields:
            if field.location == "body" and field.wire_name == STREAM_FIELD and field.type in _BOOL:
                stream_field = field
        others = [f for f in fields if f is not stream_field]
        if stream_field is not None and self.op.event_schema is None:
            others.append(stream_field)
            stream_field = None
        return MethodFields(_ordered(others), stream_field, self.types)

    def whole(self, params: list[Field], schema: Node, prefix: str) -> MethodFields:
        """The body as one `body` argument."""
        field: Field | None
        if self.op.body_kind in ("binary", "text"):
            binary = self.op.body_kind == "binary"
            if binary:
                self.types.need(RUNTIME_TYPES, "FileTypes")
            text = description(self.spec, schema)
            field = Field(
                WHOLE_BODY,
                WHOLE_BODY,
                "FileTypes" if binary else "str",
                True,
                docstrings.field_docstring(text),
                text,
                binary,
                _upload_sample(self.op.body_media) if binary else code("'text'"),
            )
        else:
            field = self._field((WHOLE_BODY, schema, True, "body", schema), prefix, {})
        if field is not None and any(f.name == field.name for f in params):
            self.report.error(
                self.spec.locate(schema),
                f"a parameter is called '{WHOLE_BODY}', the argument that takes the body",
                "rename the parameter",
            )
        return MethodFields(
            _ordered([*params, *([field] if field else [])]), None, self.types, whole_body=True
        )

    def union(self, params: list[Field], shape: BodyShape, prefix: str) -> MethodFields:
        variants: list[VariantFields] = []
        for variant in shape.variants:
            hint = f"{prefix}_{variant.suffix}"
            body = self.fields(_body_entries(self.spec, self.report, variant.shape), hint, params)
            if shape.discriminated:
                body = self._tagged(body, shape.tag_name, variant.tag)
            name = f"{prefix}Params{variant.suffix}"
            variants.append(
                VariantFields(name, tuple(_ordered([*params, *body])), shape.discriminated)
            )
        if self.op.event_schema is not None:
            self.report.error(
                self.spec.locate(self.op.event_schema),
                "an operation whose body is a union cannot stream",
                "describe the body as one object",
            )
        merged = _merged(params, variants, self.types)
        return MethodFields(merged, None, self.types, variants=tuple(variants))

    def _tagged(self, body: list[Field], tag_name: str, values: tuple[object, ...]) -> list[Field]:
        """`body` with the tag a required `Literal` of the variant's values; added when the
        variant does not list it (the discriminator names it for all of them)."""
        self.types.need(TYPING_EXTENSIONS, "Literal")
        sample = code(python_literal(values[0]))
        tag = Field(
            python_name(tag_name, self.mapper.naming), tag_name, "", True, "", "", False, sample
        )
        given = next((f for f in body if f.wire_name == tag_name), tag)
        others = [f for f in body if f is not given]
        return [*others, replace(given, type=_tag_literal(values), required=True, sample=sample)]

    def _field(self, entry: Entry, hint: str, seen: dict[str, str]) -> Field | None:
        spec, op = self.spec, self.op
        wire_name, prop, is_required, location, documented = entry
        name = python_name(wire_name, self.mapper.naming)
        if not name:
            self.report.error(
                spec.locate(prop),
                f"field '{wire_name}' has no usable Python name",
                "rename the field",
            )
            return None
        if name in self.reserved:
            name = f"{name}_"
        # Checked after every renaming, so that `timeout` and `timeout_` cannot both become
        # the argument `timeout_`.
        if name in seen:
            self.report.error(
                spec.locate(prop),
                f"fields '{seen[name]}' and '{wire_name}' both become '{name}' in Python",
                clash_hint(seen[name], wire_name, self.mapper.naming),
            )
            return None
        seen[name] = wire_name
        try:
            mapped = self.mapper.map(prop, self.types, f"{hint}_{wire_name}")
        except SpecError as error:
            self.report.absorb(error)
            return None
        if mapped.is_file and (location != "body" or op.body_kind != "multipart"):
            body = "a JSON body" if op.body_kind == "json" else "a form-urlencoded body"
            where = body if location == "body" else f"a {location} parameter"
            self.report.error(
                spec.locate(prop),
                f"file field '{wire_name}' in {where}",
                "send files with multipart/form-data",
            )
            return None
        text = description(spec, documented) or description(spec, prop)
        return Field(
            name=name,
            wire_name=wire_name,
            type=mapped.render(),
            required=is_required,
            docstring=docstrings.field_docstring(declaring_wire_name(text, name, wire_name)),
            doc_text=text,
            is_file=mapped.is_file,
            sample=mapped.sample,
            location=location,
            shape=mapped.shape,
        )


def _upload_sample(media: str) -> Sample:
    # For a wildcard (`image/*`) the runtime sends the file's own type; the mock server the
    # generated tests run against takes only the literal wildcard, so they name it.
    return typed_file(media) if "*" in media else FILE


def _ordered(fields: list[Field]) -> list[Field]:
    return sorted(fields, key=lambda f: (not f.required, f.name))


def _tag_literal(values: tuple[object, ...]) -> str:
    return "Literal[" + ", ".join(python_literal(v) for v in values) + "]"


def _merged(params: list[Field], variants: list[VariantFields], types: TypeContext) -> list[Field]:
    """The fields of the method behind the variants: each name once, of the union of its
    types, required only when every variant requires it."""
    by_name: dict[str, list[Field]] = {}
    for variant in variants:
        for field in variant.fields:
            by_name.setdefault(field.name, []).append(field)
    merged = []
    for fields in by_name.values():
        first = fields[0]
        annotations = list(dict.fromkeys(f.type for f in fields))
        required = len(fields) == len(variants) and all(f.required for f in fields)
        if first in params:
            merged.append(first)
            continue
        merged.append(replace(first, type=_union(annotations, types), required=required))
    return _ordered(merged)


def _union(annotations: list[str], types: TypeContext) -> str:
    if len(annotations) == 1:
        return annotations[0]
    if all(a.startswith("Literal[") and a.endswith("]") for a in annotations):
        # One Literal of every value reads better than a Union of Literals.
        return "Literal[" + ", ".join(a[len("Literal[") : -1] for a in annotations) + "]"
    types.need(TYPING, "Union")
    return f"Union[{', '.join(annotations)}]"
