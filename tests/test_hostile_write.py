"""Stage 6 and foreign files: regenerating changes the generator's files, nothing else.

Nothing the manifest does not list is deleted, moved or changed in mode: a `*.egg-info`
folder from `pip install -e`, empty folders, a private (0700) folder, a symlink. The files
and folders the generator wrote keep the modes they were given.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sdkforge.cli import main
from sdkforge.write import MANIFEST, manifest_text, write_tree

HEADER = "# test manifest\n"


def _tree(files: dict[str, str]) -> dict[str, str]:
    return {**files, MANIFEST: manifest_text(HEADER, [*files, MANIFEST])}


FIRST = _tree({"pkg/__init__.py": "A = 1\n", "pkg/types/a.py": "x = 1\n", "README.md": "hi\n"})
# Changes one file and drops pkg/types/a.py, so that the tree is rewritten and pkg/types
# holds no file of the generator's any more.
SECOND = _tree({"pkg/__init__.py": "A = 2\n", "README.md": "hi\n"})


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def out(tmp_path: Path) -> Iterator[Path]:
    umask = os.umask(0o022)
    out = tmp_path / "out"
    write_tree(FIRST, out, force=False)
    yield out
    os.umask(umask)


def test_egg_info_folder_is_kept_with_its_files(out: Path) -> None:
    egg = out / "pkg.egg-info"
    egg.mkdir()
    (egg / "PKG-INFO").write_text("Name: pkg\n")
    inode = (egg / "PKG-INFO").stat().st_ino
    assert write_tree(SECOND, out, force=False) is True
    assert (egg / "PKG-INFO").read_text() == "Name: pkg\n"
    assert (egg / "PKG-INFO").stat().st_ino == inode


@pytest.mark.parametrize("where", ["empty", "pkg/empty", "pkg/types/empty", "a/b/c"])
def test_empty_folders_are_kept(out: Path, where: str) -> None:
    (out / where).mkdir(parents=True)
    write_tree(SECOND, out, force=False)
    assert (out / where).is_dir()
    assert list((out / where).iterdir()) == []


@pytest.mark.parametrize("where", ["private", "pkg/private", "pkg/types/private"])
def test_private_folder_stays_private(out: Path, where: str) -> None:
    folder = out / where
    folder.mkdir()
    (folder / "secret.txt").write_text("s\n")
    folder.chmod(0o700)
    write_tree(SECOND, out, force=False)
    assert _mode(folder) == 0o700
    assert (folder / "secret.txt").read_text() == "s\n"


def test_folder_modes_of_the_generators_folders_are_kept(out: Path) -> None:
    (out / "pkg").chmod(0o750)
    write_tree(SECOND, out, force=False)
    assert _mode(out / "pkg") == 0o750


def test_unusual_folder_modes_are_kept_exactly(out: Path) -> None:
    folder = out / "shared"
    folder.mkdir()
    folder.chmod(0o2775)  # setgid, group-writable: what a shared checkout uses
    write_tree(SECOND, out, force=False)
    assert _mode(folder) == 0o2775


@pytest.mark.parametrize("mode", [0o600, 0o755, 0o640])
def test_generated_file_keeps_the_mode_it_was_given(out: Path, mode: int) -> None:
    (out / "pkg/__init__.py").chmod(mode)
    write_tree(SECOND, out, force=False)
    assert (out / "pkg/__init__.py").read_text() == "A = 2\n"
    assert _mode(out / "pkg/__init__.py") == mode


def test_new_generated_file_gets_an_ordinary_mode(out: Path) -> None:
    write_tree(_tree({**SECOND, "pkg/new.py": "n = 1\n"}), out, force=False)
    assert _mode(out / "pkg/new.py") == 0o644


def test_folder_left_empty_by_the_generator_goes(out: Path) -> None:
    write_tree(SECOND, out, force=False)
    assert not (out / "pkg/types").exists()


def test_folder_of_ours_holding_a_foreign_file_stays(out: Path) -> None:
    (out / "pkg/types/mine.py").write_text("# mine\n")
    (out / "pkg/types").chmod(0o700)
    write_tree(SECOND, out, force=False)
    assert (out / "pkg/types/mine.py").read_text() == "# mine\n"
    assert not (out / "pkg/types/a.py").exists()
    assert _mode(out / "pkg/types") == 0o700


def test_symlinks_are_kept_as_symlinks(out: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "f.txt").write_text("far\n")
    (out / "link").symlink_to(elsewhere)
    (out / "dangling").symlink_to(tmp_path / "nothing")
    write_tree(SECOND, out, force=False)
    assert os.readlink(out / "link") == str(elsewhere)
    assert os.readlink(out / "dangling") == str(tmp_path / "nothing")
    assert (elsewhere / "f.txt").read_text() == "far\n"


def test_foreign_file_mode_and_inode_are_kept(out: Path) -> None:
    script = out / "run.sh"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o750)
    inode = script.stat().st_ino
    write_tree(SECOND, out, force=False)
    assert _mode(script) == 0o750
    assert script.stat().st_ino == inode


def test_force_into_a_foreign_tree_keeps_its_folders(tmp_path: Path) -> None:
    out = tmp_path / "project"
    (out / "docs" / "empty").mkdir(parents=True)
    (out / "docs").chmod(0o700)
    (out / "notes.txt").write_text("n\n")
    write_tree(FIRST, out, force=True)
    assert (out / "docs" / "empty").is_dir()
    assert _mode(out / "docs") == 0o700
    assert (out / "pkg/__init__.py").read_text() == "A = 1\n"


# The valid echo API pair the bad-input cases break.
PAIR = Path(__file__).resolve().parent / "bad_specs" / "ref_points_nowhere"


def test_regenerating_from_the_command_line_keeps_foreign_folders(tmp_path: Path) -> None:
    spec, config, out = tmp_path / "openapi.yaml", tmp_path / "sdk.yaml", tmp_path / "out"
    original = (
        (PAIR / "openapi.yaml").read_text(encoding="utf-8").replace("EchoRequst", "EchoRequest")
    )
    spec.write_text(original)
    config.write_text((PAIR / "sdk.yaml").read_text(encoding="utf-8"))
    arguments = ["generate", "--spec", str(spec), "--config", str(config), "--out", str(out)]
    assert main(arguments) == 0
    # What `pip install -e out` and a user leave behind.
    (out / "echosdk.egg-info").mkdir()
    (out / "echosdk.egg-info" / "SOURCES.txt").write_text("echosdk/__init__.py\n")
    (out / "build").mkdir()
    (out / "keys").mkdir(mode=0o700)
    (out / "keys").chmod(0o700)
    assert "The text that was sent." in original
    spec.write_text(original.replace("The text that was sent.", "The changed text."))
    assert main(arguments) == 0
    assert (out / "echosdk.egg-info" / "SOURCES.txt").read_text() == "echosdk/__init__.py\n"
    assert (out / "build").is_dir()
    assert _mode(out / "keys") == 0o700
    assert "The changed text." in "".join(p.read_text() for p in out.rglob("*.py"))
    assert main(["check", *arguments[1:]]) == 0
