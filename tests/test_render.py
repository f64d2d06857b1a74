"""Rendering in two rounds: what needs no response models is rendered (and formatted) while
they are made; a template that looks at `sdk.models` in any way waits for them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sdkforge.model import ModelModule
from sdkforge.pipeline import Inputs, _models, build, generate_files, load_inputs
from sdkforge.render import environment, plan, render, render_without_models

MODEL_USES = {
    "loop": "{% for m in sdk.models %}{{ m.stem }} {% endfor %}",
    "length": "{{ sdk.models | length }}",
    "test": "{% if sdk.models %}some{% else %}none{% endif %}",
    "index": "{{ sdk.models[0].stem }}",
    "membership": "{{ 'x' in sdk.models }}",
    "join": "{{ sdk.models | map(attribute='stem') | join(',') }}",
}


def test_the_built_in_templates_put_off_only_the_types_index(project_inputs: Inputs) -> None:
    sdk = build(project_inputs)
    early, put_off = render_without_models(sdk, environment(None))
    assert put_off == {"imagesdk/types/__init__.py"}
    assert "imagesdk/resources/images.py" in early
    assert not early.keys() & put_off


def test_early_files_are_those_rendered_with_the_models(project_inputs: Inputs) -> None:
    sdk = build(project_inputs)
    env = environment(None)
    early, _ = render_without_models(sdk, env)
    later = replace(sdk, models=_model_modules(project_inputs))
    full = render(later, plan(later, env), env)
    assert {name: full[name] for name in early} == early


def _model_modules(inputs: Inputs) -> tuple[ModelModule, ...]:
    return _models(inputs, load_inputs(inputs), build(inputs), None, None)[2]


@pytest.mark.parametrize("use", sorted(MODEL_USES))
def test_any_look_at_the_models_waits_for_them(
    use: str, tmp_path: Path, project_inputs: Inputs
) -> None:
    overrides = tmp_path / "templates" / "project"
    overrides.mkdir(parents=True)
    original = Path(__file__).parent.parent / "templates" / "project" / "README.md.jinja"
    overrides.joinpath("README.md.jinja").write_text(
        original.read_text(encoding="utf-8") + f"\nmodels: {MODEL_USES[use]}\n", encoding="utf-8"
    )
    inputs = replace(project_inputs, templates=tmp_path / "templates")
    sdk = build(inputs)
    _, put_off = render_without_models(sdk, environment(inputs.templates))
    assert "README.md" in put_off
    readme = generate_files(inputs)["README.md"]
    last = readme.rstrip("\n").splitlines()[-1]
    stems = [m.stem for m in _model_modules(inputs)]
    expected = {
        "loop": " ".join(stems) + " ",
        "length": str(len(stems)),
        "test": "some",
        "index": stems[0],
        "membership": "False",
        "join": ",".join(stems),
    }[use]
    assert last.rstrip() == f"models: {expected}".rstrip()
