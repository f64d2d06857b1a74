"""Generating an inline spec into a folder, and running ruff and mypy on what it wrote.

`write_inputs` writes a spec and a config (dedented; `{package}` in the config replaced by
the package name), `write_files` writes a generator's {relative path: text} under one or more
folders, and `generate_into` does both and runs the generator in between.

`mypy` runs `python -m mypy` with a cache kept for the whole test run (one a set of options,
and one a process, so that parallel workers never share one). A cold mypy spends most of
its time reading the standard library, httpx and pydantic again; with the cache it reads
them once a run and checks only the generated code, with the same verdicts.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sdkforge.pipeline import Inputs, generate_files

_cache_root: Path | None = None


@dataclass(frozen=True)
class FullOpenAI:
    """The shared corpus's whole OpenAI document, every operation configured as a method
    (one resource a first path segment), generated once with --skip-unsupported."""

    document: Path
    config: Path
    out: Path  # the generated tree: copy it before changing it
    err: str  # what the generator wrote to stderr


def write_inputs(folder: Path, spec: str, config: str, package: str | None = None) -> Inputs:
    """`openapi.yaml` and `sdk.yaml` in `folder` (made if missing); their Inputs."""
    folder.mkdir(parents=True, exist_ok=True)
    if package is not None:
        config = textwrap.dedent(config).replace("{package}", package)
    spec_path, config_path = folder / "openapi.yaml", folder / "sdk.yaml"
    spec_path.write_text(textwrap.dedent(spec), encoding="utf-8")
    config_path.write_text(textwrap.dedent(config), encoding="utf-8")
    return Inputs(spec_path, config_path)


def write_files(files: Mapping[str, str], *roots: Path, only: str = "") -> None:
    """Each file whose path starts with `only`, under every one of `roots`."""
    for name, text in files.items():
        if not name.startswith(only):
            continue
        for root in roots:
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


def generate_into(
    folder: Path, spec: str, config: str, package: str | None = None, out: Path | None = None
) -> Path:
    """Write the inputs into `folder`, generate them in-process into `out` (default
    `folder/out`) and return `out`."""
    out = folder / "out" if out is None else out
    write_files(generate_files(write_inputs(folder, spec, config, package)), out)
    return out


def use_mypy_cache_root(root: Path) -> None:
    """Where `mypy` keeps its caches from now on (the test session's temporary folder)."""
    global _cache_root
    _cache_root = root


def _cache_dir(options: Sequence[str]) -> Path:
    global _cache_root
    if _cache_root is None:  # outside a pytest session: a folder of this process's own
        _cache_root = Path(tempfile.mkdtemp(prefix="sdkforge-mypy-"))
    # mypy keeps one cache for one set of options: another set would overwrite it each time.
    key = hashlib.sha256("\0".join(options).encode()).hexdigest()[:12]
    return _cache_root / f"mypy-cache-{key}"


def mypy(
    *targets: str,
    cwd: Path,
    options: Sequence[str] = ("--strict",),
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python -m mypy OPTIONS TARGETS` in `cwd`, with the run's cache for `options`."""
    command = [sys.executable, "-m", "mypy", *options, "--cache-dir", str(_cache_dir(options))]
    return _run([*command, *targets], cwd, env)


# `ruff check` on its own settings, errors and pyflakes only, long lines let through (a
# description's long word makes one, not anything that breaks).
LINT_E_F = (
    "check",
    "--isolated",
    "--select",
    "E,F",
    "--ignore",
    "E501",
    "--output-format",
    "concise",
)


def ruff(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m ruff ARGS --no-cache` in `cwd` (the settings it finds from there)."""
    return _run([sys.executable, "-m", "ruff", *args, "--no-cache"], cwd, None)


def output(result: subprocess.CompletedProcess[str]) -> str:
    """What a failed tool said, for an assertion's message."""
    return result.stdout + result.stderr


def _run(
    command: Iterable[str], cwd: Path, env: Mapping[str, str] | None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(command),
        cwd=cwd,
        env=None if env is None else dict(env),
        capture_output=True,
        text=True,
        check=False,
    )
