"""The formatter: ruff on a scratch copy of the tree, on a thread of its own."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from sdkforge.diagnostics import SpecError
from sdkforge.format import Formatting, format_tree

UNSORTED = (
    "from shopsdk.types.absent import Thing\n"
    "import pytest\n"
    "from shopsdk import Client\n"
    "import os\n"
    "\n"
    "print(Thing, pytest, Client, os)\n"
)


def _scratch_dirs() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("sdkforge-format-*"))


def test_the_package_sorts_as_first_party_whatever_the_tree_holds() -> None:
    """Formatting may run on part of the tree: the package's own imports must not depend
    on which of its modules happen to be there."""
    alone = format_tree({"tests/test_x.py": UNSORTED}, "shopsdk")["tests/test_x.py"]
    assert alone.splitlines()[:6] == [
        "import os",
        "",
        "import pytest",
        "",
        "from shopsdk import Client",
        "from shopsdk.types.absent import Thing",
    ]
    beside = format_tree(
        {
            "tests/test_x.py": UNSORTED,
            "shopsdk/types/absent.py": "Thing = 1\n",
            "shopsdk/__init__.py": "Client = 1\n",
        },
        "shopsdk",
    )
    assert beside["tests/test_x.py"] == alone


def test_other_files_pass_through() -> None:
    files = {"README.md": "# x  \n", "a.py": "x=1\n"}
    assert format_tree(files, "pkg") == {"README.md": "# x  \n", "a.py": "x = 1\n"}


def test_scratch_directory_is_removed_even_when_the_result_is_not_wanted() -> None:
    before = _scratch_dirs()
    with Formatting({"a.py": "x=1\n"}, "pkg"):
        assert len(_scratch_dirs() - before) == 1
    assert _scratch_dirs() == before


def test_invalid_code_is_a_located_error_and_leaves_nothing_behind() -> None:
    before = _scratch_dirs()
    with pytest.raises(SpecError) as caught:
        format_tree({"pkg/ok.py": "x = 1\n", "pkg/bad.py": "x = (\n"}, "pkg")
    assert str(caught.value.diagnostics[0].location).startswith("<generated>/pkg/bad.py:")
    assert _scratch_dirs() == before


def test_paths_outside_the_tree_are_refused_before_anything_runs() -> None:
    before = _scratch_dirs()
    with pytest.raises(ValueError, match="not a plain relative path"):
        Formatting({"../escape.py": "x = 1\n"}, "pkg")
    assert _scratch_dirs() == before
