"""The whole pipeline, top to bottom: load -> resolve/config -> build -> merge -> response
models -> render -> format.

Writing (or comparing) is left to the caller, so that `check` shares every step with
`generate` except the last. The response models may come from a worker process started
before the generator was imported (`model_worker`).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path

from . import layout
from .build import Context, MethodSkip, context
from .cache import Memo, ModelCache
from .config import read_config
from .diagnostics import Diagnostic, Location, Reporter, SpecError
from .format import format_tree
from .load import Document, load_yaml
from .merge import BuiltResource, build_resources, merge
from .model import ModelModule, Sdk, Skipped
from .model_dcg_error import ModelErrors
from .model_names import ModelNames
from .model_schemas import components_of
from .model_worker import ModelWorker
from .project_info import project_package
from .render import environment, header_line, plan, render
from .resolve import Spec, check_openapi_root
from .response_models import build_models
from .surface import SURFACE, surface_text
from .write import MANIFEST, manifest_text

# Called with each stage's name around its work (`sdkforge -v` times them).
Stage = Callable[[str], AbstractContextManager[object]]


def _untimed(name: str) -> AbstractContextManager[object]:
    return nullcontext()


@dataclass(frozen=True)
class Inputs:
    spec: Path
    config: Path
    templates: Path | None = None
    skip_unsupported: bool = False
    out: Path | None = None  # where the output goes: the README's install line names it
    layout: str | None = None  # overrides the config's `layout:` (--layout)


def load_inputs(inputs: Inputs) -> tuple[Spec, Document]:
    """Load both files, reporting the problems of both in one go."""
    problems: list[Diagnostic] = []
    documents: list[Document] = []
    for path in (inputs.spec, inputs.config):
        try:
            documents.append(load_yaml(path, str(path)))
        except SpecError as error:
            problems.extend(error.diagnostics)
    if problems:
        raise SpecError(problems)
    spec_doc, config_doc = documents
    return Spec(spec_doc), config_doc


@dataclass(frozen=True)
class _Built:
    """The build stage's result: the methods, built once, and what merges them."""

    context: Context
    resources: tuple[BuiltResource, ...]
    source: str
    skip_unsupported: bool

    def merge(
        self, reporter: Reporter, exclude: dict[str, tuple[Diagnostic, ...]] | None = None
    ) -> Sdk:
        return merge(
            self.context, self.resources, reporter, self.source, self.skip_unsupported, exclude
        )


def build(inputs: Inputs) -> Sdk:
    """The SDK model of `inputs`, before its response models are made."""
    built, reporter = _build(inputs, load_inputs(inputs))
    return built.merge(reporter)


def _build(
    inputs: Inputs,
    loaded: tuple[Spec, Document],
    stage: Stage = _untimed,
    kept: Memo | None = None,
) -> tuple[_Built, Reporter]:
    spec, config_doc = loaded
    reporter = Reporter()
    with stage("resolve"):
        config = read_config(config_doc, reporter)
        # Config errors do not stop here: build goes on with what was read and reports the
        # spec's problems too (the merge's raise_if_any ends the run with both files' errors).
        check_openapi_root(spec, reporter)
        ctx = context(spec, config)
    with stage("build"):
        resources = build_resources(ctx, kept)
    return _Built(ctx, resources, inputs.spec.name, inputs.skip_unsupported), reporter


def _models(
    built: _Built, sdk: Sdk, model_cache: ModelCache | None, worker: ModelWorker | None
) -> tuple[Sdk, dict[str, str], tuple[ModelModule, ...]]:
    """The response models; under `skip_unsupported`, the methods whose models fail are
    found and the SDK is merged again without them."""
    spec = built.context.spec
    try:
        return (sdk, *build_models(spec, sdk, model_cache, worker))
    except SpecError as error:
        if not built.skip_unsupported:
            raise
        failing = _failing_methods(spec, sdk, error)
    sdk = built.merge(Reporter(), failing)
    return (sdk, *build_models(spec, sdk, model_cache, worker))


def _failing_methods(spec: Spec, sdk: Sdk, error: SpecError) -> dict[str, tuple[Diagnostic, ...]]:
    """The methods whose models fail, with the reasons. When each error names its component,
    those are the methods that need one of them; otherwise each method's models are made on
    their own to see (slow: a datamodel-code-generator run a method)."""
    schemas = {schema.name: schema for schema in (*sdk.response_schemas, *sdk.event_unions)}
    failing: dict[str, tuple[Diagnostic, ...]] = {}
    for resource in sdk.resources:
        for method in resource.methods:
            names = [name for _, name in method.response.names]
            names += [method.stream.event_type] if method.stream else []
            names += [method.paging.item_type] if method.paging else []
            needed = tuple(schemas[name] for name in names if name in schemas)
            if isinstance(error, ModelErrors):
                model_names = ModelNames(sdk.model_names, frozenset(), frozenset())
                keys = error.by_component.keys() & components_of(spec, needed, model_names)
                reasons = tuple(d for key in sorted(keys) for d in error.by_component[key])
            else:
                reasons = _model_errors(
                    spec, replace(sdk, response_schemas=needed, event_unions=())
                )
            if reasons:
                failing[f"{resource.name}.{method.name}"] = reasons
    return failing


