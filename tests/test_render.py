"""Rendering (generator/render.py): one round, after the response models exist, so that any
template may look at `sdk.models`; every output path comes from `layout`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sdkforge import layout
from sdkforge.pipeline import Inputs, build, generate_files, load_inputs
from sdkforge.render import environment, plan
from sdkforge.response_models import build_models

MODEL_USES = {
    "loop": "{% for m in sdk.models %}{{ m.stem }} {% endfor %}",
    "length": "{{ sdk.models | length }}",
    "test": "{% if sdk.models %}some{% else %}none{% endif %}",
    "index": "{{ sdk.models[0].stem }}",
    "membership": "{{ 'x' in sdk.models }}",
    "join": "{{ sdk.models | map(attribute='stem') | join(',') }}",
}


def test_the_plan_puts_each_file_where_layout_says(project_inputs: Inputs) -> None:
    sdk = build(project_inputs)
    outputs = [job.output for job in plan(sdk, environment(None))]
    assert len(outputs) == len(set(outputs))
    pkg = sdk.package.name
    for resource in sdk.resources:
        assert layout.output(pkg, layout.resource_path(resource.module)) in outputs
        assert layout.resource_test_path(resource.module) in outputs
    for module in sdk.type_modules:
        assert layout.output(pkg, module.path) in outputs
    assert layout.output(pkg, layout.runtime_path("runtime/_types.py")) in outputs
    assert {layout.README, layout.PYPROJECT, layout.TESTS_MOCK_SERVER} <= set(outputs)


@pytest.mark.parametrize("use", sorted(MODEL_USES))
def test_a_template_sees_the_response_models(
    use: str, tmp_path: Path, project_inputs: Inputs
) -> None:
    overrides = tmp_path / "templates" / "project"
    overrides.mkdir(parents=True)
    original = Path(__file__).parent.parent / "templates" / "project" / "README.md.jinja"
    overrides.joinpath("README.md.jinja").write_text(
        original.read_text(encoding="utf-8") + f"\nmodels: {MODEL_USES[use]}\n", encoding="utf-8"
    )
    inputs = replace(project_inputs, templates=tmp_path / "templates")
    files = generate_files(inputs)
    spec, _ = load_inputs(inputs)
    stems = [module.stem for module in build_models(spec, build(inputs))[1]]
    last = files["README.md"].rstrip("\n").splitlines()[-1]
    expected = {
        "loop": " ".join(stems) + " ",
        "length": str(len(stems)),
        "test": "some",
        "index": stems[0],
        "membership": "False",
        "join": ",".join(stems),
    }[use]
    assert last.rstrip() == f"models: {expected}".rstrip()
