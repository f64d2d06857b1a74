"""Stage 6, write: the output tree is swapped in whole, or not at all, and files the
generator did not write are left alone."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sdkforge.format
import sdkforge.pipeline
import sdkforge.write
from sdkforge.diagnostics import SpecError
from sdkforge.pipeline import Inputs
from sdkforge.write import MANIFEST, compare, manifest_text, read_manifest, write_tree

HEADER = "# test manifest\n"


def _tree(files: dict[str, str]) -> dict[str, str]:
    """`files` plus the manifest, as `generate_files` returns them."""
    return {**files, MANIFEST: manifest_text(HEADER, [*files, MANIFEST])}


FIRST = _tree({"pkg/__init__.py": "A = 1\n", "pkg/types/a.py": "x = 1\n", "README.md": "hi\n"})


def _snapshot(root: Path) -> dict[str, tuple[int, int, bytes]]:
    """relative path -> (inode, mtime_ns, content) for every file under root."""
    result = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            stat = path.stat()
            result[path.relative_to(root).as_posix()] = (
                stat.st_ino,
                stat.st_mtime_ns,
                path.read_bytes(),
            )
    return result


def _contents(root: Path) -> dict[str, str]:
    return {name: data.decode() for name, (_, _, data) in _snapshot(root).items()}


def _leftovers(parent: Path, out: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name != out.name)


def test_writes_a_new_directory(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "out"
    assert write_tree(FIRST, out, force=False) is True
    assert _contents(out) == FIRST
    assert read_manifest(out) == set(FIRST)
    assert _leftovers(out.parent, out) == []  # no staging directory left behind


def test_regenerating_the_same_output_touches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(FIRST, out, force=False)
    before = _snapshot(out)
    dir_inode = out.stat().st_ino
    assert write_tree(dict(FIRST), out, force=False) is False
    assert _snapshot(out) == before
    assert out.stat().st_ino == dir_inode


def test_changed_output_replaces_the_tree(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(FIRST, out, force=False)
    second = _tree(
        {
            **{k: v for k, v in FIRST.items() if k != MANIFEST},
            "pkg/types/a.py": "x = 2\n",
            "pkg/types/b.py": "y = 1\n",
        }
    )
    assert write_tree(second, out, force=False) is True
    assert _contents(out) == second
    assert _leftovers(tmp_path, out) == []


def test_files_no_longer_produced_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(FIRST, out, force=False)
    second = _tree({"pkg/__init__.py": "A = 1\n", "README.md": "hi\n"})
    write_tree(second, out, force=False)
    assert not (out / "pkg/types/a.py").exists()
    assert _contents(out) == second


def test_files_the_generator_did_not_write_are_kept_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(FIRST, out, force=False)
    (out / "NOTES.txt").write_text("mine\n")
    (out / "pkg/types/custom.py").write_text("# my own helper\n")
    (out / "pkg/__pycache__").mkdir()
    (out / "pkg/__pycache__/x.pyc").write_bytes(b"\x00cache")
    before = _snapshot(out)
    second = _tree(
        {**{k: v for k, v in FIRST.items() if k != MANIFEST}, "pkg/__init__.py": "A = 2\n"}
    )
    assert write_tree(second, out, force=False) is True
    after = _snapshot(out)
    for name in ("NOTES.txt", "pkg/types/custom.py", "pkg/__pycache__/x.pyc"):
        assert after[name][0] == before[name][0], f"{name} was copied, not kept"
        assert after[name][2] == before[name][2]
    assert after["pkg/__init__.py"][2] == b"A = 2\n"


def test_foreign_files_do_not_count_as_drift(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(FIRST, out, force=False)
    (out / "NOTES.txt").write_text("mine\n")
    (out / "pkg/__pycache__").mkdir()
    (out / "pkg/__pycache__/x.pyc").write_bytes(b"")
    assert compare(FIRST, out).clean
    assert write_tree(FIRST, out, force=False) is False


def test_non_empty_directory_without_manifest_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "precious.txt").write_text("do not lose me\n")
    with pytest.raises(SpecError, match="holds files sdkforge did not write"):
        write_tree(FIRST, out, force=False)
    assert _contents(out) == {"precious.txt": "do not lose me\n"}


def test_force_generates_into_it_and_keeps_the_foreign_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "precious.txt").write_text("do not lose me\n")
    inode = (out / "precious.txt").stat().st_ino
    assert write_tree(FIRST, out, force=True) is True
    assert _contents(out) == {**FIRST, "precious.txt": "do not lose me\n"}
    assert (out / "precious.txt").stat().st_ino == inode
    # the manifest lists only what the generator wrote: the foreign file is still foreign
    assert "precious.txt" not in (read_manifest(out) or set())


def test_empty_directory_is_fine(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert write_tree(FIRST, out, force=False) is True
    assert _contents(out) == FIRST


def test_overwriting_a_foreign_file_needs_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(FIRST, out, force=False)
    (out / "pkg/types/b.py").write_text("# hand-written\n")
    second = _tree({**{k: v for k, v in FIRST.items() if k != MANIFEST}, "pkg/types/b.py": ""})
    with pytest.raises(SpecError, match="would overwrite files sdkforge did not write"):
        write_tree(second, out, force=False)
    assert (out / "pkg/types/b.py").read_text() == "# hand-written\n"


def test_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("a file\n")
    with pytest.raises(SpecError, match="not a directory"):
        write_tree(FIRST, out, force=True)
    assert out.read_text() == "a file\n"


def test_compare_reports_differences_missing_and_extra(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(FIRST, out, force=False)
    (out / "pkg/types/a.py").write_text("x = 'edited'\n")
    (out / "README.md").unlink()
    second = _tree({"pkg/types/a.py": "x = 1\n", "README.md": "hi\n"})
    drift = compare(second, out)
    assert drift.missing == ("README.md",)
    assert drift.extra == ("pkg/__init__.py",)
    assert len(drift.diffs) == 2  # a.py and the manifest
    report = drift.report()
    assert "-x = 'edited'" in report and "+x = 1" in report
    assert "README.md" in report and "pkg/__init__.py" in report


def test_failure_while_writing_leaves_the_old_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_tree(FIRST, out, force=False)
    before = _snapshot(out)

    def broken_swap(staging: Path, target: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(sdkforge.write, "_swap_in", broken_swap)
    second = _tree({"pkg/__init__.py": "A = 2\n"})
    with pytest.raises(OSError, match="disk full"):
        write_tree(second, out, force=False)
    assert _snapshot(out) == before
    assert _leftovers(tmp_path, out) == []


# -- through the pipeline: nothing is written unless the whole tree was produced ---------------


@pytest.fixture
def generated(tmp_path: Path, project_inputs: Inputs, run_cli: Callable[..., Any]) -> Path:
    out = tmp_path / "out"
    result = run_cli(
        "generate", "--spec", project_inputs.spec, "--config", project_inputs.config, "--out", out
    )
    assert result.code == 0, result.err
    return out


def test_failure_while_formatting_leaves_the_old_tree(
    generated: Path,
    project_inputs: Inputs,
    run_cli: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    before = _snapshot(generated)
    calls = []

    def broken_format(files: dict[str, str], memo: object = None) -> dict[str, str]:
        calls.append(len(files))
        raise RuntimeError("formatter crashed")

    # the pipeline may hold its own reference to format_tree: replace both
    monkeypatch.setattr(sdkforge.format, "format_tree", broken_format)
    monkeypatch.setattr(sdkforge.pipeline, "format_tree", broken_format, raising=False)
    edited = tmp_path / "openapi.yaml"
    edited.write_text(
        project_inputs.spec.read_text().replace(
            "Text that describes the image", "Words that describe the image"
        )
    )
    result = run_cli(
        "generate", "--spec", edited, "--config", project_inputs.config, "--out", generated
    )
    assert calls, "the formatter was never reached"
    assert result.code == 3  # an internal error, not the user's input
    assert "formatter crashed" in result.err
    assert _snapshot(generated) == before
    assert _leftovers(generated.parent, generated) == ["openapi.yaml"]


def test_template_error_leaves_the_old_tree(
    generated: Path, project_inputs: Inputs, run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    before = _snapshot(generated)
    overrides = tmp_path / "templates" / "types"
    overrides.mkdir(parents=True)
    (overrides / "module.py.jinja").write_text("{{ module.no_such_attribute }}\n")
    result = run_cli(
        "generate",
        "--spec",
        project_inputs.spec,
        "--config",
        project_inputs.config,
        "--out",
        generated,
        "--templates",
        tmp_path / "templates",
    )
    assert result.code == 2
    assert "template error" in result.err
    assert _snapshot(generated) == before


def test_interrupted_run_leaves_the_old_tree(
    generated: Path,
    project_inputs: Inputs,
    run_cli: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = _snapshot(generated)
    real_open = open
    calls = {"n": 0}

    def open_then_interrupt(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        # the third file written anywhere beside or inside the output is never finished
        if "w" in mode and Path(os.fspath(path)).resolve().is_relative_to(generated.parent):
            calls["n"] += 1
            if calls["n"] == 3:
                raise KeyboardInterrupt
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", open_then_interrupt)
    # Files on disk as they are to be are linked into the new tree, not written: three
    # rewrites are forced, so that the third write is one of the tree's.
    for name in ("imagesdk/types/image_model.py", "imagesdk/_client.py", "README.md"):
        (generated / name).unlink()
        before.pop(name)
    result = run_cli(
        "generate",
        "--spec",
        project_inputs.spec,
        "--config",
        project_inputs.config,
        "--out",
        generated,
    )
    monkeypatch.undo()
    assert calls["n"] == 3
    assert result.code == 130
    assert _snapshot(generated) == before
    assert _leftovers(generated.parent, generated) == []


def test_output_directory_gets_ordinary_permissions(tmp_path: Path) -> None:
    # The staging folder is made private by mkdtemp; the swapped-in output must not be.
    umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh"
        write_tree({"a.txt": "a\n"}, fresh, force=False)
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o755
        existing = tmp_path / "existing"
        write_tree({"a.txt": "a\n"}, existing, force=False)
        existing.chmod(0o750)
        write_tree({"a.txt": "b\n"}, existing, force=True)
        assert stat.S_IMODE(existing.stat().st_mode) == 0o750
    finally:
        os.umask(umask)


def test_unchanged_files_are_linked_and_changed_ones_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(_tree({"a.py": "a\n", "b.py": "b\n", "pkg/c.py": "c\n"}), out, force=False)
    inodes = {name: (out / name).stat().st_ino for name in ("a.py", "b.py", "pkg/c.py")}
    (out / "b.py").write_text("edited by hand\n", encoding="utf-8")
    (out / "b.py").chmod(0o600)
    edited = (out / "b.py").stat().st_ino
    assert write_tree(_tree({"a.py": "a2\n", "b.py": "b\n", "pkg/c.py": "c\n"}), out, force=False)
    assert (out / "a.py").read_text(encoding="utf-8") == "a2\n"
    assert (out / "b.py").read_text(encoding="utf-8") == "b\n"  # the edit is undone
    assert stat.S_IMODE((out / "b.py").stat().st_mode) == 0o600  # its mode is kept
    # The file on disk as it is to be is the same file; the others are new ones.
    assert (out / "pkg/c.py").stat().st_ino == inodes["pkg/c.py"]
    assert (out / "a.py").stat().st_ino != inodes["a.py"]
    assert (out / "b.py").stat().st_ino != edited
    assert (out / "pkg/c.py").stat().st_nlink == 1  # the old tree is gone


def test_a_symlink_in_place_of_an_unchanged_file_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(_tree({"a.py": "a\n", "b.py": "b\n"}), out, force=False)
    (tmp_path / "elsewhere.py").write_text("a\n", encoding="utf-8")
    (out / "a.py").unlink()
    (out / "a.py").symlink_to(tmp_path / "elsewhere.py")
    assert write_tree(_tree({"a.py": "a\n", "b.py": "b2\n"}), out, force=False)
    assert not (out / "a.py").is_symlink() and (out / "a.py").read_text() == "a\n"
