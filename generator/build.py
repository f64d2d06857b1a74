"""Stage 3: build each configured method on its own, as a value.

`build_method` returns the method's parts (`MethodParts`: the `Method`, its params module,
the output paths it claims, the response and event schemas it needs, the aliases it refers
to) or, when the spec does not let it be built, a `MethodSkip` with every located reason.
Nothing is shared between methods while they are built: `merge` puts the parts together and
reports what clashes between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from . import docstrings, jobs, layout, pages, wire_keys
from .auth import Auth, read_auth
from .config import MethodConfig, ResourceConfig, SdkConfig
from .diagnostics import Diagnostic, Reporter, SpecError
from .fixed_params import fixed_value, query_styles
from .load import PathKey
from .method_fields import method_fields
from .model import AndWait, Field, Method, Module, Paging, ResponseSchema, Signature, Stream, Wait
from .model_field_names import check_field_names
from .model_names import ModelNames, model_names
from .model_schemas import check_schemas
from .naming import pascal_case, safe_module_name
from .operations import Operation, json_encoded, read_operation
from .resolve import Node, Spec
from .response_shape import method_response, model_prefix, model_response
from .signatures import method_signatures, variant_signatures
from .type_modules import params_module
from .typemap import TypeMapper


@dataclass(frozen=True)
class Claim:
    """An output path (relative to the package) that one owner is written to."""

    path: str
    owner: str
    where: PathKey  # in the config: where a clash is reported


@dataclass(frozen=True)
class MethodParts:
    resource: str
    method: Method
    params: Module
    claims: tuple[Claim, ...]
    responses: tuple[ResponseSchema, ...]
    events: tuple[ResponseSchema, ...]
    alias_targets: tuple[tuple[str, Node], ...]  # aliases its types refer to, by name
    annotation_names: tuple[tuple[str, str], ...]  # (module, name) its signatures use
    notes: tuple[Diagnostic, ...] = ()  # suggestions, not errors (a list that looks paged)

    @property
    def qualified(self) -> str:
        return f"{self.resource}.{self.method.name}"


@dataclass(frozen=True)
class MethodSkip:
    """A method the spec does not let us build, with the reasons."""

    qualified: str
    reasons: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Context:
    """What every method is built from; none of it changes while methods are built."""

    spec: Spec
    config: SdkConfig
    mapper: TypeMapper
    auth: Auth
    names: ModelNames  # the response models' class names, decided for the whole SDK


def context(spec: Spec, config: SdkConfig) -> Context:
    mapper = TypeMapper(spec, frozenset(config.aliases), safe_module_name, config.naming)
    names = model_names(spec, config.resources)
    return Context(spec, config, mapper, read_auth(spec, config), names)


def build_method(
    ctx: Context, resource: ResourceConfig, config: MethodConfig
) -> MethodParts | MethodSkip:
    report = Reporter()
    parts = None
    try:
        parts = _parts(ctx, resource, config, report)
    except SpecError as error:
        report.absorb(error)
    if report.diagnostics or parts is None:
        # One problem may be met twice, e.g. through two fields that use the same schema.
        reasons = tuple(dict.fromkeys(report.diagnostics))
        return MethodSkip(f"{resource.name}.{config.name}", reasons)
    return parts


def _parts(
    ctx: Context, resource: ResourceConfig, config: MethodConfig, report: Reporter
) -> MethodParts | None:
    spec = ctx.spec
    qualified = f"{resource.name}.{config.name}"
    prefer = qualified in ctx.config.multipart.methods
    op = read_operation(spec, ctx.config.document, config, prefer)
    # Two response fields with one Python name: found here, they are reported with this
    # method's other errors (or skip just it).
    answers = [schema for schema in (op.response_schema, op.event_schema) if schema is not None]
    check_field_names(spec, answers, ctx.config.naming)
    prefix = pascal_case(f"{resource.singular}_{config.name}")
    named = model_prefix(ctx.config.resources, config.http_method, config.path)
    binary = qualified in ctx.config.binary_responses
    shaped = report.collect(
        lambda: method_response(spec, ctx.names, op.success, f"{named}Response", binary), None
    )
    if binary and shaped is not None and shaped.type.kind != "binary":
        report.error(
            ctx.config.document.locate(config.where),
            f"binary_responses names {qualified}, whose operation offers no binary response",
            "remove it from binary_responses",
        )
    only_events = shaped is not None and shaped.type.kind == "stream"
    event_schema = op.event_schema
    if only_events and event_schema is None:
        raise spec.error(
            op.success or op.node, "the event stream has no schema", "give it a `schema:`"
        )
    event = None
    if event_schema is not None:
        event = report.collect(
            lambda: model_response(spec, ctx.names, event_schema, f"{named}StreamEvent"), None
        )
    # The method body imports these names locally: an argument of the same name would be
    # overwritten by the import.
    body_names = {n for _, n in shaped.type.names} if shaped else set()
    body_names |= {event.name} if event else set()
    fields = report.collect(lambda: method_fields(spec, ctx.mapper, op, prefix, body_names), None)
    if fields is not None and fields.stream_field is None and not only_events:
        # An event stream beside another answer, with no `stream` flag to choose it: the
        # method returns the other answer (README, "Streaming").
        event = None
    # The response-model stage would find these only after the build, for the whole SDK at
    # once; found here, they are reported with this method's other errors (or skip just it).
    roots = [*(shaped.models if shaped else ()), *((event,) if event else ())]
    report.collect(lambda: check_schemas(spec, roots, ctx.names), None)
    stream = Stream(event.name, layout.types_module(event.module), only_events) if event else None
    no_security: tuple[tuple[str, ...] | None] = (None,)
    security = report.collect(lambda: (ctx.auth.operation_security(spec, op.node),), no_security)[0]
    if report.diagnostics or shaped is None or fields is None:
        return None
    response = shaped.type
    plain, stream_field, types = fields.fields, fields.stream_field, fields.types
    if stream is None or stream.always:
        stream_field = None
    path = layout.params_path(safe_module_name(f"{resource.singular}_{config.name}_params"))
    module = params_module(
        spec, ctx.mapper, path, prefix, plain, stream_field, types, config, fields.variants
    )
    plain = wire_keys.with_wire_keys(plain, module.key_maps)
    signature_fields = _signature_order(plain, stream_field)
    signatures, async_signatures = method_signatures(
        signature_fields, stream_field, response.annotation, stream.event_type if stream else None
    )
    if fields.overloaded:
        signatures = async_signatures = variant_signatures(
            [v.fields for v in fields.variants], signatures[0]
        )
    qualified = f"{resource.name}.{config.name}"
    flows = _flows(ctx, op, qualified, named, signature_fields, signatures)
    paging, wait, and_wait, extra = flows
    if paging is not None:
        signatures = pages.paged_signatures(signatures, "SyncPage", paging.item_type)
        async_signatures = pages.paged_signatures(
            async_signatures, "AsyncPageRequest", paging.item_type
        )
    method = Method(
        name=config.name,
        http_method=config.http_method,
        path=config.path,
        docstring=_method_docstring(op, signature_fields),
        body_kind=op.body_kind,
        body_media=op.body_media,
        whole_body=fields.whole_body,
        fields=signature_fields,
        response=response,
        sample_fields=fields.variants[0].fields if fields.variants else (),
        stream=stream,
        signatures=signatures,
        async_signatures=async_signatures,
        params_module=module.dotted,
        body_imports=layout.method_body_imports(
            response,
            event,
            *extra[: paging is not None],
            also=wire_keys.body_names(plain, module.key_maps, module.dotted),
        ),
        paging=paging,
        wait=wait,
        and_wait=and_wait,
        fixed=tuple(f for p in op.parameters if (f := fixed_value(spec, p)) is not None),
        form_array_suffix=ctx.config.multipart.array_suffix,
        part_types=_part_types(op, signature_fields),
        query_styles=query_styles(op.parameters),
        security=security,
        optional_body=_optional_body(op, fields.whole_body, signature_fields),
        json_params=tuple(p.value["name"] for p in op.parameters if json_encoded(p)),
    )
    models = [*shaped.models, *((event,) if event else ()), *extra]
    claims = [Claim(layout.type_path(r.module), r.name, ()) for r in models]
    return MethodParts(
        resource=resource.name,
        method=method,
        params=module,
        claims=(*claims, Claim(path, f"{prefix}Params", config.where)),
        responses=(*shaped.models, *extra),
        events=(event,) if event else (),
        alias_targets=tuple(types.alias_refs.items()),
        annotation_names=(
            *layout.annotation_names(types, module),
            *((f"..{layout.types_module(r.module)}", r.name) for r in extra),
        ),
        notes=tuple(
            n
            for n in [pages.unconfigured_hint(spec, op.parameters, op.response_schema, qualified)]
            if n is not None and paging is None
        ),
    )


def _flows(
    ctx: Context,
    op: Operation,
    qualified: str,
    prefix: str,
    fields: tuple[Field, ...],
    submit: tuple[Signature, ...],  # the method's: its overloads, then the implementation
) -> tuple[Paging | None, Wait | None, AndWait | None, tuple[ResponseSchema, ...]]:
    """What the `pagination:` and `poll:` config add to the method, and the models that
    needs (a page's item model first)."""
    spec, config = ctx.spec, ctx.config
    paging, wait, and_wait = None, None, None
    extra: list[ResponseSchema] = []
    pagination = config.page_scheme(qualified)
    if pagination is not None:
        if op.event_schema is not None:
            raise spec.error(op.event_schema, "a list that pages cannot also stream", "")
        listed = pages.item_schema(spec, pagination, op.response_schema or op.node)
        item = model_response(spec, ctx.names, listed, f"{prefix}Item")
        paging = pages.paging(pagination, item.name)
        extra.append(item)
    for poll in config.polls:
        if poll.get == qualified and wait is None:
            reader = jobs.reader(spec, config, poll, partial(_job_model, ctx))
            id_field = next(f for f in fields if f.location == "path")
            wait = jobs.wait_method(poll, reader, id_field)
        if poll.method == qualified:
            if op.event_schema is not None:
                raise spec.error(op.event_schema, "a job's submitting call cannot stream", "")
            reader = jobs.reader(spec, config, poll, partial(_job_model, ctx))
            name = qualified.rpartition(".")[2]
            and_wait = jobs.and_wait_method(poll, reader, name, submit[-1], fields, len(submit) > 1)
            extra.append(reader.job)
    return paging, wait, and_wait, tuple(extra)


def _job_model(ctx: Context, qualified: str, op: Operation) -> ResponseSchema:
    """The model of a job, as the method that reads it names it."""
    named = model_prefix(ctx.config.resources, op.config.http_method, op.config.path)
    schema = op.response_schema or op.node
    return model_response(ctx.spec, ctx.names, schema, f"{named}Response")


def _method_docstring(op: Operation, fields: tuple[Field, ...]) -> str:
    summary = ""
    for key in ("summary", "description"):
        text = op.node.value.get(key)
        if isinstance(text, str) and text.strip():
            summary = text.strip()
            break
    lines = docstrings.wrap(summary or f"{op.config.http_method.upper()} {op.config.path}")
    lines.append("")
    lines.append("Args:")
    for field in fields:
        text = f"{field.name}: {field.doc_text or '(no description)'}"
        # `  name: ...` continued at six spaces: every line ends by the same column.
        wrapped = docstrings.wrap(text, _ARGS_WIDTH - 6, first_width=_ARGS_WIDTH - 2)
        lines.append(f"  {wrapped[0]}")
        lines.extend(f"      {line}" if line else "" for line in wrapped[1:])
        lines.append("")
    for name, text in _STANDARD_ARGS:
        lines.append(f"  {name}: {text}")
        lines.append("")
    while lines and lines[-1] == "":
        lines.pop()
    return docstrings.literal(lines, "")


# The Args block's lines end by this column (of the docstring's own text).
_ARGS_WIDTH = 76
_STANDARD_ARGS = (
    ("extra_headers", "Send extra headers"),
    ("extra_query", "Add additional query parameters to the request"),
    ("extra_body", "Add additional JSON properties to the request"),
    ("timeout", "Override the client-level default timeout for this request, in seconds"),
)


def _part_types(op: Operation, fields: tuple[Field, ...]) -> tuple[tuple[str, str], ...]:
    """The `encoding` content types of the multipart fields the method sends (not files:
    a file part is typed by the file)."""
    sent = {f.wire_name for f in fields if f.location == "body" and not f.is_file}
    return tuple((name, media) for name, media in op.part_types if name in sent)


def _optional_body(op: Operation, whole_body: bool, fields: tuple[Field, ...]) -> bool:
    """Whether a call may send no body: OpenAPI lets a body that is not required be left
    out. Only when none of its fields is required either: a document that leaves out
    `required: true` but requires fields still means a body (and a whole body, `body`, is
    an argument of its own)."""
    if op.body_required or whole_body or op.body_kind not in ("json", "multipart", "form"):
        return False
    return not any(f.required for f in fields if f.location == "body")


def _signature_order(fields: list[Field], stream_field: Field | None) -> tuple[Field, ...]:
    if stream_field is None:
        return tuple(fields)
    ordered = [*fields, stream_field]
    ordered.sort(key=lambda f: (not f.required, f.name))
    return tuple(ordered)
