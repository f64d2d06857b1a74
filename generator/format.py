"""Stage 5: format the rendered files with ruff, run on a scratch copy of them.

Ruff runs isolated from any configuration file around the output, with the settings below,
so that the same input gives the same bytes wherever it is generated. The generated
package's own pyproject.toml declares the same settings for its users.
"""

from __future__ import annotations

import ast
import functools
import json
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from .diagnostics import Diagnostic, Location, SpecError
from .write import check_relative_path

LINE_LENGTH = 100
TARGET_VERSION = "py310"
# Safe fixes only: sort imports and drop the ones a template emitted but did not use.
FIX_RULES = '["I001", "F401"]'

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


def format_tree(files: dict[str, str], first_party: str) -> dict[str, str]:
    """Return `files` with every Python file fixed and formatted; `first_party` is the
    generated package, whose imports sort apart from third-party ones."""
    with Formatting(files, first_party) as formatting:
        return formatting.result()


class Formatting:
    """Ruff at work on `files` in a scratch directory, on a thread of its own.

    Ruff is a separate process, so it runs on another core while this one goes on (the
    pipeline imports and runs datamodel-code-generator meanwhile); `result()` waits for it.
    Leaving the `with` block waits too, then removes the scratch directory, whether or not
    the result was wanted.
    """

    def __init__(self, files: dict[str, str], first_party: str) -> None:
        # Named, not detected: ruff would look for the module in the scratch directory,
        # which holds only part of the tree when formatting runs early.
        self._settings = (
            *_SETTINGS,
            "--config",
            f"lint.isort.known-first-party = {json.dumps([first_party])}",
        )
        self._files = dict(files)
        self._python = sorted(name for name in files if name.endswith(".py"))
        self._scratch = Path(tempfile.mkdtemp(prefix="sdkforge-format-"))
        self._runs: list[subprocess.CompletedProcess[str]] = []
        self._failure: BaseException | None = None
        self._thread: threading.Thread | None = None
        try:
            for name in self._python:
                check_relative_path(name)  # `root / "/x"` would be "/x"
                target = self._scratch / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(files[name], encoding="utf-8")
        except BaseException:
            shutil.rmtree(self._scratch, ignore_errors=True)
            raise
        if self._python:
            self._thread = threading.Thread(target=self._run, name="sdkforge-ruff", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            self._runs.append(
                _ruff(
                    [
                        "check",
                        *self._settings,
                        "--config",
                        f"lint.select = {FIX_RULES}",
                        "--fix",
                        "--exit-zero",
                        "--quiet",
                        "--no-cache",
                        ".",
                    ],
                    self._scratch,
                )
            )
            if self._runs[-1].returncode == 0:
                self._runs.append(
                    _ruff(["format", *self._settings, "--quiet", "--no-cache", "."], self._scratch)
                )
        except BaseException as error:  # handed to the thread that asks for the result
            self._failure = error

    def _wait(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def result(self) -> dict[str, str]:
        self._wait()
        if self._failure is not None:
            raise self._failure
        for run in self._runs:
            if run.returncode != 0:
                raise SpecError([_syntax_diagnostic(self._files, self._python, run.stderr)])
        formatted = dict(self._files)
        for name in self._python:
            formatted[name] = (self._scratch / name).read_text(encoding="utf-8")
        return formatted

    def __enter__(self) -> Formatting:
        return self

    def __exit__(self, *exc: object) -> None:
        self._wait()
        shutil.rmtree(self._scratch, ignore_errors=True)


def _syntax_diagnostic(files: dict[str, str], python: list[str], output: str) -> Diagnostic:
    """Rendered code that does not parse means a template produced invalid Python: name
    the generated file and the place, found by parsing each file."""
    hint = (
        "a template produced invalid Python; check templates overridden with --templates, "
        "or report it"
    )
    for name in python:
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
