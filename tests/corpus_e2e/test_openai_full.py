"""The whole OpenAI document with our SDK-shaped config (`examples/openai/sdk.yaml`, every
operation at the OpenAI SDK's dotted path, its pages, binary answers and optional headers): it
generates without `--skip-unsupported`, and the package and its tests pass `ruff check` and
`mypy --strict`. The package's own tests against Steady: test_openai_full_steady.py. The
package is generated once for both (`openai_full`, conftest.py).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TIMEOUT = 900  # seconds for one lint or type-check run


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def test_every_operation_generates_and_passes_ruff(openai_full: tuple[Path, str]) -> None:
    out, _ = openai_full
    lint = _run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], out)
    assert lint.returncode == 0, lint.stdout[-8000:] + lint.stderr[-2000:]


def test_the_package_and_its_tests_pass_mypy_strict(
    openai_full: tuple[Path, str], tmp_path: Path
) -> None:
    out, package = openai_full
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path)]
    types = _run([*command, package, "tests"], out)
    assert types.returncode == 0, types.stdout[-8000:] + types.stderr[-2000:]
