"""The whole pipeline, top to bottom: load -> resolve/validate -> build -> render -> format.

Writing (or comparing) is left to the caller, so that `check` shares every step with
`generate` except the last.

Two steps overlap, as they need not wait for each other: the files that do not list the
response models are rendered and handed to ruff (another process, so another core) before
the models are made, and the models may come from a worker process started even earlier
(`model_worker`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .build import build_sdk
from .cache import ModelCache
from .config import read_config
from .diagnostics import Diagnostic, Location, Reporter, SpecError
from .format import Formatting, format_tree
from .load import Document, load_yaml
from .model import ModelModule, Sdk, Skipped
from .model_worker import ModelWorker
from .render import environment, header_line, plan, render, render_without_models
from .resolve import Spec, check_openapi_root
from .response_models import ModelErrors, build_models, components_of
from .write import MANIFEST, manifest_text


@dataclass(frozen=True)
class Inputs:
    spec: Path
    config: Path
    templates: Path | None = None
    skip_unsupported: bool = False


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


def build(inputs: Inputs) -> Sdk:
    return _build(inputs)[1]


def _build(
    inputs: Inputs,
    exclude: dict[str, tuple[Diagnostic, ...]] | None = None,
    loaded: tuple[Spec, Document] | None = None,
) -> tuple[Spec, Sdk]:
    spec, config_doc = loaded or load_inputs(inputs)
    reporter = Reporter()
    config = read_config(config_doc, reporter)
    # Config errors do not stop here: build goes on with what was read and reports the
    # spec's problems too (its raise_if_any ends the run with both files' errors).
    check_openapi_root(spec, reporter)
    return spec, build_sdk(
        spec, config, inputs.spec.name, reporter, inputs.skip_unsupported, exclude
    )


def _models(
    inputs: Inputs,
    loaded: tuple[Spec, Document],
    sdk: Sdk,
    model_cache: ModelCache | None,
    worker: ModelWorker | None,
) -> tuple[Sdk, dict[str, str], tuple[ModelModule, ...]]:
    """The response models; under `skip_unsupported`, the methods whose models fail are
    found and skipped, and the SDK is built again without them."""
    spec = loaded[0]
    try:
        return (sdk, *build_models(spec, sdk, model_cache, worker))
    except SpecError as error:
        if not inputs.skip_unsupported:
            raise
        failing = _failing_methods(spec, sdk, error)
    previous = {skipped.method: skipped.reasons for skipped in sdk.skipped}
    sdk = _build(inputs, {**previous, **failing}, loaded)[1]
    return (sdk, *build_models(spec, sdk, model_cache))


def _failing_methods(spec: Spec, sdk: Sdk, error: SpecError) -> dict[str, tuple[Diagnostic, ...]]:
    """The methods whose models fail, with the reasons. When each error names its component,
    those are the methods that need one of them; otherwise each method's models are made on
    their own to see (slow: a datamodel-code-generator run a method)."""
    schemas = {schema.name: schema for schema in (*sdk.response_schemas, *sdk.event_unions)}
    failing: dict[str, tuple[Diagnostic, ...]] = {}
    for resource in sdk.resources:
        for method in resource.methods:
            names = [method.response_type, *([method.stream.event_type] if method.stream else [])]
            needed = tuple(schemas[name] for name in names)
            if isinstance(error, ModelErrors):
                keys = error.by_component.keys() & components_of(
                    spec, [schema.schema_path for schema in needed]
                )
                reasons = tuple(d for key in sorted(keys) for d in error.by_component[key])
            else:
                reasons = _model_errors(
                    spec, replace(sdk, response_schemas=needed, event_unions=())
                )
            if reasons:
                failing[f"{resource.name}.{method.name}"] = reasons
    return failing


def _model_errors(spec: Spec, sdk: Sdk) -> tuple[Diagnostic, ...]:
    try:
        build_models(spec, sdk)
    except SpecError as error:
        return error.diagnostics
    return ()


def generate_files(inputs: Inputs, model_cache: ModelCache | None = None) -> dict[str, str]:
    """Every output file, relative path -> content, formatted and with its header line."""
    return generate(inputs, model_cache)[0]


def generate(
    inputs: Inputs, model_cache: ModelCache | None = None, worker: ModelWorker | None = None
) -> tuple[dict[str, str], tuple[Skipped, ...]]:
    """The output files, and the methods left out under `skip_unsupported`; `worker`, when
    given, makes the response models."""
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
    loaded = load_inputs(inputs)
    sdk = _build(inputs, None, loaded)[1]
    env = environment(inputs.templates)
    early, put_off = render_without_models(sdk, env)
    # Ruff formats most of the tree on another core while the response models are made
    # (importing datamodel-code-generator alone takes a few hundred milliseconds).
    with Formatting(early, sdk.package.name) as formatting:
        built, models, model_modules = _models(inputs, loaded, sdk, model_cache, worker)
        final = replace(built, models=model_modules)
        jobs = plan(final, env)
        if built is sdk:  # the SDK the early files were rendered from
            late = render(final, [job for job in jobs if job.output in put_off], env)
            formatted = formatting.result()
        else:  # methods were skipped for their models: everything is rendered again
            late, formatted = render(final, jobs, env), {}
    for path, code in models.items():
        output = f"{final.package.name}/{path}"
        late[output] = header_line(final, output) + code
    files = {**formatted, **format_tree(late, final.package.name)}
    files[MANIFEST] = manifest_text(header_line(final, MANIFEST), [*files, MANIFEST])
    return files, final.skipped