def _model_problems(built: _Built, error: SpecError) -> tuple[Diagnostic, ...]:
    """What the response-model stage finds in the methods that did build, so that one run
    reports those problems beside the others (only ever on the way to an error)."""
    try:
        sdk = merge(built.context, built.resources, Reporter(), built.source, True)
    except SpecError:  # nothing left to make models of, or the config itself is wrong
        return ()
    return tuple(d for d in _model_errors(built.context.spec, sdk) if d not in error.diagnostics)


def _model_errors(spec: Spec, sdk: Sdk) -> tuple[Diagnostic, ...]:
    try:
        build_models(spec, sdk)
    except SpecError as error:
        return error.diagnostics
    return ()


def generate_files(inputs: Inputs, model_cache: ModelCache | None = None) -> dict[str, str]:
    """Every output file, relative path -> content, formatted and with its header line."""
    return generate(inputs, model_cache)[0]


@dataclass(frozen=True)
class Output:
    files: dict[str, str]  # relative to --out, in the layout asked for, with the manifest
    skipped: tuple[Skipped, ...]  # the methods left out under `skip_unsupported`
    keep: tuple[tuple[str, Location], ...]  # the config's `keep:` entries, where each is
    notes: tuple[Diagnostic, ...] = ()  # suggestions for the config (not errors)
    sdk: Sdk | None = None  # the model the files were rendered from


def generate(
    inputs: Inputs,
    model_cache: ModelCache | None = None,
    worker: ModelWorker | None = None,
    stage: Stage = _untimed,
) -> tuple[dict[str, str], tuple[Skipped, ...]]:
    """The output files, and the methods left out under `skip_unsupported`; `worker`, when
    given, makes the response models; `stage` is told where the run is."""
    output = run(inputs, model_cache, worker, stage)
    return output.files, output.skipped


def run(
    inputs: Inputs,
    model_cache: ModelCache | None = None,
    worker: ModelWorker | None = None,
    stage: Stage = _untimed,
) -> Output:
    """`generate`'s files and skipped methods, with the config's `keep:` entries."""
    if inputs.templates is not None and not inputs.templates.is_dir():
        raise SpecError(
            [
                Diagnostic(
                    Location(str(inputs.templates), 1, 1),
                    "--templates is not a directory",
                    "point it at a folder of template overrides",
                )
            ]
        )
    with stage("load"):
        loaded = load_inputs(inputs)
    built, reporter = _build(inputs, loaded, stage, model_cache.methods if model_cache else None)
    with stage("merge"):
        try:
            merged = built.merge(reporter)
        except SpecError as error:
            raise SpecError([*error.diagnostics, *_model_problems(built, error)]) from None
    with stage("response models"):
        sdk, models, model_modules = _models(built, merged, model_cache, worker)
    with stage("render"):
        package = project_package(sdk.package, built.context.spec, inputs.out)
        final = replace(sdk, models=model_modules, package=package)
        env = environment(inputs.templates)
        files = render(final, plan(final, env), env)
        for path, code in models.items():
            output = layout.output(final.package.name, path)
            files[output] = header_line(final, output) + code
    with stage("format"):
        files = format_tree(files, model_cache.formatted if model_cache else None)
    config = built.context.config
    if (inputs.layout or config.layout) == "package":
        files = layout.package_only(files, final.package.name)
    header = header_line(final, SURFACE).removeprefix("# ").rstrip()
    files[SURFACE] = surface_text(final, built.context.spec, header)
    files[MANIFEST] = manifest_text(header_line(final, MANIFEST), [*files, MANIFEST])
    keep = tuple((entry.path, config.document.locate(entry.where)) for entry in config.keep)
    return Output(files, final.skipped, keep, final.notes, final)


def unsupported(inputs: Inputs) -> tuple[Skipped, ...]:
    """The methods `generate --skip-unsupported` would leave out, found by the build,
    merge and response-model stages (nothing rendered): what `sdkforge init` drafts from."""
    built, reporter = _build(replace(inputs, skip_unsupported=True), load_inputs(inputs))
    # The build's own skips first, by name: when it skips every method, the merge fails
    # without saying which; the caller asks again once it has left these out.
    failed = [m for r in built.resources for m in r.methods if isinstance(m, MethodSkip)]
    if failed:
        return tuple(Skipped(m.qualified, m.reasons) for m in failed)
    sdk = _models(built, built.merge(reporter), None, None)[0]
    return sdk.skipped
