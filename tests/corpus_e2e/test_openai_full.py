"""The whole OpenAI document with our SDK-shaped config (`examples/openai/sdk.yaml`, every
operation at the OpenAI SDK's dotted path, its pages, binary answers and optional headers): it
generates without `--skip-unsupported`, and the package and its tests pass `ruff check` and
`mypy --strict`. The package's own tests against Steady are left out here: over 288
operations they take about fifteen minutes (run them by hand with `pytest tests` in the
output and `STEADY_BIN` set).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sdkforge.pipeline import Inputs, run

from .harness import CORPUS, ROOT

SPEC = CORPUS / "openai-full.openapi.yaml"
TIMEOUT = 900  # seconds for one lint or type-check run


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    if not SPEC.is_file():
        pytest.skip(f"the shared corpus is not present at {CORPUS}")
    folder = tmp_path_factory.mktemp("openai-full")
    config = ROOT / "examples" / "openai" / "sdk.yaml"
    output = run(Inputs(SPEC, config))  # raises the located errors of any unsupported method
    out = folder / "out"
    for path, text in output.files.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(text, encoding="utf-8")
    assert output.sdk is not None
    return out, output.sdk.package.name


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def test_every_operation_generates_and_passes_ruff(generated: tuple[Path, str]) -> None:
    out, _ = generated
    lint = _run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], out)
    assert lint.returncode == 0, lint.stdout[-8000:] + lint.stderr[-2000:]


def test_the_package_and_its_tests_pass_mypy_strict(
    generated: tuple[Path, str], tmp_path: Path
) -> None:
    out, package = generated
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path)]
    types = _run([*command, package, "tests"], out)
    assert types.returncode == 0, types.stdout[-8000:] + types.stderr[-2000:]
