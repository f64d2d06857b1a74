"""The whole pipeline, top to bottom: load -> resolve/validate -> build -> render -> format.

Writing (or comparing) is left to the caller, so that `check` shares every step with
`generate` except the last.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .build import build_sdk
from .config import read_config
from .diagnostics import Reporter, SpecError
from .format import format_tree
from .load import Document, load_yaml
from .model import Sdk
from .render import environment, header_line, plan, render
from .resolve import Spec, check_openapi_root
from .write import MANIFEST, manifest_text


@dataclass(frozen=True)
class Inputs:
    spec: Path
    config: Path
    templates: Path | None = None


def load_inputs(inputs: Inputs) -> tuple[Spec, Document]:
    """Load both files, reporting the problems of both in one go."""
    problems = []
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
    spec, config_doc = load_inputs(inputs)
    reporter = Reporter()
    config = read_config(config_doc, reporter)
    check_openapi_root(spec, reporter)
    reporter.raise_if_any()
    return build_sdk(spec, config, inputs.spec.name, reporter)


def generate_files(inputs: Inputs) -> dict[str, str]:
    """Every output file, relative path -> content, formatted and with its header line."""
    if inputs.templates is not None and not inputs.templates.is_dir():
        from .diagnostics import Diagnostic, Location

        raise SpecError([Diagnostic(Location(str(inputs.templates), 1, 1),
                                    "--templates is not a directory",
                                    "point it at a folder of template overrides")])
    sdk = build(inputs)
    env = environment(inputs.templates)
    files = render(sdk, plan(sdk, env), env)
    files = format_tree(files)
    files[MANIFEST] = manifest_text(header_line(sdk, MANIFEST), [*files, MANIFEST])
    return files
