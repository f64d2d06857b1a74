"""`ruff check` and `mypy --strict` on a package a functional test generated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import ModuleType


def assert_clean(sdk: ModuleType) -> None:
    """The generated package passes `ruff check` (its own settings) and `mypy --strict`."""
    root = Path(sdk.__file__ or "").parent
    out = root.parent
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", str(root)],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    types = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", root.name],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert types.returncode == 0, types.stdout + types.stderr
