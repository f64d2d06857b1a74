"""The formatter: one `ruff format` run on a scratch copy of the tree; it formats, it does not
fix: imports come sorted and used from `layout`."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from sdkforge.diagnostics import SpecError
from sdkforge.format import format_tree


@pytest.fixture(autouse=True)
def _own_temporary_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test looks at a temporary folder of its own: other sdkforge runs on the machine
    make and remove scratch folders of their own in the shared one meanwhile."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


def _scratch_dirs() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("sdkforge-format-*"))


def test_python_is_formatted_other_files_pass_through() -> None:
    files = {"README.md": "# x  \n", "a.py": "x=1\n", "pkg/b.py": "def f( a ):\n  return a\n"}
    assert format_tree(files) == {
        "README.md": "# x  \n",
        "a.py": "x = 1\n",
        "pkg/b.py": "def f(a):\n    return a\n",
    }


def test_imports_are_left_as_they_are() -> None:
    """No lint fix runs: an unused or unsorted import is the generator's bug to show, not
    ruff's to hide."""
    code = "import os\nimport abc\n"
    assert format_tree({"a.py": code})["a.py"] == code


def test_the_scratch_directory_is_removed() -> None:
    before = _scratch_dirs()
    format_tree({"a.py": "x=1\n"})
    assert _scratch_dirs() == before


def test_invalid_code_is_a_located_error_and_leaves_nothing_behind() -> None:
    before = _scratch_dirs()
    with pytest.raises(SpecError) as caught:
        format_tree({"pkg/ok.py": "x = 1\n", "pkg/bad.py": "x = (\n"})
    assert str(caught.value.diagnostics[0].location).startswith("<generated>/pkg/bad.py:")
    assert _scratch_dirs() == before


def test_paths_outside_the_tree_are_refused_before_anything_runs() -> None:
    before = _scratch_dirs()
    with pytest.raises(ValueError, match="not a plain relative path"):
        format_tree({"../escape.py": "x = 1\n"})
    assert _scratch_dirs() == before
