"""The generator's own model of the SDK to emit.

Built method by method by `build`, put together by `merge`, read by the templates. It holds
the facts a template prints, already computed (annotations, docstring literals, import lines
from `layout`, samples as data), and knows nothing about which template prints them or how
(`is_async`, not the `async def` it leads to).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .auth import ClientAuth
from .auth_config import OptionalHeader
from .config import Example
from .diagnostics import Diagnostic
from .fixed_params import FixedValue
from .model_calls import AndWait as AndWait
from .model_calls import Argument as Argument
from .model_calls import Paging as Paging
from .model_calls import ResponseType as ResponseType
from .model_calls import Signature as Signature
from .model_calls import Stream as Stream
from .model_calls import Wait as Wait

# The parts of params modules and methods, defined in `model_types` and `model_calls` and
# used from here by the stages.
from .model_types import Field as Field
from .model_types import Module as Module
from .model_types import TypeAlias as TypeAlias
from .model_types import TypedDictClass as TypedDictClass


@dataclass(frozen=True)
class Method:
    name: str
    http_method: str
    path: str
    docstring: str  # ready-to-print literal: summary and Args block
    body_kind: str  # 'json' | 'multipart' | 'form' (urlencoded) | 'binary' | 'text' | 'none'
    fields: tuple[Field, ...]  # every parameter, `stream` included, in signature order
    response: ResponseType
    stream: Stream | None
    signatures: tuple[Signature, ...]  # overloads first, then the implementation
    params_module: str  # dotted, relative to the package
    async_signatures: tuple[Signature, ...]
    # What the body imports when it runs: the response and event models, whose modules
    # (and pydantic) only a called method should pay for.
    body_imports: tuple[str, ...]
    # The client's auth schemes it sends, when the operation names its own (None: the default).
    security: tuple[str, ...] | None = None
    fixed: tuple[FixedValue, ...] = ()  # parameters with one allowed value, sent as they are
    body_media: str = ""  # the request's media type, for a 'binary' or 'text' body
    whole_body: bool = False  # the body is not an object: the `body` field is all of it
    # What the generated tests call the method with, when not `fields`: one variant of a
    # union body (all of the merged fields would fit none).
    sample_fields: tuple[Field, ...] = ()
    form_array_suffix: str = "[]"  # after the name of each multipart part of a list
    part_types: tuple[tuple[str, str], ...] = ()  # multipart: (wire name, the part's type)
    query_styles: tuple[tuple[str, str], ...] = ()  # (query parameter, `styled_query` style)
    # The body may be left out (not required, no field of it required): a call that gives
    # none of its fields sends no body.
    optional_body: bool = False
    json_params: tuple[str, ...] = ()  # wire names of parameters sent as JSON text
    paging: Paging | None = None
    wait: Wait | None = None
    and_wait: AndWait | None = None

    @property
    def sync_check(self) -> str:
        """What a call's result is an instance of (a page, for a list that pages)."""
        if self.stream is not None and self.stream.always:
            return "Stream"
        return "SyncPage" if self.paging else self.response.check

    @property
    def returns_nothing(self) -> bool:
        """A call whose result is None (a 204): a test cannot bind it (mypy refuses that)."""
        return self.response.kind == "none" and self.paging is None

    @property
    def async_check(self) -> str:
        if self.stream is not None and self.stream.always:
            return "AsyncStream"
        return "AsyncPage" if self.paging else self.response.check

    @property
    def stream_flag(self) -> bool:
        """Whether a `stream` argument chooses between the events and the other answer."""
        return self.stream is not None and not self.stream.always

    @property
    def security_literal(self) -> str:
        return repr(self.security)

    @property
    def form_array_argument(self) -> str:
        """The `_request` keyword for the suffix; '' for the runtime's default, `[]`."""
        if self.body_kind != "multipart" or self.form_array_suffix == "[]":
            return ""
        return f"form_array_suffix={self.form_array_suffix!r}"

    @property
    def extra_signatures(self) -> tuple[Signature, ...]:
        """The signatures of the methods made beside this one (`wait`, `..._and_wait`)."""
        return tuple(made.signature for made in (self.wait, self.and_wait) if made is not None)

    @property
    def pascal_name(self) -> str:
        return "".join(part.capitalize() for part in self.name.split("_"))

    @property
    def query_styles_literal(self) -> str:
        return repr(dict(self.query_styles))

    @property
    def part_types_literal(self) -> str:
        return repr(dict(self.part_types))

    @property
    def body_media_literal(self) -> str:
        return repr(self.body_media)

    @property
    def whole_body_field(self) -> Field | None:
        return (
            next((f for f in self.fields if f.location == "body"), None)
            if self.whole_body
            else None
        )

    @property
    def _called_fields(self) -> tuple[Field, ...]:
        return self.sample_fields or self.fields

    def required_call(self, file: str) -> str:
        """Keyword arguments with sample values for the required parameters only; `file` is
        how the caller writes a file."""
        return ", ".join(
            f"{f.name}={f.sample.spell(file)}" for f in self._called_fields if f.required
        )

    def required_call_with(self, file: str, extra: str) -> str:
        """`required_call` followed by one more keyword argument."""
        return ", ".join(part for part in (self.required_call(file), extra) if part)

    def full_call(self, file: str) -> str:
        """Keyword arguments with sample values for every parameter except `stream`."""
        return ", ".join(
            f"{f.name}={f.sample.spell(file)}"
            for f in self._called_fields
            if not (self.stream_flag and f.wire_name == "stream")
        )

    @property
    def body_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.location == "body" and not f.is_file)

    @property
    def file_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.location == "body" and f.is_file)

    @property
    def path_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.location == "path")

    @property
    def query_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.location == "query")

    @property
    def header_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.location == "header")

    @property
    def query_items(self) -> tuple[tuple[str, str], ...]:
        """(key literal, value expression) of each query parameter, fixed ones included."""
        return self._items("query")

    @property
    def header_items(self) -> tuple[tuple[str, str], ...]:
        return self._items("header")

    @property
    def cookie_items(self) -> tuple[tuple[str, str], ...]:
        return self._items("cookie")

    def _items(self, location: str) -> tuple[tuple[str, str], ...]:
        fixed = [(f.wire_literal, f.literal) for f in self.fixed if f.location == location]
        if location == "header" and self.response.accept:
            fixed.insert(0, ("'Accept'", repr(self.response.accept)))
        given = [(f.wire_literal, f.value) for f in self.fields if f.location == location]
        return (*fixed, *given)


