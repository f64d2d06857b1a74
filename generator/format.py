"""Stage 5b: format the rendered files with ruff, run once on a scratch copy of them.

Ruff runs isolated from any configuration file around the output, with the settings below,
so that the same input gives the same bytes wherever it is generated. The generated
package's own pyproject.toml declares the same settings for its users.
"""

from __future__ import annotations

import ast
import functools
import shutil
import subprocess
import tempfile
from pathlib import Path

from .diagnostics import Diagnostic, Location, SpecError
from .write import check_relative_path

LINE_LENGTH = 100
TARGET_VERSION = "py310"

_SETTINGS = (
    "--isolated",
    "--config",
    f"line-length = {LINE_LENGTH}",
    "--config",
    f'target-version = "{TARGET_VERSION}"',
)


@functools.cache
def _ruff_binary() -> str:
    """The pinned ruff's executable. Called directly: `python -m ruff` would start a second
    interpreter only to exec it, which costs more than ruff's own work on the whole tree."""
    try:
        from ruff import find_ruff_bin

        return find_ruff_bin()
    except (ImportError, FileNotFoundError):
        raise SpecError(
            [
                Diagnostic(
                    Location("<ruff>", 1, 1),
                    "ruff is not installed",
                    "install sdkforge with its dependencies",
                )
            ]
        ) from None


def _ruff(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_ruff_binary(), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def format_tree(files: dict[str, str]) -> dict[str, str]:
    """Return `files` with every Python file (and the Python blocks of every Markdown file)
    formatted, in one ruff run over a scratch copy.

    Formatting only: the imports come computed, already sorted, and nothing unused is
    emitted, so no lint fix has to run first.
    """
    # Markdown too: ruff formats its Python code blocks (the README's examples), and passes
    # over a block that is not Python.
    python = sorted(name for name in files if name.endswith((".py", ".md")))
    if not python:
        return dict(files)
    for name in python:
        check_relative_path(name)  # `root / "/x"` would be "/x"
    scratch = Path(tempfile.mkdtemp(prefix="sdkforge-format-"))
    try:
        for name in python:
            target = scratch / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(files[name], encoding="utf-8")
        run = _ruff(["format", *_SETTINGS, "--quiet", "--no-cache", "."], scratch)
        if run.returncode != 0:
            raise SpecError([_syntax_diagnostic(files, python, run.stderr)])
        formatted = dict(files)
        for name in python:
            formatted[name] = (scratch / name).read_text(encoding="utf-8")
        return formatted
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _syntax_diagnostic(files: dict[str, str], python: list[str], output: str) -> Diagnostic:
    """Rendered code that does not parse means a template produced invalid Python: name
    the generated file and the place, found by parsing each file."""
    hint = (
        "a template produced invalid Python; check templates overridden with --templates, "
        "or report it"
    )
    for name in (name for name in python if name.endswith(".py")):
        try:
            ast.parse(files[name], filename=name)
        except SyntaxError as error:
            return Diagnostic(
                Location(f"<generated>/{name}", error.lineno or 1, error.offset or 1),
                f"generated code does not parse: {error.msg}",
                hint,
            )
    first = output.strip().splitlines()[0] if output.strip() else "ruff failed"
    return Diagnostic(Location("<generated>", 1, 1), f"ruff failed: {first}", hint)
