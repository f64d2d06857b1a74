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


def _ruff_check(folder: Path, code: str) -> str:
    import subprocess
    import sys

    (folder / "m.py").write_text(code, encoding="utf-8")
    options = ["--select", "E501", "--line-length", "100", "--output-format", "concise"]
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", *options, "m.py"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout


def test_a_line_a_string_makes_too_long_is_marked_and_passes_ruff(tmp_path: Path) -> None:
    long = "word " * 30
    source = (
        f"class M:\n    a: str = {long!r}\n    b: str = 'short'\n"
        f"    c: str = {long!r}  # type: ignore\n"
        f'    """{long}\n    {long}"""\n'
    )
    formatted = format_tree({"m.py": source})["m.py"]
    lines = formatted.splitlines()
    marked = [n for n, line in enumerate(lines, 1) if line.endswith("# noqa: E501")]
    # Only the literal's own line: not the short one, not one with a comment of its own, not
    # the lines of a multi-line string (where a comment would be text).
    assert [lines[n - 1].lstrip()[:4] for n in marked] == ["a: s"], formatted
    assert format_tree({"m.py": formatted})["m.py"] == formatted  # still formatted
    assert "m.py:2:" not in _ruff_check(tmp_path, formatted)


def test_wide_characters_count_twice() -> None:
    # 60 wide characters: 60 long, but 120 columns wide, as ruff measures.
    source = f"x = {'界' * 60!r}\n"
    assert format_tree({"m.py": source})["m.py"].rstrip().endswith("# noqa: E501")
    assert format_tree({"m.py": 'x = "short"\n'})["m.py"] == 'x = "short"\n'
