"""Golden trees: each case under tests/golden/ is generated and compared file by file.

A case folder holds `openapi.yaml`, `sdk.yaml` and `expected/`, the output tree less the files
copied verbatim from templates/ (the runtime modules and the mock-server helper): those are
the same in every tree, so one test checks that each output holds them as byte copies of
their templates, and the expected trees keep only what the spec shapes.
`pytest tests/test_golden.py --update-goldens` rewrites the `expected/` trees; review the
change with `git diff tests/golden` before committing it.

The image API's golden tree is `generated/` itself, the committed output of spec/: the test
below generates spec/ and compares it with generated/ as `sdkforge check` does. It is not
rewritten by `--update-goldens`; `sdkforge generate` rewrites generated/.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from sdkforge.pipeline import Inputs, generate_files

GOLDEN = Path(__file__).resolve().parent / "golden"
REPO_ROOT = GOLDEN.parent.parent
TEMPLATES = REPO_ROOT / "templates"
GENERATED = REPO_ROOT / "generated"
MANIFEST = ".sdkforge-manifest"
IMAGE_API = Inputs(REPO_ROOT / "spec" / "openapi.yaml", REPO_ROOT / "spec" / "sdk.yaml")
REQUIRED_CASES = {
    "minimal",
    "parameters",
    "multipart_files",
    "streaming",
    "enums_nullable",
    "nested",
    "auth_header",
    "resource_tree",
    "paginated_list",
    "polled_job",
    "snake_case_naming",
}


def _case_names() -> list[str]:
    return sorted(
        path.name
        for path in GOLDEN.iterdir()
        if path.is_dir() and not path.name.startswith((".", "_"))
    )


def _inputs(case: str) -> Inputs:
    if case == "image_api":
        return IMAGE_API
    return Inputs(GOLDEN / case / "openapi.yaml", GOLDEN / case / "sdk.yaml")


def verbatim_templates(package: str) -> dict[str, Path]:
    """Output path -> the template copied there as it is: the runtime modules go into the
    package, the test helpers (`tests/_*.py`) beside the generated tests."""
    runtime = TEMPLATES / "runtime"
    copies = {
        f"{package}/{path.relative_to(runtime).as_posix()}": path
        for path in runtime.rglob("*.py")
        if "__pycache__" not in path.parts
    }
    copies.update({f"tests/{path.name}": path for path in (TEMPLATES / "tests").glob("_*.py")})
    return dict(sorted(copies.items()))


def _package(inputs: Inputs) -> str:
    config = yaml.safe_load(inputs.config.read_text(encoding="utf-8"))
    return str(config["package"])


def _tree_problems(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    problems = []
    for name in sorted(expected.keys() - actual.keys()):
        problems.append(f"missing (expected but not generated): {name}")
    for name in sorted(actual.keys() - expected.keys()):
        problems.append(f"extra (generated but not expected): {name}")
    for name in sorted(expected.keys() & actual.keys()):
        if expected[name] != actual[name]:
            diff = "".join(
                difflib.unified_diff(
                    expected[name].splitlines(keepends=True),
                    actual[name].splitlines(keepends=True),
                    fromfile=f"expected/{name}",
                    tofile=f"generated/{name}",
                )
            )
            problems.append(f"differs: {name}\n{diff}")
    return problems


def _fail(what: str, problems: list[str], hint: str) -> None:
    if problems:
        pytest.fail(
            f"{what} differs from the generator's output ({hint}):\n\n" + "\n".join(problems),
            pytrace=False,
        )


def test_every_required_case_is_present() -> None:
    assert set(_case_names()) >= REQUIRED_CASES
    assert "image_api" not in _case_names(), "the image API's golden tree is generated/"


@pytest.mark.parametrize("case", _case_names())
def test_case_folder_is_complete(case: str) -> None:
    inputs = _inputs(case)
    assert inputs.spec.is_file() and inputs.config.is_file(), f"{case}: spec or config missing"


@pytest.mark.parametrize("case", _case_names())
def test_golden_tree(
    case: str,
    tmp_path: Path,
    update_goldens: bool,
    run_cli: Callable[..., Any],
    tree_reader: Callable[[Path], dict[str, str]],
) -> None:
    inputs = _inputs(case)
    # Named as generated/ is: the README's install line names the output folder.
    out = tmp_path / "generated"
    result = run_cli("generate", "--spec", inputs.spec, "--config", inputs.config, "--out", out)
    assert result.code == 0, f"{case}: generate failed:\n{result.err}"
    copies = verbatim_templates(_package(inputs))
    generated = tree_reader(out)
    assert copies.keys() <= generated.keys(), f"{case}: a runtime module is not generated"
    actual = {name: text for name, text in generated.items() if name not in copies}
    expected_dir = GOLDEN / case / "expected"
    if update_goldens:
        shutil.rmtree(expected_dir, ignore_errors=True)
        for name, text in actual.items():
            target = expected_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="")
        return
    assert expected_dir.is_dir(), (
        f"{case} has no expected/ tree: run `pytest tests/test_golden.py --update-goldens`"
    )
    _fail(
        f"golden case {case!r}",
        _tree_problems(tree_reader(expected_dir), actual),
        "rerun with --update-goldens if the change is intended",
    )


def test_generated_is_the_image_api_golden_tree(
    tree_reader: Callable[[Path], dict[str, str]],
) -> None:
    """generated/ is what spec/ produces, file for file; like `sdkforge check`, files on disk
    that the manifest does not list (pip's egg-info, say) are not the generator's."""
    files = generate_files(IMAGE_API)
    manifest = (GENERATED / MANIFEST).read_text(encoding="utf-8").splitlines()
    listed = {line for line in manifest if line and not line.startswith("#")}
    on_disk = {
        name: text for name, text in tree_reader(GENERATED).items() if name in listed | set(files)
    }
    _fail("generated/", _tree_problems(on_disk, files), "run `sdkforge generate`")


@pytest.mark.parametrize("case", ["image_api", *_case_names()])
def test_copied_files_are_their_templates_byte_for_byte(
    case: str, files_for: Callable[[Inputs], dict[str, str]]
) -> None:
    inputs = _inputs(case)
    files = files_for(inputs)
    header = f"# Generated by sdkforge from {inputs.spec.name}. Do not edit: regenerate instead.\n"
    copies = verbatim_templates(_package(inputs))
    assert len(copies) >= 10, "the runtime modules and the mock-server helper"
    for output, template in copies.items():
        assert files.get(output) == header + template.read_text(encoding="utf-8"), (
            f"{case}: {output} is not a copy of templates/{template.relative_to(TEMPLATES)}"
        )


def test_tree_comparison_reports_each_kind_of_difference() -> None:
    problems = _tree_problems({"a.py": "x = 1\n", "gone.py": ""}, {"a.py": "x = 2\n", "new.py": ""})
    text = "\n".join(problems)
    assert "missing (expected but not generated): gone.py" in text
    assert "extra (generated but not expected): new.py" in text
    assert "-x = 1" in text and "+x = 2" in text


@pytest.mark.parametrize("case", ["image_api", "nested"])
def test_output_does_not_depend_on_hash_seed(
    case: str, tmp_path: Path, tree_reader: Callable[[Path], dict[str, str]]
) -> None:
    """Set and dict ordering must never leak into the output (two runs, two hash seeds)."""
    inputs = _inputs(case)
    trees = []
    for seed in ("0", "4242"):
        out = tmp_path / f"seed-{seed}" / "generated"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "sdkforge",
                "generate",
                "--spec",
                str(inputs.spec),
                "--config",
                str(inputs.config),
                "--out",
                str(out),
            ],
            cwd=REPO_ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
            capture_output=True,
            text=True,
        )
        trees.append(tree_reader(out))
    assert _tree_problems(trees[0], trees[1]) == []