@dataclass(frozen=True)
class Flavor:
    """The sync or the async form of a resource class: everything that differs between them."""

    class_name: str
    base_class: str  # the runtime class it derives from
    raw_wrapper: str  # the runtime function behind `.with_raw_response`
    streamed_wrapper: str  # ... and behind `.with_streaming_response`
    is_async: bool

    def signatures(self, method: Method) -> tuple[Signature, ...]:
        return method.async_signatures if self.is_async else method.signatures


@dataclass(frozen=True)
class ChildResource:
    """A resource nested in another: a cached property of its parent's classes."""

    attribute: str  # e.g. 'jobs'
    module: str  # file stem under resources/
    sync_class: str
    async_class: str


@dataclass(frozen=True)
class Resource:
    name: str  # its path from the client, e.g. 'images' or 'images.jobs'
    module: str  # file stem under resources/
    sync_class: str
    async_class: str
    methods: tuple[Method, ...]
    imports: tuple[str, ...]  # import lines ("" between groups), from `layout`
    type_checking_imports: tuple[str, ...]  # ... of what only annotations use
    children: tuple[ChildResource, ...] = ()

    @property
    def attribute(self) -> str:
        """Its name on the client or on its parent."""
        return self.name.rpartition(".")[2]

    @property
    def is_top(self) -> bool:
        """Whether it is an attribute of the client itself."""
        return "." not in self.name

    @property
    def flavors(self) -> tuple[Flavor, Flavor]:
        return (
            Flavor(
                self.sync_class,
                "SyncAPIResource",
                "to_raw_response_wrapper",
                "to_streamed_response_wrapper",
                is_async=False,
            ),
            Flavor(
                self.async_class,
                "AsyncAPIResource",
                "async_to_raw_response_wrapper",
                "async_to_streamed_response_wrapper",
                is_async=True,
            ),
        )


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    # From the document's `info` (project_info.py): an SPDX expression, or ''.
    license: str = ""
    urls: tuple[tuple[str, str], ...] = ()  # (label, absolute URL) for [project.urls]
    install_path: str = "./generated"  # what the README's `pip install` takes


