"""Same input, same bytes: whatever the hash seed, however often it runs.

Sets and dicts iterate in an order that, for strings, depends on PYTHONHASHSEED; anything
that leaks that order into the output makes two machines disagree and `check` fail in CI.
So the generator runs in fresh interpreters under two seeds, and the trees are compared
byte for byte. A second run over its own output must then change nothing at all: not one
byte, and not one file's inode or modification time (editors, build tools and `make`
notice those).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sdkforge.cache import CACHE_DIR
from sdkforge.cli import main
from sdkforge.pipeline import Inputs, generate_files

REPO_ROOT = Path(__file__).resolve().parent.parent
SPEC = REPO_ROOT / "spec" / "openapi.yaml"
CONFIG = REPO_ROOT / "spec" / "sdk.yaml"


def _tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _generate_in_subprocess(out: Path, seed: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sdkforge",
            "generate",
            "--spec",
            str(SPEC),
            "--config",
            str(CONFIG),
            "--out",
            str(out),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO_ROOT)},
    )
    assert result.returncode == 0, result.stderr


def test_hash_seed_does_not_change_the_output(tmp_path: Path) -> None:
    # Named alike: the README's install line names the output folder.
    first_out, second_out = tmp_path / "seed0" / "out", tmp_path / "seed12345" / "out"
    _generate_in_subprocess(first_out, "0")
    _generate_in_subprocess(second_out, "12345")
    first, second = _tree(first_out), _tree(second_out)
    assert len(first) > 20
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    assert not differing


def test_two_runs_in_one_process_give_the_same_files() -> None:
    inputs = Inputs(SPEC, CONFIG)
    assert generate_files(inputs) == generate_files(inputs)


def _stats(root: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime in ns) of the directory and of everything in it."""
    entries = [root, *sorted(root.rglob("*"))]
    return {
        path.relative_to(root).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
        for path in entries
    }


def test_regenerating_an_unchanged_spec_touches_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    args = ["generate", "--spec", str(SPEC), "--config", str(CONFIG), "--out", str(out)]
    assert main(args) == 0
    assert capsys.readouterr().out.startswith(f"{out}: written")
    bytes_before, stats_before = _tree(out), _stats(out)

    assert main(args) == 0
    assert capsys.readouterr().out.startswith(f"{out}: unchanged")
    assert _tree(out) == bytes_before
    assert _stats(out) == stats_before
    # Nothing was staged beside it either.
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]


def test_regenerating_without_the_build_cache_touches_no_generated_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The build cache answers an unchanged run before anything is built; without it, the
    full pipeline runs and the writer itself must see that nothing changed."""
    out = tmp_path / "out"
    args = ["generate", "--spec", str(SPEC), "--config", str(CONFIG), "--out", str(out)]
    assert main(args) == 0
    shutil.rmtree(out / CACHE_DIR)
    # The root's own mtime changes when the cache directory comes back; everything else
    # is what the generator wrote.
    generated = {name: stat for name, stat in _stats(out).items() if name != "."}
    capsys.readouterr()

    assert main(args) == 0
    assert capsys.readouterr().out.startswith(f"{out}: unchanged")
    after = _stats(out)
    # The cache comes back; every file the generator wrote is the very same file.
    assert {name: after[name] for name in generated} == generated


def test_check_agrees_with_a_fresh_generation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["generate", "--spec", str(SPEC), "--config", str(CONFIG), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["check", "--spec", str(SPEC), "--config", str(CONFIG), "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"{out}: up to date\n"
