"""sdkforge installed the ordinary way: a wheel built from the project, installed (not
editable) into a fresh virtual environment, run from a folder outside the repository,
generates the same tree as the editable install the other tests use.

To stay quick, the wheel is installed with `--no-deps` and the fresh environment borrows the
third-party packages of the environment running the tests through a `.pth` file (a path
added that way is not scanned for `.pth` files itself, so the editable install there stays
invisible). The wheel is built with pip's build isolation, which fetches the build backend
from the package index if pip has not cached it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
# What a source distribution of sdkforge holds: the wheel is built from a copy of these, so
# that building leaves nothing (build/, *.egg-info) in the working tree.
SOURCES = ("pyproject.toml", "README.md", "generator", "templates")


def _run(*command: str | Path, cwd: Path, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with sdkforge's wheel installed; its bin/ folder."""
    root = tmp_path_factory.mktemp("install")
    source = root / "source"
    source.mkdir()
    for name in SOURCES:
        copy = shutil.copytree if (REPO_ROOT / name).is_dir() else shutil.copy2
        copy(REPO_ROOT / name, source / name)
    pip = (sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet")
    _run(*pip, "wheel", "--no-deps", "--wheel-dir", root / "wheels", source, cwd=root)
    (wheel,) = (root / "wheels").glob("sdkforge-*.whl")
    venv = root / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=root)
    python = venv / "bin" / "python"
    purelib = Path(
        _run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=root
        ).strip()
    )
    (purelib / "borrowed-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    _run(*pip, "--python", python, "install", "--no-deps", wheel, cwd=root)
    return venv / "bin"


def test_the_installed_package_is_the_wheel_not_the_repository(installed: Path) -> None:
    where = _run(
        installed / "python",
        "-c",
        "import sdkforge, sdkforge.package_data as d; print(sdkforge.__file__); print(d.TEMPLATES)",
        cwd=installed,
    ).splitlines()
    venv = installed.parent
    assert all(Path(path).is_relative_to(venv) for path in where), where
    assert (Path(where[1]) / "runtime" / "_base_client.py").is_file(), "templates are shipped"


def test_the_installed_command_prints_its_version_and_the_config_schema(
    installed: Path, tmp_path: Path
) -> None:
    version = _run(installed / "sdkforge", "--version", cwd=tmp_path)
    assert version.startswith("sdkforge ")
    schema = _run(installed / "sdkforge", "schema", cwd=tmp_path)
    assert schema == (REPO_ROOT / "generator" / "sdk.schema.json").read_text(encoding="utf-8")


def test_the_command_generates_the_same_tree_from_another_folder(
    installed: Path,
    tmp_path: Path,
    run_cli: Callable[..., Any],
    tree_reader: Callable[[Path], dict[str, str]],
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    spec, config = REPO_ROOT / "spec" / "openapi.yaml", REPO_ROOT / "spec" / "sdk.yaml"
    out = _run(
        installed / "sdkforge",
        "generate",
        "--spec",
        spec,
        "--config",
        config,
        "--out",
        "generated",
        cwd=elsewhere,
    )
    assert "written" in out
    # Named alike: the README's install line names the output folder.
    editable = tmp_path / "editable" / "generated"
    assert run_cli("generate", "--spec", spec, "--config", config, "--out", editable).code == 0
    installed_tree = tree_reader(elsewhere / "generated")
    assert installed_tree == tree_reader(editable)
    assert "imagesdk/_base_client.py" in installed_tree


def test_python_dash_m_and_help_say_sdkforge(installed: Path, tmp_path: Path) -> None:
    usage = _run(installed / "python", "-m", "sdkforge", "--help", cwd=tmp_path)
    assert usage.startswith("usage: sdkforge"), usage
