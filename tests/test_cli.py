"""The command line: `generate`, `check`, exit codes 0/1/2, located errors, --templates."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sdkforge.pipeline import Inputs

LOCATED = re.compile(r"^(?P<file>[^\s:]+):(?P<line>\d+):(?P<col>\d+): error: .+")

Run = Callable[..., Any]


@pytest.fixture
def spec_copy(tmp_path: Path, project_inputs: Inputs) -> Inputs:
    """A private copy of the project's spec and config, free to edit."""
    folder = tmp_path / "spec"
    folder.mkdir()
    shutil.copy(project_inputs.spec, folder / "openapi.yaml")
    shutil.copy(project_inputs.config, folder / "sdk.yaml")
    return Inputs(folder / "openapi.yaml", folder / "sdk.yaml")


def _args(command: str, inputs: Inputs, out: Path, *extra: str | Path) -> list[str | Path]:
    return [command, "--spec", inputs.spec, "--config", inputs.config, "--out", out, *extra]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_generate_then_check_is_clean(run_cli: Run, spec_copy: Inputs, tmp_path: Path) -> None:
    out = tmp_path / "out"
    generated = run_cli(*_args("generate", spec_copy, out))
    assert generated.code == 0, generated.err
    assert "written" in generated.out
    checked = run_cli(*_args("check", spec_copy, out))
    assert (checked.code, checked.err) == (0, "")
    assert "up to date" in checked.out


