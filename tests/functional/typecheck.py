"""`ruff check` and `mypy --strict` on a package a functional test generated."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from _generate import mypy, output, ruff


def assert_clean(sdk: ModuleType) -> None:
    """The generated package passes `ruff check` (its own settings) and `mypy --strict`."""
    root = Path(sdk.__file__ or "").parent
    out = root.parent
    lint = ruff("check", str(root), cwd=out)
    assert lint.returncode == 0, output(lint)
    types = mypy("-p", root.name, cwd=out)
    assert types.returncode == 0, output(types)
