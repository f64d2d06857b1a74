"""Stage 3c: put the built methods together into the `Sdk`, the one place that sees them all.

Here two owners of one output path, or two resources of one class name, are reported; under
`--skip-unsupported` a method whose claims clash is left out like one that failed to build.
Merging is cheap and has no side effects, so the pipeline merges again, without the methods
whose response models fail, instead of building anything twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial

from . import layout, shared_params
from .auth import client_auth
from .build import Claim, Context, MethodParts, MethodSkip, build_method
from .cache import Memo
from .config import MethodConfig, ResourceConfig
from .diagnostics import Diagnostic, Reporter, SpecError
from .load import PathKey
from .method_cache import MethodCache
from .mock_spec import mock_spec_text
from .model import (
    ChildResource,
    Client,
    Method,
    Module,
    Package,
    Resource,
    ResponseSchema,
    Sdk,
    Skipped,
)
from .naming import class_name, resource_class_names, safe_module_name
from .resolve import Node
from .servers import server_url
from .type_modules import alias_module


@dataclass(frozen=True)
class BuiltResource:
    config: ResourceConfig
    methods: tuple[MethodParts | MethodSkip, ...]


def build_resources(ctx: Context, kept: Memo | None = None) -> tuple[BuiltResource, ...]:
    """Every configured method, built; `kept` holds the methods of the last run
    (`method_cache`): one whose inputs are unchanged is taken from it."""
    cache = MethodCache(kept, ctx) if kept is not None else None

    def one(resource: ResourceConfig, method: MethodConfig) -> MethodParts | MethodSkip:
        build = partial(build_method, ctx, resource, method)
        return cache.build(resource, method, build) if cache else build()

    return tuple(
        BuiltResource(resource, tuple(one(resource, m) for m in resource.methods))
        for resource in ctx.config.resources
    )


@dataclass
class _Merged:
    """What the merge has taken in so far; private to one `merge` call."""

    owners: dict[str, str] = field(default_factory=dict)  # output path -> owner
    classes: dict[str, str] = field(default_factory=dict)  # resource class -> resource
    modules: dict[str, Module] = field(default_factory=dict)
    responses: dict[str, ResponseSchema] = field(default_factory=dict)
    events: dict[str, ResponseSchema] = field(default_factory=dict)
    alias_targets: dict[str, Node] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    shared: frozenset[str] = frozenset()  # nested classes defined in `shared_params`
    notes: list[Diagnostic] = field(default_factory=list)

    def clashes(self, claims: tuple[Claim, ...], ctx: Context) -> list[Diagnostic]:
        """The claims' clashes with those taken in and with one another; the first owner of a
        path keeps it."""
        owners = dict(self.owners)
        found = []
        for claim in claims:
            other = owners.setdefault(claim.path, claim.owner)
            if other != claim.owner:
                found.append(
                    Diagnostic(
                        ctx.config.document.locate(claim.where),
                        f"'{claim.owner}' and '{other}' would both be written to {claim.path}",
                        "rename one of them",
                    )
                )
        return found

    def take(self, claims: tuple[Claim, ...]) -> None:
        for claim in claims:
            self.owners.setdefault(claim.path, claim.owner)


def merge(
    ctx: Context,
    built: tuple[BuiltResource, ...],
    reporter: Reporter,
    source: str,
    skip_unsupported: bool = False,
    exclude: Mapping[str, tuple[Diagnostic, ...]] | None = None,
) -> Sdk:
    """The SDK of the built methods, those in `exclude` left out as skipped for the given
    reasons (the response-model stage finds some problems only after a merge)."""
    merged = _Merged()
    _check_aliases(ctx, reporter)
    shared = shared_params.shared_classes(
        m.params for r in built for m in r.methods if isinstance(m, MethodParts)
    )
    merged.shared = frozenset(shared)
    classes = _resource_classes(built)
    resources = []
    for resource in built:
        made = _resource(
            ctx, resource, merged, reporter, (skip_unsupported, classes), exclude or {}
        )
        # A nested resource, or one with resources nested in it, stays: its parent or its
        # children refer to it.
        if made.methods or made.children or not made.is_top or not skip_unsupported:
            resources.append(made)
    if skip_unsupported and not any(r.methods for r in resources) and not reporter.diagnostics:
        reporter.error(
            ctx.config.document.locate(("resources",)),
            "every configured method was skipped as unsupported",
            "see the reasons above; map supported operations",
        )
        reporter.diagnostics.extend(d for s in merged.skipped for d in s.reasons)
    _check_client_names(ctx, resources, reporter)
    for name, target in sorted(merged.alias_targets.items()):
        path = layout.type_path(safe_module_name(name))
        clash = merged.clashes((Claim(path, name, ("aliases",)),), ctx)
        if clash:
            reporter.diagnostics.extend(clash)
            continue
        try:
            merged.modules[path] = alias_module(ctx.spec, ctx.mapper, path, name, target)
        except SpecError as error:
            reporter.absorb(error)
    if shared:
        owner = (Claim(shared_params.PATH, shared_params.STEM, ("resources",)),)
        reporter.diagnostics.extend(merged.clashes(owner, ctx))
        merged.modules = shared_params.share(merged.modules, shared)
    client = ctx.config.client
    base_url = client.default_base_url or server_url(ctx.spec, ctx.config.document, reporter)
    if ctx.auth.problem is not None:
        reporter.diagnostics.append(ctx.auth.problem)
    used = tuple(method.security for resource in resources for method in resource.methods)
    auth = client_auth(ctx.auth, used, client.headers)
    reporter.raise_if_any()
    return Sdk(
        package=Package(ctx.config.package, ctx.config.version),
        client=Client(
            client.sync_name,
            client.async_name,
            client.api_key_env,
            client.base_url_env,
            base_url,
            auth,
            client.username_env,
            client.password_env,
            client.optional_headers,
        ),
        # The header line of every file names it; no character of a file name may end that
        # comment line early.
        source="".join(c if c.isprintable() else "?" for c in source),
        resources=tuple(resources),
        type_modules=tuple(merged.modules[path] for path in sorted(merged.modules)),
        response_schemas=tuple(merged.responses[name] for name in sorted(merged.responses)),
        event_unions=tuple(merged.events[name] for name in sorted(merged.events)),
        readme_examples=ctx.config.examples,
        spec_text=mock_spec_text(ctx.spec),
        form_array_format=ctx.config.multipart.array_names,
        model_names=ctx.names.components,
        skipped=tuple(merged.skipped),
        notes=tuple(merged.notes),
        naming=ctx.config.naming,
        renamed=_renamed(resources),
    )


def _renamed(resources: list[Resource]) -> tuple[tuple[str, str], ...]:
    """(Python name, wire name) of up to three arguments the API calls otherwise."""
    pairs = {
        (f.name, f.wire_name): None
        for r in resources
        for m in r.methods
        for f in m.fields
        if f.name != f.wire_name
    }
    return tuple(pairs)[:3]


def _resource(
    ctx: Context,
    built: BuiltResource,
    merged: _Merged,
    reporter: Reporter,
    settings: tuple[bool, Mapping[str, str]],
    exclude: Mapping[str, tuple[Diagnostic, ...]],
) -> Resource:
    skip_unsupported, classes = settings
    config = built.config
    module = safe_module_name(config.name.replace(".", "_"))
    where: PathKey = config.where
    own = tuple(
        Claim(path, config.name, where)
        for path in (layout.resource_path(module), layout.resource_test_path(module))
    )
    reporter.diagnostics.extend(merged.clashes(own, ctx))
    merged.take(own)
    methods: list[Method] = []
    names: set[tuple[str, str]] = set()
    for result in built.methods:
        if result.qualified in exclude:
            merged.skipped.append(Skipped(result.qualified, exclude[result.qualified]))
            continue
        reasons = (
            result.reasons
            if isinstance(result, MethodSkip)
            else tuple(merged.clashes(result.claims, ctx))
        )
        if reasons and skip_unsupported:
            merged.skipped.append(Skipped(result.qualified, reasons))
            continue
        reporter.diagnostics.extend(reasons)
        if isinstance(result, MethodParts):
            _take_parts(merged, result)
            methods.append(result.method)
            params = f"..{result.params.dotted}"
            names.update(
                (shared_params.FROM_RESOURCES, name)
                if module == params and name in merged.shared
                else (module, name)
                for module, name in result.annotation_names
            )
    sync_class = _class_name(ctx, config, classes[config.name], merged, reporter)
    _check_model_names(ctx, config, sync_class, methods, reporter)
    children = tuple(_child(f"{config.name}.{child}", classes) for child in config.children)
    imports, type_checking_imports = layout.resource_imports(methods, names, children)
    return Resource(
        name=config.name,
        module=module,
        sync_class=sync_class,
        async_class=f"Async{sync_class}",
        methods=tuple(methods),
        imports=imports,
        type_checking_imports=type_checking_imports,
        children=children,
    )


def _child(name: str, classes: Mapping[str, str]) -> ChildResource:
    sync_class = classes[name]
    return ChildResource(
        name.rpartition(".")[2],
        safe_module_name(name.replace(".", "_")),
        sync_class,
        f"Async{sync_class}",
    )


def _resource_classes(built: tuple[BuiltResource, ...]) -> dict[str, str]:
    """Each resource's sync class name, its path in PascalCase; known before the resources
    are merged because a parent names the classes of its children. (A model named like one
    is numbered when the models are named: see `names`.)"""
    return {r.config.name: class_name(r.config.name.replace(".", "_")) for r in built}


def _take_parts(merged: _Merged, parts: MethodParts) -> None:
    merged.take(parts.claims)
    merged.notes.extend(parts.notes)
    merged.modules[parts.params.path] = parts.params
    for schema in parts.responses:
        merged.responses[schema.name] = schema
    for schema in parts.events:
        merged.events[schema.name] = schema
    for name, target in parts.alias_targets:
        merged.alias_targets.setdefault(name, target)


def _class_name(
    ctx: Context, config: ResourceConfig, sync_class: str, merged: _Merged, reporter: Reporter
) -> str:
    where = ctx.config.document.locate(config.where)
    if not sync_class:
        reporter.error(
            where,
            f"resource name '{config.name}' does not make a class name",
            "choose another name",
        )
    for name in (sync_class, f"Async{sync_class}"):
        other = merged.classes.setdefault(name, config.name)
        if sync_class and other != config.name:
            reporter.error(
                where,
                f"resources '{other}' and '{config.name}' would both define class {name}",
                "rename one of them",
            )
    return sync_class


def _check_model_names(
    ctx: Context,
    config: ResourceConfig,
    sync_class: str,
    methods: list[Method],
    reporter: Reporter,
) -> None:
    """A response model named like a class of the resource's own module would be shadowed
    there."""
    own_classes = set(resource_class_names(sync_class)) if sync_class else set()
    where = ctx.config.document.locate(config.where)
    for method in methods:
        models = [name for _, name in method.response.names]
        for model in (*models, method.stream.event_type if method.stream else ""):
            if model in own_classes:
                reporter.error(
                    where,
                    f"resource '{config.name}' would define class {model}, "
                    f"the name of the response model of {method.name}",
                    "rename the resource or the schema",
                )


def _check_client_names(ctx: Context, resources: list[Resource], reporter: Reporter) -> None:
    """A client class named like a class of a resource: the client's module imports the
    resource classes, and the package exports both."""
    owners = {
        name: resource.name
        for resource in resources
        for name in resource_class_names(resource.sync_class)
    }
    for key in ("sync", "async"):
        client_class = getattr(ctx.config.client, f"{key}_name")
        if client_class in owners:
            reporter.error(
                ctx.config.document.locate(("client", key)),
                f"client class {client_class} is also a class of resource '{owners[client_class]}'",
                "rename the client or the resource",
            )


def _check_aliases(ctx: Context, reporter: Reporter) -> None:
    data = ctx.config.document.data
    listed = data.get("aliases") if isinstance(data, dict) else None
    schemas = ctx.spec.root.get("components")
    schemas = schemas.get("schemas") if schemas else None
    for alias in ctx.config.aliases:
        if schemas is not None and schemas.get(alias) is not None:
            continue
        where: PathKey = ("aliases",)
        if isinstance(listed, list) and alias in listed:
            where = ("aliases", listed.index(alias))
        reporter.error(
            ctx.config.document.locate(where),
            f"alias '{alias}' names no schema in components",
            "name a schema under components/schemas",
        )
