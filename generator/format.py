"""Stage 5b: format the rendered files with ruff, run once on a scratch copy of them.

Ruff runs isolated from any configuration file around the output, with the settings below,
so that the same input gives the same bytes wherever it is generated. The generated
package's own pyproject.toml declares the same settings for its users.
"""

from __future__ import annotations

import ast
import functools
import io
import shutil
import subprocess
import tempfile
import tokenize
import unicodedata
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
            text = (scratch / name).read_text(encoding="utf-8")
            formatted[name] = mark_long_strings(text) if name.endswith(".py") else text
        return formatted
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# What `ruff check` (E501) says of a long line, and how ruff measures one: East Asian wide
# characters (most emoji) count twice.
_LONG_LINE = "  # noqa: E501"


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def mark_long_strings(code: str) -> str:
    """`code` with `# noqa: E501` after each line that a string literal makes too long.

    The formatter cannot wrap a literal (a long default or description from the document), so
    such a line stays longer than the package's own `ruff check` allows; the comment says it
    is meant. The formatter does not count such a comment, so the output stays formatted.
    """
    lines = code.split("\n")
    if all(_width(line) <= LINE_LENGTH for line in lines):
        return code
    marked: set[int] = set()
    commented: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        row = token.start[0]
        if token.type == tokenize.COMMENT:
            commented.add(row)
        elif (
            token.type == tokenize.STRING
            and row == token.end[0]
            and _width(lines[row - 1]) > LINE_LENGTH
        ):
            marked.add(row)
    for row in sorted(marked - commented):
        lines[row - 1] += _LONG_LINE
    return "\n".join(lines)


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
