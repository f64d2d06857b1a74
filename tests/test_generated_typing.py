"""mypy --strict on the generated package and on scripts that use it as a user would."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from _generate import mypy

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
SCRIPTS = Path(__file__).resolve().parent / "typing"


def _mypy(*targets: Path) -> subprocess.CompletedProcess[str]:
    options = ["--strict", "--python-version", "3.10", "--show-error-codes"]
    options += ["--no-error-summary", "--config-file", os.devnull]
    env = {**os.environ, "MYPYPATH": str(GENERATED)}
    return mypy(*map(str, targets), cwd=ROOT, options=options, env=env)


def test_generated_package_passes_mypy_strict() -> None:
    result = _mypy(GENERATED / "imagesdk")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_overload_types_as_documented() -> None:
    result = _mypy(SCRIPTS / "user_script.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_wrong_argument_names_and_literals_are_type_errors() -> None:
    script = SCRIPTS / "wrong_calls.py"
    expected = {
        number: match.group(1)
        for number, line in enumerate(script.read_text().splitlines(), start=1)
        if (match := re.search(r"# E: ([\w-]+)", line))
    }
    result = _mypy(script)
    reported: dict[int, set[str]] = {}
    for line in result.stdout.splitlines():
        match = re.match(rf"(?:.*/)?{re.escape(script.name)}:(\d+): error: .*\[([\w-]+)\]$", line)
        if match:
            reported.setdefault(int(match.group(1)), set()).add(match.group(2))
    assert set(reported) == set(expected), result.stdout
    for number, code in expected.items():
        assert code in reported[number], (number, result.stdout)
