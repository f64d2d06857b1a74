"""Stage 3: build the generator's model (`model.Sdk`) from the checked spec and config."""

from __future__ import annotations

import keyword

from . import docstrings
from .config import BASE_URL, ResourceConfig, SdkConfig
from .diagnostics import Diagnostic, Reporter, SpecError
from .load import PathKey
from .model import (
    Client,
    Field,
    Method,
    Module,
    Package,
    Resource,
    ResponseSchema,
    Sdk,
    Skipped,
    Stream,
)
from .naming import (
    class_name,
    is_identifier,
    pascal_case,
    python_name,
    resource_class_names,
    safe_module_name,
)
from .operations import Operation, OperationReader
from .resolve import Node, Spec
from .response_models import check_schemas
from .signatures import method_signatures
from .type_modules import TypeModules, check_required, description
from .typemap import TYPING, TYPING_EXTENSIONS, TypeContext, TypeMapper, required_names

STREAM_FIELD = "stream"


def build_sdk(
    spec: Spec,
    config: SdkConfig,
    source: str,
    reporter: Reporter,
    skip_unsupported: bool = False,
    exclude: dict[str, tuple[Diagnostic, ...]] | None = None,
) -> Sdk:
    """`exclude` names methods (`resource.method`) to skip with the given reasons: the
    response-model stage finds some problems only after the model is built."""
    builder = _Builder(spec, config, reporter, skip_unsupported, exclude or {})
    return builder.build(source)


