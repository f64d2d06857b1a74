"""Stage 5: format the whole rendered tree with ruff, in one pass over a scratch directory.

Ruff runs isolated from any configuration file around the output, with the settings below,
so that the same input gives the same bytes wherever it is generated. The generated
package's own pyproject.toml declares the same settings for its users.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tempfile
from pathlib import Path

from .diagnostics import Diagnostic, Location, SpecError
from .write import check_relative_path

LINE_LENGTH = 100
TARGET_VERSION = "py310"
# Safe fixes only: sort imports and drop the ones a template emitted but did not use.
FIX_RULES = '["I001", "F401"]'

_SETTINGS = (
    "--isolated",
    "--config", f"line-length = {LINE_LENGTH}",
    "--config", f'target-version = "{TARGET_VERSION}"',
)


def _ruff(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def format_tree(files: dict[str, str]) -> dict[str, str]:
    """Return `files` with every Python file fixed and formatted."""
    python = sorted(name for name in files if name.endswith(".py"))
    if not python:
        return dict(files)
    with tempfile.TemporaryDirectory(prefix="sdkforge-format-") as scratch:
        root = Path(scratch)
        for name in python:
            check_relative_path(name)  # `root / "/x"` would be "/x"
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(files[name], encoding="utf-8")
        check = _ruff(["check", *_SETTINGS, "--config", f"lint.select = {FIX_RULES}",
                       "--fix", "--exit-zero", "--quiet", "--no-cache", "."], root)
        fmt = _ruff(["format", *_SETTINGS, "--quiet", "--no-cache", "."], root)
        for result in (check, fmt):
            if result.returncode != 0:
                raise SpecError([_syntax_diagnostic(files, python, result.stderr)])
        formatted = dict(files)
        for name in python:
            formatted[name] = (root / name).read_text(encoding="utf-8")
    return formatted


def _syntax_diagnostic(files: dict[str, str], python: list[str], output: str) -> Diagnostic:
    """Rendered code that does not parse means a template produced invalid Python: name
    the generated file and the place, found by parsing each file."""
    hint = ("a template produced invalid Python; check templates overridden with --templates, "
            "or report it")
    for name in python:
        try:
            ast.parse(files[name], filename=name)
        except SyntaxError as error:
            return Diagnostic(Location(f"<generated>/{name}", error.lineno or 1,
                                       error.offset or 1),
                              f"generated code does not parse: {error.msg}", hint)
    first = output.strip().splitlines()[0] if output.strip() else "ruff failed"
    return Diagnostic(Location("<generated>", 1, 1), f"ruff failed: {first}", hint)
