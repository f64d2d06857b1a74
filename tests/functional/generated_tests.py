"""Run the tests a functional test's package was generated with, against the Steady mock
server on its own copy of the spec, as a user of the package would run them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

STEADY = Path(__file__).resolve().parents[2] / "node_modules" / ".bin" / "steady"
TIMEOUT = 600  # seconds for one package's tests


def assert_generated_tests_pass(sdk: ModuleType) -> None:
    """The package's `tests/` pass against Steady (none skipped)."""
    out = Path(sdk.__file__ or "").parent.parent
    command = [sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider"]
    command += ["-o", "addopts=", "-rs"]
    env = {**os.environ, "PYTHONPATH": str(out), "STEADY_BIN": str(STEADY)}
    result = subprocess.run(
        command, cwd=out, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    summary = result.stdout[-6000:] + result.stderr[-2000:]
    assert result.returncode == 0, summary
    assert " passed" in result.stdout and "skipped" not in result.stdout, summary