def test_generating_twice_changes_nothing(run_cli: Run, spec_copy: Inputs, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli(*_args("generate", spec_copy, out)).code == 0
    again = run_cli(*_args("generate", spec_copy, out))
    assert again.code == 0
    assert "unchanged" in again.out


def test_edited_description_is_drift(run_cli: Run, spec_copy: Inputs, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli(*_args("generate", spec_copy, out)).code == 0
    _edit(
        spec_copy.spec,
        "Visual style of `dall-e-3` output.",
        "Visual style of the pictures, reworded for this test.",
    )
    drift = run_cli(*_args("check", spec_copy, out))
    assert drift.code == 1
    added = [line for line in drift.out.splitlines() if line.startswith("+")]
    assert any("reworded for this test" in line for line in added), drift.out
    assert any(
        line.startswith("--- ") and "image_generate_params.py" in line
        for line in drift.out.splitlines()
    )
    assert (
        f"run `sdkforge generate --spec {spec_copy.spec} --config {spec_copy.config} --out {out}`"
        in drift.err
    )

    assert run_cli(*_args("generate", spec_copy, out)).code == 0
    assert run_cli(*_args("check", spec_copy, out)).code == 0


def test_edited_enum_is_drift(run_cli: Run, spec_copy: Inputs, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli(*_args("generate", spec_copy, out)).code == 0
    _edit(
        spec_copy.spec,
        "            - vivid\n            - natural\n",
        "            - vivid\n            - natural\n            - sketchy\n",
    )
    drift = run_cli(*_args("check", spec_copy, out))
    assert drift.code == 1
    assert any(line.startswith("+") and "sketchy" in line for line in drift.out.splitlines())

    assert run_cli(*_args("generate", spec_copy, out)).code == 0
    params = (out / "imagesdk/types/image_generate_params.py").read_text()
    assert "'sketchy'" in params or '"sketchy"' in params
    assert run_cli(*_args("check", spec_copy, out)).code == 0


def test_check_of_a_missing_directory_is_drift(
    run_cli: Run, spec_copy: Inputs, tmp_path: Path
) -> None:
    result = run_cli(*_args("check", spec_copy, tmp_path / "nowhere"))
    assert result.code == 1
    assert "missing files" in result.out
    assert not (tmp_path / "nowhere").exists()


def test_check_notices_a_hand_edit(run_cli: Run, spec_copy: Inputs, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli(*_args("generate", spec_copy, out)).code == 0
    module = out / "imagesdk/types/image_model.py"
    module.write_text(module.read_text() + "EXTRA = 1\n")
    result = run_cli(*_args("check", spec_copy, out))
    assert result.code == 1
    assert "-EXTRA = 1" in result.out


def _assert_located_errors(err: str, expected_files: set[str]) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines, "no diagnostics printed"
    assert all(LOCATED.match(line) for line in lines), err
    assert {LOCATED.match(line).group("file") for line in lines} == expected_files  # type: ignore[union-attr]


def test_invalid_spec_and_config_exit_2_with_located_errors(
    run_cli: Run, spec_copy: Inputs, tmp_path: Path
) -> None:
    _edit(
        spec_copy.spec,
        "$ref: '#/components/schemas/ImageGenerateRequest'",
        "$ref: '#/components/schemas/ImageGenerateRequst'",
    )
    _edit(spec_copy.config, "package: imagesdk", "pakage: imagesdk")
    out = tmp_path / "out"
    for command in ("generate", "check"):
        result = run_cli(*_args(command, spec_copy, out))
        assert result.code == 2, result.err
        # one run reports what is wrong in both files
        _assert_located_errors(result.err, {str(spec_copy.spec), str(spec_copy.config)})
        assert "did you mean 'package'?" in result.err
        assert "'#/components/schemas/ImageGenerateRequst' points nowhere" in result.err
        assert not out.exists()


def test_yaml_errors_in_both_files_are_reported_together(
    run_cli: Run, spec_copy: Inputs, tmp_path: Path
) -> None:
    spec_copy.spec.write_text("openapi: 3.1.0\npaths: [\n", encoding="utf-8")
    spec_copy.config.write_text("package: a\npackage: b\n", encoding="utf-8")
    result = run_cli(*_args("generate", spec_copy, tmp_path / "out"))
    assert result.code == 2
    _assert_located_errors(result.err, {str(spec_copy.spec), str(spec_copy.config)})
    assert f"{spec_copy.config}:2:1: error: duplicate key 'package'" in result.err


def test_invalid_input_leaves_an_existing_tree_alone(
    run_cli: Run, spec_copy: Inputs, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run_cli(*_args("generate", spec_copy, out)).code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    _edit(spec_copy.spec, "openapi: 3.1.0", "openapi: 2.0.0")
    result = run_cli(*_args("generate", spec_copy, out))
    assert result.code == 2
    _assert_located_errors(result.err, {str(spec_copy.spec)})
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_template_override_changes_only_its_file(
    run_cli: Run,
    spec_copy: Inputs,
    repo_root: Path,
    tmp_path: Path,
    tree_reader: Callable[[Path], dict[str, str]],
) -> None:
    template = "types/__init__.py.jinja"
    overrides = tmp_path / "templates"
    (overrides / "types").mkdir(parents=True)
    original = (repo_root / "templates" / template).read_text(encoding="utf-8")
    (overrides / template).write_text(original + "\n# overridden by the user\n", encoding="utf-8")

    # Named alike: the README's install line names the output folder.
    plain, custom = tmp_path / "plain" / "out", tmp_path / "custom" / "out"
    assert run_cli(*_args("generate", spec_copy, plain)).code == 0
    assert run_cli(*_args("generate", spec_copy, custom, "--templates", overrides)).code == 0
    plain_files, custom_files = tree_reader(plain), tree_reader(custom)
    assert plain_files.keys() == custom_files.keys()
    changed = {name for name in plain_files if plain_files[name] != custom_files[name]}
    assert changed == {"imagesdk/types/__init__.py"}
    assert custom_files["imagesdk/types/__init__.py"].endswith("# overridden by the user\n")

    # check must use the same override to agree with what generate wrote
    assert run_cli(*_args("check", spec_copy, custom, "--templates", overrides)).code == 0
    assert run_cli(*_args("check", spec_copy, custom)).code == 1


def test_templates_option_must_be_a_directory(
    run_cli: Run, spec_copy: Inputs, tmp_path: Path
) -> None:
    result = run_cli(
        *_args("generate", spec_copy, tmp_path / "out", "--templates", tmp_path / "missing")
    )
    assert result.code == 2
    _assert_located_errors(result.err, {str(tmp_path / "missing")})
    assert not (tmp_path / "out").exists()


def test_unknown_command_is_a_usage_error(run_cli: Run) -> None:
    assert run_cli("frobnicate").code == 2