class _Builder:
    def __init__(
        self,
        spec: Spec,
        config: SdkConfig,
        reporter: Reporter,
        skip_unsupported: bool,
        exclude: dict[str, tuple[Diagnostic, ...]],
    ) -> None:
        self.exclude = exclude
        self.spec = spec
        self.config = config
        self.report = reporter
        # With skip_unsupported, a method the spec does not let us build is left out and
        # reported as skipped instead of failing the run.
        self.skip_unsupported = skip_unsupported
        self.skipped: list[Skipped] = []
        self.operations = OperationReader(spec, reporter, self.config_error)
        self.mapper = TypeMapper(spec, frozenset(config.aliases), safe_module_name)
        self.alias_targets: dict[str, Node] = {}
        self.module_owners: dict[str, str] = {}
        self.types = TypeModules(spec, reporter, self.mapper, self._claim_module)
        self.responses: dict[str, ResponseSchema] = {}
        self.events: dict[str, ResponseSchema] = {}
        # Names that method signatures use and that live in the types package.
        self.annotation_imports: set[str] = set()
        # Resource class name -> resource: `resources/__init__.py` imports them all.
        self.resource_classes: dict[str, str] = {}

    def config_error(self, path: PathKey, message: str, hint: str) -> None:
        self.report.error(self.config.document.locate(path), message, hint)

    def build(self, source: str) -> Sdk:
        listed = (
            self.config.document.data.get("aliases")
            if isinstance(self.config.document.data, dict)
            else None
        )
        for alias in self.config.aliases:
            schema = self._component_schema(alias)
            if schema is None:
                where: PathKey = ("aliases",)
                if isinstance(listed, list) and alias in listed:
                    where = ("aliases", listed.index(alias))
                self.config_error(
                    where,
                    f"alias '{alias}' names no schema in components",
                    "name a schema under components/schemas",
                )
        resources = []
        for resource in self.config.resources:
            built = self._resource(resource)
            if built is not None and (built.methods or not self.skip_unsupported):
                resources.append(built)
        if self.skip_unsupported and not resources and not self.report.diagnostics:
            self.config_error(
                ("resources",),
                "every configured method was skipped as unsupported",
                "see the reasons above; map supported operations",
            )
            self.report.diagnostics.extend(d for s in self.skipped for d in s.reasons)
        for name, target in sorted(self.alias_targets.items()):
            try:
                self.types.alias_module(name, target)
            except SpecError as error:
                self.report.absorb(error)
        client = self.config.client
        base_url = client.default_base_url or self._server_url()
        self.report.raise_if_any()
        return Sdk(
            package=Package(self.config.package, self.config.version),
            client=Client(
                client.sync_name,
                client.async_name,
                client.api_key_env,
                client.base_url_env,
                base_url,
            ),
            # The header line of every file names it; no character of a file name may end
            # that comment line early.
            source="".join(c if c.isprintable() else "?" for c in source),
            resources=tuple(resources),
            type_modules=tuple(self.types.modules[path] for path in sorted(self.types.modules)),
            response_schemas=tuple(self.responses[name] for name in sorted(self.responses)),
            event_unions=tuple(self.events[name] for name in sorted(self.events)),
            readme_examples=self.config.examples,
            spec_text=self.spec.document.text,
            skipped=tuple(self.skipped),
        )

    def _server_url(self) -> str:
        servers = self.spec.root.get("servers")
        first = servers.elements()[0] if servers and servers.elements() else None
        url = first.value.get("url") if first and isinstance(first.value, dict) else None
        if not isinstance(url, str) or not url:
            self.config_error(
                ("client",),
                "no base URL: the spec has no servers",
                "add `default_base_url:` under client, or `servers:` to the spec",
            )
            return ""
        # The URL is printed into the generated client as a string literal.
        if not BASE_URL.fullmatch(url) or "{" in url:
            assert first is not None
            self.report.error(
                self.spec.locate((*first.path, "url")),
                f"server URL {url!r} cannot be the default base URL",
                "write an http(s) URL without variables, spaces or quotes, or set "
                "`default_base_url:` under client in the config",
            )
            return ""
        return url

    def _component_schema(self, name: str) -> Node | None:
        schemas = self.spec.root.get("components")
        schemas = schemas.get("schemas") if schemas else None
        return schemas.get(name) if schemas else None

    def _claim_module(self, path: str, owner: str, where: PathKey) -> bool:
        if path in self.module_owners and self.module_owners[path] != owner:
            self.config_error(
                where,
                f"'{owner}' and '{self.module_owners[path]}' would both be written to {path}",
                "rename one of them",
            )
            return False
        self.module_owners[path] = owner
        return True

    # -- resources and methods --------------------------------------------------------------

    def _resource(self, resource: ResourceConfig) -> Resource | None:
        self.annotation_imports = set()
        methods: list[Method] = []
        module = safe_module_name(resource.name)
        where = ("resources", resource.name)
        for path in (f"resources/{module}.py", f"tests/test_{module}.py"):
            self._claim_module(path, resource.name, where)
        for method_config in resource.methods:
            qualified = f"{resource.name}.{method_config.name}"
            if qualified in self.exclude:
                self.skipped.append(Skipped(qualified, self.exclude[qualified]))
                continue
            saved = self._snapshot()
            try:
                operation = self.operations.read(method_config)
                if operation is not None:
                    # The response-model stage would find these only after the build, for
                    # the whole SDK at once; found here, they are reported with this
                    # method's other errors (or skip just this method).
                    check_schemas(
                        self.spec,
                        [
                            self.spec.deref(schema).path
                            for schema in (operation.response_schema, operation.event_schema)
                            if schema
                        ],
                    )
                    methods.append(self._method(resource, operation))
            except SpecError as error:
                self.report.absorb(error)
            if self.skip_unsupported and len(self.report.diagnostics) > saved[0]:
                reasons = tuple(self.report.diagnostics[saved[0] :])
                self._restore(saved)
                self.skipped.append(Skipped(qualified, reasons))
        sync_class = class_name(resource.name)
        if not sync_class:
            self.config_error(
                where,
                f"resource name '{resource.name}' does not make a class name",
                "choose another name",
            )
        own_classes = set(resource_class_names(sync_class)) if sync_class else set()
        for method in methods:
            for model in (method.response_type, method.stream.event_type if method.stream else ""):
                if model in own_classes:
                    self.config_error(
                        where,
                        f"resource '{resource.name}' would define class {model}, "
                        f"the name of the response model of {method.name}",
                        "rename the resource or the schema",
                    )
        for name in (sync_class, f"Async{sync_class}"):
            other = self.resource_classes.setdefault(name, resource.name)
            if sync_class and other != resource.name:
                self.config_error(
                    where,
                    f"resources '{other}' and '{resource.name}' would both define class {name}",
                    "rename one of them",
                )
        return Resource(
            name=resource.name,
            module=module,
            sync_class=sync_class,
            async_class=f"Async{sync_class}",
            methods=tuple(methods),
            type_imports=tuple(
                sorted(set(_resource_type_imports(methods)) | self.annotation_imports)
            ),
        )

    def _snapshot(
        self,
    ) -> tuple[
        int,
        dict[str, Module],
        dict[str, str],
        dict[str, ResponseSchema],
        dict[str, ResponseSchema],
        dict[str, Node],
        set[str],
    ]:
        return (
            len(self.report.diagnostics),
            dict(self.types.modules),
            dict(self.module_owners),
            dict(self.responses),
            dict(self.events),
            dict(self.alias_targets),
            set(self.annotation_imports),
        )

    def _restore(
        self,
        saved: tuple[
            int,
            dict[str, Module],
            dict[str, str],
            dict[str, ResponseSchema],
            dict[str, ResponseSchema],
            dict[str, Node],
            set[str],
        ],
    ) -> None:
        """Forget everything a method that is being skipped registered."""
        (
            count,
            self.types.modules,
            self.module_owners,
            self.responses,
            self.events,
            self.alias_targets,
            self.annotation_imports,
        ) = saved
        del self.report.diagnostics[count:]

    def _named_response(self, schema: Node, into: dict[str, ResponseSchema]) -> str:
        name = self.spec.ref_name(schema)
        if name is None:
            raise self.spec.error(
                schema,
                "inline response schemas are not supported",
                "move the schema to components/schemas and $ref it",
            )
        if not is_identifier(name) or keyword.iskeyword(name):
            # The schema's name is the model class's name in the generated code.
            raise self.spec.error(
                schema,
                f"response schema name '{name}' is not a Python class name",
                f"rename the schema, e.g. to '{pascal_case(name) or 'Response'}'",
            )
        target = self.spec.deref(schema)
        module = safe_module_name(name)
        if self._claim_module(f"types/{module}.py", name, ()):
            into[name] = ResponseSchema(name, module, target.path)
        return name

    def _method(self, resource: ResourceConfig, op: Operation) -> Method:
        config = op.config
        prefix = pascal_case(f"{resource.singular}_{config.name}")
        module_stem = safe_module_name(f"{resource.singular}_{config.name}_params")
        errors_before = len(self.report.diagnostics)
        response = self.report.collect(
            lambda: self._named_response(op.response_schema, self.responses), ""
        )
        stream = None
        event_schema = op.event_schema
        if event_schema is not None:
            event_name = self.report.collect(
                lambda: self._named_response(event_schema, self.events), ""
            )
            stream = Stream(event_name, f"types.{safe_module_name(event_name)}")
        # The method body imports these names locally: an argument of the same name would
        # be overwritten by the import.
        body_names = {response, stream.event_type} if stream else {response}
        fields, stream_field, ctx = self._fields(op, prefix, body_names)
        if len(self.report.diagnostics) > errors_before:
            raise SpecError(self.report.diagnostics[errors_before:])
        if stream is not None and stream_field is None:
            assert op.event_schema is not None
            raise self.spec.error(
                op.event_schema,
                "the operation answers with "
                "text/event-stream but its body has no boolean 'stream' field",
                "add `stream: {type: boolean}` to the request body",
            )
        if stream is None:
            stream_field = None
        module = self.types.params_module(module_stem, prefix, fields, stream_field, ctx, config)
        self.annotation_imports.update(_annotation_imports(ctx, module))
        signature_fields = _signature_order(fields, stream_field)
        docstring = self._method_docstring(op, signature_fields)
        signatures, async_signatures = method_signatures(
            signature_fields, stream_field, response, stream.event_type if stream else None
        )
        return Method(
            name=config.name,
            http_method=config.http_method,
            path=config.path,
            docstring=docstring,
            body_kind=op.body_kind,
            fields=signature_fields,
            response_type=response,
            response_module=f"types.{safe_module_name(response)}",
            stream=stream,
            signatures=signatures,
            async_signatures=async_signatures,
            params_module=module.dotted,
        )

    def _fields(
        self,
        op: Operation,
        prefix: str,
        body_names: set[str],
    ) -> tuple[list[Field], Field | None, TypeContext]:
        ctx = TypeContext()
        # (wire name, schema, required, location, the node whose description documents it)
        entries: list[tuple[str, Node, bool, str, Node]] = []
        for parameter in op.parameters:
            place = parameter.value["in"]
            schema = parameter.get("schema")
            assert schema is not None
            entries.append(
                (
                    parameter.value["name"],
                    schema,
                    place == "path" or parameter.value.get("required") is True,
                    place,
                    parameter,
                )
            )
        # Errors of this method only: those of earlier methods must not stop this one.
        errors_before = len(self.report.diagnostics)
        if op.body_schema is not None:
            body = self.spec.deref(op.body_schema)
            if not isinstance(body.value, dict) or not isinstance(
                body.value.get("properties"), dict
            ):
                raise self.spec.error(
                    op.body_schema,
                    "the request body must be an object with properties",
                    "describe each body field under `properties:`",
                )
            check_required(self.spec, self.report, body)
            required = required_names(body.value)
            props = body.get("properties")
            assert props is not None
            entries += [(key, prop, key in required, "body", prop) for key, prop in props.items()]
        fields: list[Field] = []
        stream_field: Field | None = None
        seen: dict[str, str] = {}
        reserved = _METHOD_OWN_ARGUMENTS | body_names
        for wire_name, prop, is_required, location, documented in entries:
            name = python_name(wire_name)
            if not name:
                self.report.error(
                    self.spec.locate(prop),
                    f"field '{wire_name}' has no usable Python name",
                    "rename the field",
                )
                continue
            if name in reserved:
                name = f"{name}_"
            # Checked after every renaming, so that `timeout` and `timeout_` cannot both
            # become the argument `timeout_`.
            if name in seen:
                self.report.error(
                    self.spec.locate(prop),
                    f"fields '{seen[name]}' and '{wire_name}' both become '{name}' in Python",
                    "rename one of them",
                )
                continue
            seen[name] = wire_name
            try:
                mapped = self.mapper.map(prop, ctx, f"{prefix}_{wire_name}")
            except SpecError as error:
                self.report.absorb(error)
                continue
            if mapped.is_file and (location != "body" or op.body_kind == "json"):
                where = "a JSON body" if location == "body" else f"a {location} parameter"
                self.report.error(
                    self.spec.locate(prop),
                    f"file field '{wire_name}' in {where}",
                    "send files with multipart/form-data",
                )
                continue
            text = description(self.spec, documented) or description(self.spec, prop)
            field = Field(
                name=name,
                wire_name=wire_name,
                type=mapped.render(),
                required=is_required,
                docstring=docstrings.field_docstring(text),
                doc_text=text,
                is_file=mapped.is_file,
                sample=mapped.sample,
                location=location,
            )
            if location == "body" and wire_name == STREAM_FIELD and mapped.members == ("bool",):
                stream_field = field
            else:
                fields.append(field)
        if len(self.report.diagnostics) > errors_before:
            raise SpecError(self.report.diagnostics[errors_before:])
        for name, target in ctx.alias_refs.items():
            self.alias_targets.setdefault(name, target)
        fields.sort(key=lambda f: (not f.required, f.name))
        if stream_field is not None and op.event_schema is None:
            fields.append(stream_field)
            fields.sort(key=lambda f: (not f.required, f.name))
        return fields, stream_field, ctx

    def _method_docstring(self, op: Operation, fields: tuple[Field, ...]) -> str:
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
            wrapped = docstrings.wrap(f"{field.name}: {field.doc_text or '(no description)'}", 74)
            lines.append(f"  {wrapped[0]}")
            lines.extend(f"      {line}" if line else "" for line in wrapped[1:])
            lines.append("")
        for name, text in _STANDARD_ARGS:
            lines.append(f"  {name}: {text}")
            lines.append("")
        while lines and lines[-1] == "":
            lines.pop()
        return docstrings.literal(lines, "        ")