@dataclass(frozen=True)
class Client:
    sync_name: str
    async_name: str
    api_key_env: str
    base_url_env: str
    default_base_url: str
    auth: ClientAuth = field(default_factory=ClientAuth)
    username_env: str = ""
    password_env: str = ""
    optional_headers: tuple[OptionalHeader, ...] = ()

    @property
    def optional_arguments(self) -> str:
        """The constructor's optional-header arguments, in order, as a call lists them."""
        return ", ".join(header.argument for header in self.optional_headers)


@dataclass(frozen=True)
class ResponseSchema:
    """A schema the API answers with; datamodel-code-generator turns these into models."""

    name: str
    module: str  # file stem under types/
    schema_path: tuple[str | int, ...]


@dataclass(frozen=True)
class ModelModule:
    """A generated module of response models, as `types/__init__.py` re-exports it."""

    path: str  # relative to the package, e.g. 'types/images_response.py'
    stem: str  # 'images_response'
    exports: tuple[str, ...]  # names re-exported from `types`


@dataclass(frozen=True)
class Skipped:
    """A configured method left out under --skip-unsupported, with the reasons."""

    method: str  # resource.method
    reasons: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Sdk:
    package: Package
    client: Client
    source: str  # what the header line names as the source
    resources: tuple[Resource, ...]
    type_modules: tuple[Module, ...]  # params and alias modules
    response_schemas: tuple[ResponseSchema, ...]
    event_unions: tuple[ResponseSchema, ...]
    models: tuple[ModelModule, ...] = ()  # filled by the pipeline from `response_models`
    readme_examples: tuple[Example, ...] = ()
    skipped: tuple[Skipped, ...] = ()  # methods left out under --skip-unsupported
    notes: tuple[Diagnostic, ...] = ()  # suggestions for the config, printed as `note:`
    spec_text: str = ""  # the spec itself, shipped with the generated tests for the mock server
    form_array_format: str = "repeat"  # how multipart lists are named: 'repeat' or 'brackets'
    naming: str = "snake"  # Python names of wire names: 'snake' or 'wire' (kept)
    renamed: tuple[tuple[str, str], ...] = ()  # a few (Python, wire) names, for the README
    # The class name of each component schema (`model_names`), for the model stage.
    model_names: tuple[tuple[str, str], ...] = ()

    @property
    def paged(self) -> tuple[tuple[str, Method], ...]:
        """(resource, method) of each list method that pages, for the README."""
        return tuple((r.name, m) for r in self.resources for m in r.methods if m.paging)

    @property
    def polled(self) -> tuple[tuple[str, Method], ...]:
        """(resource, method) of each method that submits a job or reads one."""
        return tuple((r.name, m) for r in self.resources for m in r.methods if m.and_wait or m.wait)

    @property
    def mock_server_headers(self) -> str:
        """What the generated tests' clients send to tell the mock server how multipart lists
        are named; '' when that is the server's own setting (brackets), or nothing is sent
        as multipart."""
        methods = (method for resource in self.resources for method in resource.methods)
        if self.form_array_format == "brackets" or all(m.body_kind != "multipart" for m in methods):
            return ""
        return repr({"X-Steady-Form-Array-Format": self.form_array_format})
