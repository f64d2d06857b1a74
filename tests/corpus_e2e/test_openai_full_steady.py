"""The whole OpenAI document's generated package (`examples/openai/sdk.yaml`): its own
tests, every method sync and async with its required and with all its arguments, raw and
streamed, pass against the Steady mock server on the package's spec copy
(generator/mock_spec.py), none skipped."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

from .harness import STEADY

TIMEOUT = 1800  # seconds for the whole run; it takes a few minutes


def test_the_generated_tests_pass_against_steady(openai_full: tuple[Path, str]) -> None:
    out, _ = openai_full
    report = out / "generated-tests.xml"
    command = [sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider"]
    command += ["-o", "addopts=", f"--junitxml={report}"]
    env = {**os.environ, "PYTHONPATH": str(out), "STEADY_BIN": str(STEADY)}
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=out, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    seconds = time.perf_counter() - started
    suite = ElementTree.parse(report).getroot().find("testsuite")
    assert suite is not None, result.stdout[-8000:] + result.stderr[-2000:]
    total = int(suite.get("tests", 0))
    failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    skipped = int(suite.get("skipped", 0))
    print(f"openai-full generated tests: {total - failed}/{total} passed in {seconds:.0f} s")
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    # Thousands of tests, one per method and way of calling it: none may be left out.
    assert total > 2000 and failed == 0 and skipped == 0, result.stdout[-2000:]
