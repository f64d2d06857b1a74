"""Reading a generated tree back, for tests that compare two of them."""

from __future__ import annotations

from pathlib import Path


def read_tree(root: Path) -> dict[str, str]:
    """Every file under `root` (relative POSIX path -> text), tool caches left out."""
    skip = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".sdkforge-cache"}
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file() and not skip & set(path.relative_to(root).parts)
    }
