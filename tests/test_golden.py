"""Golden trees: each case under tests/golden/ is generated and compared file by file.

A case folder holds `openapi.yaml`, `sdk.yaml` and `expected/`, the whole output tree.
`pytest tests/test_golden.py --update-goldens` rewrites the `expected/` trees; review the
change with `git diff tests/golden` before committing it.

The `image_api` case has no spec of its own: it reads the project's spec/openapi.yaml and
spec/sdk.yaml. A copy would be a thousand lines to keep in step by hand, and a stale copy
would let the shipped spec's output change unnoticed; reading spec/ directly means any edit
to the real spec shows up here as a reviewable golden diff.
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
from sdkforge.pipeline import Inputs

GOLDEN = Path(__file__).resolve().parent / "golden"
REPO_ROOT = GOLDEN.parent.parent
SPEC_BACKED = {
    "image_api": Inputs(REPO_ROOT / "spec" / "openapi.yaml", REPO_ROOT / "spec" / "sdk.yaml")
}
REQUIRED_CASES = {
    "image_api",
    "minimal",
    "parameters",
    "multipart_files",
    "streaming",
    "enums_nullable",
    "nested",
}


def _case_names() -> list[str]:
    return sorted(
        path.name
        for path in GOLDEN.iterdir()
        if path.is_dir() and not path.name.startswith((".", "_"))
    )


def _inputs(case: str) -> Inputs:
    if case in SPEC_BACKED:
        return SPEC_BACKED[case]
    return Inputs(GOLDEN / case / "openapi.yaml", GOLDEN / case / "sdk.yaml")


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


def test_every_required_case_is_present() -> None:
    assert set(_case_names()) >= REQUIRED_CASES


@pytest.mark.parametrize("case", _case_names())
def test_case_folder_is_complete(case: str) -> None:
    inputs = _inputs(case)
    assert inputs.spec.is_file() and inputs.config.is_file(), f"{case}: spec or config missing"
    if case in SPEC_BACKED:
        assert not (GOLDEN / case / "openapi.yaml").exists(), (
            f"{case} reads spec/ directly; a copied openapi.yaml here would be ignored"
        )


@pytest.mark.parametrize("case", _case_names())
def test_golden_tree(
    case: str,
    tmp_path: Path,
    update_goldens: bool,
    run_cli: Callable[..., Any],
    tree_reader: Callable[[Path], dict[str, str]],
) -> None:
    inputs = _inputs(case)
    out = tmp_path / "out"
    result = run_cli("generate", "--spec", inputs.spec, "--config", inputs.config, "--out", out)
    assert result.code == 0, f"{case}: generate failed:\n{result.err}"
    actual = tree_reader(out)
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
    problems = _tree_problems(tree_reader(expected_dir), actual)
    if problems:
        pytest.fail(
            f"golden case {case!r} differs from the generator's output (rerun with "
            "--update-goldens if the change is intended):\n\n" + "\n".join(problems),
            pytrace=False,
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
        out = tmp_path / f"seed-{seed}"
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
