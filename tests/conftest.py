"""Shared fixtures for the generator's own tests.

Everything here is about running sdkforge itself; tests of a generated package live beside
that package (`generated/tests/`) and bring their own conftest.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    # The generator is run from a checkout, not installed: make `import generator` work
    # however pytest was started.
    sys.path.insert(0, str(REPO_ROOT))

from generator.cli import main as cli_main  # noqa: E402
from generator.pipeline import Inputs, generate_files  # noqa: E402

# The expected trees are generator output, not tests: pytest must not collect the
# generated packages' own tests and conftests found inside them.
collect_ignore = ["golden"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite tests/golden/<case>/expected/ from the current generator instead of "
        "comparing against it",
    )


@pytest.fixture(scope="session")
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def project_inputs() -> Inputs:
    """The project's own spec and config (spec/openapi.yaml, spec/sdk.yaml)."""
    return Inputs(REPO_ROOT / "spec" / "openapi.yaml", REPO_ROOT / "spec" / "sdk.yaml")


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run `python -m generator ARGS` in-process; returns exit code and captured output."""

    def run(*args: str | Path) -> CliResult:
        capsys.readouterr()
        try:
            code = cli_main([str(arg) for arg in args])
        except SystemExit as exit_:  # argparse usage errors
            code = exit_.code if isinstance(exit_.code, int) else 2
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def write_inputs(tmp_path: Path) -> Callable[..., Inputs]:
    """Write an inline spec and config (dedented) into tmp_path; returns their Inputs."""

    def write(spec: str, config: str, name: str = "case") -> Inputs:
        folder = tmp_path / name
        folder.mkdir(parents=True, exist_ok=True)
        spec_path = folder / "openapi.yaml"
        config_path = folder / "sdk.yaml"
        spec_path.write_text(textwrap.dedent(spec), encoding="utf-8")
        config_path.write_text(textwrap.dedent(config), encoding="utf-8")
        return Inputs(spec_path, config_path)

    return write


@pytest.fixture(scope="session")
def project_output(tmp_path_factory: pytest.TempPathFactory,
                   project_inputs: Inputs) -> Iterator[Path]:
    """The project's spec generated once, with the real CLI, into a session tmp dir."""
    out = tmp_path_factory.mktemp("project") / "out"
    code = cli_main(["generate", "--spec", str(project_inputs.spec),
                     "--config", str(project_inputs.config), "--out", str(out)])
    assert code == 0, "generating the project's own spec failed"
    yield out


def read_tree(root: Path) -> dict[str, str]:
    """Every file under `root` (relative POSIX path -> text), tool caches left out."""
    skip = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file() and not skip & set(path.relative_to(root).parts)
    }


@pytest.fixture(scope="session")
def tree_reader() -> Callable[[Path], dict[str, str]]:
    return read_tree


@pytest.fixture(scope="session")
def files_for() -> Callable[[Inputs], dict[str, str]]:
    """The generator's in-process pipeline: Inputs -> {relative path: content}."""
    return generate_files
