"""The formatter: one `ruff format` run on a scratch copy of the tree; it formats, it does not
fix: imports come sorted and used from `layout`."""

from __future__ import annotations

import subprocess
import sys
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


def test_lines_ruff_cannot_shorten_are_marked_for_the_lint() -> None:
    from sdkforge.format import mark_long_lines

    long_value = "v" * 120
    source = (
        f"x = {long_value!r}\n"
        f'def f() -> None:\n    """{long_value}\n    more\n    """\n'
        f"y = 1  # type: ignore[misc]\n"
        f"z = {'w' * 95!r}  # type: ignore[misc]\n"
    )
    marked = format_tree({"m.py": source})["m.py"]
    lines = [line for line in marked.splitlines() if line]
    assert lines[0].endswith("  # noqa: E501")
    # Inside the docstring no comment can go: after its end, where ruff reads it.
    assert lines[2].endswith(long_value) and lines[3] == "    more"
    assert lines[4] == '    """  # noqa: E501'
    # A pragma comment does not count; past it the line is still too long.
    assert lines[5] == "y = 1  # type: ignore[misc]"
    assert lines[6].endswith("# type: ignore[misc]  # noqa: E501")
    assert mark_long_lines(marked) == marked
    folder = Path(tempfile.mkdtemp())
    (folder / "m.py").write_text(marked, encoding="utf-8")
    lint = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--line-length",
            "100",
            "--select",
            "E501",
            "m.py",
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout


def test_markdown_keeps_its_long_lines() -> None:
    row = "| " + "x" * 120 + " |\n"
    assert format_tree({"README.md": row})["README.md"] == row


def test_wide_characters_count_twice() -> None:
    # 60 wide characters: 60 long, but 120 columns wide, as ruff measures.
    source = f"x = {'界' * 60!r}\n"
    assert format_tree({"m.py": source})["m.py"].rstrip().endswith("# noqa: E501")
    assert format_tree({"m.py": 'x = "short"\n'})["m.py"] == 'x = "short"\n'


@pytest.mark.parametrize(
    "source",
    [
        # A `#` or a quote inside a string, and quotes inside a comment, start nothing.
        'x = "# not a comment"\ns = """\n' + "q" * 110 + '\n"""\n',
        "# it's \"quoted\"\ns = '''\n" + "q" * 110 + "\n'''\n",
        # Escaped quotes, raw and prefixed strings, and one ending on the line it began.
        's = r"\\"" + rb"x"\nt = f"""{1}\n' + "q" * 110 + ' \\""" still\n"""\n',
        # Strings joined across lines are tokens of a line each.
        "x = (\n    '" + "q" * 110 + "'\n    'next'\n)\n",
        # A long line whose pragma comes where ruff reads it, and a string with one in it.
        "x = 1  # noqa: E501 " + "c" * 100 + '\ny = "# noqa: E501 ' + "c" * 100 + '"\n',
    ],
)
def test_long_lines_are_marked_as_a_tokenizer_reads_the_code(source: str) -> None:
    from sdkforge.format import mark_long_lines

    assert mark_long_lines(source) == _marked_by_tokens(source)


def _marked_by_tokens(text: str) -> str:
    """What `mark_long_lines` must make of `text`, worked out from `tokenize`'s tokens."""
    import io
    import tokenize

    lines = text.splitlines(keepends=True)
    marked_at = {n: n for n, line in enumerate(lines, 1) if len(line.rstrip("\n")) > 100}
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        first, last = token.start[0], token.end[0]
        if first != last and token.type != tokenize.NL:
            marked_at.update({n: last for n in range(first, last) if n in marked_at})
        elif (
            token.type == tokenize.COMMENT
            and token.string.startswith("# noqa")
            and len(lines[first - 1][: token.start[1]].rstrip()) <= 100
        ):
            marked_at.pop(first, None)
    for number in sorted(set(marked_at.values())):
        code = lines[number - 1].rstrip("\n")
        if "# noqa" not in code:
            lines[number - 1] = f"{code}  # noqa: E501\n"
    return "".join(lines)
