"""Stage 5b: format the rendered files with ruff, run once on a scratch copy of them.

Ruff runs isolated from any configuration file around the output, with the settings below,
so that the same input gives the same bytes wherever it is generated. The generated
package's own pyproject.toml declares the same settings for its users.
"""

from __future__ import annotations

import ast
import bisect
import functools
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from .cache import Memo
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


def format_tree(files: dict[str, str], memo: Memo | None = None) -> dict[str, str]:
    """Return `files` with every Python file (and the Python blocks of every Markdown file)
    formatted, in one ruff run over a scratch copy.

    Formatting only: the imports come computed, already sorted, and nothing unused is
    emitted, so no lint fix has to run first. `memo` holds what earlier runs made of the
    same texts (ruff formats each file on its own): only the others go to ruff.
    """
    # Markdown too: ruff formats its Python code blocks (the README's examples), and passes
    # over a block that is not Python.
    memo = memo or Memo(None, "")
    for name in files:
        if name.endswith((".py", ".md")):
            check_relative_path(name)  # `root / "/x"` would be "/x"
    keys = {
        name: memo.key(name.rpartition(".")[2], text)
        for name, text in files.items()
        if name.endswith((".py", ".md"))
    }
    formatted = dict(files)
    for name, key in keys.items():
        found = memo.get(key)
        if isinstance(found, str):
            formatted[name] = found
    python = sorted(name for name in keys if not isinstance(memo.get(keys[name]), str))
    if not python:
        return formatted
    scratch = Path(tempfile.mkdtemp(prefix="sdkforge-format-", dir=scratch_parent()))
    try:
        for name in python:
            target = scratch / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(files[name], encoding="utf-8")
        run = _ruff(["format", *_SETTINGS, "--quiet", "--no-cache", "."], scratch)
        if run.returncode != 0:
            raise SpecError([_syntax_diagnostic(files, python, run.stderr)])
        for name in python:
            text = (scratch / name).read_text(encoding="utf-8")
            # Only Python is linted: Markdown keeps its long table rows as they are.
            formatted[name] = mark_long_lines(text) if name.endswith(".py") else text
            memo.put(keys[name], formatted[name])
        return formatted
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def scratch_parent() -> str | None:
    """Where the scratch copy goes: a tmpfs where there is one (and TMPDIR does not say
    otherwise), as a whole SDK's files written to a disk and deleted again cost seconds
    when the disk is busy; else the system's temporary folder."""
    shm = "/dev/shm"
    if "TMPDIR" not in os.environ and os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK):
        return shm
    return None


def mark_long_lines(text: str) -> str:
    """`text` with `# noqa: E501` after each line that ruff could not make short enough: a
    literal from the spec (a long enum value, default or description) or a long name cannot
    be broken without changing what it means. A string over several lines takes the comment
    after its end, which is where ruff reads it for all of its lines."""
    lines = text.splitlines(keepends=True)
    long = {n for n, line in enumerate(lines, 1) if _width(line.rstrip("\r\n")) > LINE_LENGTH}
    if not long:
        return text
    marked_at = {n: n for n in long}
    # Line numbers as a tokenizer counts them: by "\n" alone.
    breaks = [match.start() for match in _NEWLINE.finditer(text)]
    for match in _STRINGS_AND_COMMENTS.finditer(text):
        start, end = match.span()
        first = bisect.bisect_left(breaks, start) + 1
        if match.group().startswith("#"):
            column = start - (breaks[first - 2] + 1 if first > 1 else 0)
            if (
                match.group().startswith(_PRAGMAS)
                # Ruff does not count a trailing pragma comment in the line's length.
                and _width(lines[first - 1][:column].rstrip()) <= LINE_LENGTH
            ):
                marked_at.pop(first, None)
            continue
        last = bisect.bisect_left(breaks, end - 1) + 1
        for number in range(first, last):
            if number in marked_at:
                marked_at[number] = last
    for number in sorted(set(marked_at.values())):
        line = lines[number - 1]
        code = line.rstrip("\r\n")
        if "# noqa" not in code and not code.endswith("\\"):
            lines[number - 1] = f"{code}  # noqa: E501{line[len(code) :]}"
    return "".join(lines)


_NEWLINE = re.compile("\n")
# The tokens of formatted code that a long line can be part of, found by one regular
# expression rather than `tokenize` (pure Python, and most of the format stage on a large
# SDK): comments, and strings with any prefix, whose escapes (a raw string's too) never end
# them. What lies between is code, inside which no string or comment starts.
_STRINGS_AND_COMMENTS = re.compile(
    r"""\#[^\r\n]*
    | [rRbBuUfF]{0,2}\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
    | [rRbBuUfF]{0,2}'''(?:[^'\\]|\\.|'(?!''))*'''
    | [rRbBuUfF]{0,2}"(?:[^"\\\n]|\\.)*"
    | [rRbBuUfF]{0,2}'(?:[^'\\\n]|\\.)*'""",
    re.VERBOSE | re.DOTALL,
)


_PRAGMAS = ("# type:", "# noqa", "# pyright:", "# pylint:", "# ruff:")


def _width(line: str) -> int:
    """A line's length as ruff measures it: East Asian wide characters (most emoji) count
    twice."""
    if line.isascii():  # nearly every line: no character to look up
        return len(line)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


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