# The trailing arguments of every method, and `cast`, which its body calls.
_METHOD_OWN_ARGUMENTS = frozenset({"extra_headers", "extra_query", "extra_body", "timeout", "cast"})

_STANDARD_ARGS = (
    ("extra_headers", "Send extra headers"),
    ("extra_query", "Add additional query parameters to the request"),
    ("extra_body", "Add additional JSON properties to the request"),
    ("timeout", "Override the client-level default timeout for this request, in seconds"),
)


def _signature_order(fields: list[Field], stream_field: Field | None) -> tuple[Field, ...]:
    if stream_field is None:
        return tuple(fields)
    ordered = [*fields, stream_field]
    ordered.sort(key=lambda f: (not f.required, f.name))
    return tuple(ordered)


def _resource_type_imports(methods: list[Method]) -> tuple[str, ...]:
    lines = set()
    for method in methods:
        lines.add(f"from ..{method.response_module} import {method.response_type}")
        if method.stream is not None:
            lines.add(f"from ..{method.stream.event_module} import {method.stream.event_type}")
    return tuple(sorted(lines))


# What the resource template imports for its signatures itself.
_RESOURCE_TEMPLATE_NAMES = frozenset(
    {"Optional", "Union", "Literal", "FileTypes", "SequenceNotStr"}
)


def _annotation_imports(ctx: TypeContext, module: Module) -> set[str]:
    lines = {
        f"from ..types.{source[1:]} import {name}"
        for source, name in ctx.imports
        if source.startswith(".") and not source.startswith("..")
    }
    lines.update(f"from ..{module.dotted} import {name}" for name in ctx.classes)
    # e.g. `Dict` for a free-form object argument; unused ones are dropped by the formatter.
    lines.update(
        f"from {source} import {name}"
        for source, name in ctx.imports
        if source in (TYPING, TYPING_EXTENSIONS) and name not in _RESOURCE_TEMPLATE_NAMES
    )
    return lines
