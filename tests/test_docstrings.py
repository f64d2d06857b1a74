"""Docstrings: spec text wrapped to about 80 columns and escaped so that no text breaks the code."""

from __future__ import annotations

import ast
from collections.abc import Callable

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sdkforge.docstrings import WIDTH, field_docstring, literal, wrap
from sdkforge.pipeline import Inputs

LOREM = (
    "The model that creates the images. Any model id string is accepted, and when it is left "
    "out the service picks a default that depends on which other parameters are present in "
    "the request."
)


def _words(text: str) -> str:
    return " ".join(text.split())


def _docstring_in_class_body(text: str) -> str | None:
    """Put `field_docstring(text)` where the template puts it; return the parsed value."""
    doc = field_docstring(text)
    if not doc:
        return None
    source = f"class Params:\n    field: int\n    {doc}\n"
    (cls,) = ast.parse(source).body
    assert isinstance(cls, ast.ClassDef) and len(cls.body) == 2
    statement = cls.body[1]
    assert isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
    value = statement.value.value
    assert isinstance(value, str)
    assert ast.literal_eval(doc) == value
    return value


def test_wrap_keeps_lines_within_width() -> None:
    lines = wrap(LOREM * 3)
    assert len(lines) > 3
    assert all(len(line) <= WIDTH for line in lines)
    assert all(len(line) > WIDTH - 20 for line in lines[:-1])  # filled, not ragged
    assert _words(" ".join(lines)) == _words(LOREM * 3)


def test_wrap_width_is_a_parameter() -> None:
    assert all(len(line) <= 40 for line in wrap(LOREM, 40))


def test_long_word_is_not_broken() -> None:
    url = "https://example.com/" + "a" * 120
    assert wrap(f"See {url} for more.") == ["See", url, "for more."]


def test_paragraphs_and_list_items_keep_their_lines() -> None:
    text = "First paragraph\nsplit over two lines.\n\nSecond one.\n- item one\n- item two\n1. step"
    assert wrap(text) == [
        "First paragraph split over two lines.",
        "",
        "Second one.",
        "- item one",
        "- item two",
        "1. step",
    ]


def test_blank_text_gives_no_docstring() -> None:
    assert wrap("  \n\n ") == []
    assert field_docstring("") == ""
    assert literal([], "    ") == ""


def test_field_docstring_fits_about_80_columns() -> None:
    doc = field_docstring(LOREM * 2)
    source_lines = f"    {doc}".splitlines()
    assert len(source_lines) > 2
    assert all(len(line) <= WIDTH + 4 for line in source_lines)  # plus the opening quotes
    assert source_lines[-1] == '    """'


def test_single_line_docstring_stays_on_one_line() -> None:
    assert field_docstring("How many images to create.") == '"""How many images to create."""'


@pytest.mark.parametrize(
    "text",
    [
        'Say "hello"',
        'Ends with a quote"',
        'Triple """ quotes in the middle',
        "Single ''' quotes",
        "A backslash \\ and \\n that is not a newline, \\N{BULLET}, \\x41",
        "Ends with a backslash \\",
        "Jinja {{ sdk.package }} and {% if x %}{% endif %} and {# comment #}",
        "Control \x00 \x07 \x1b characters, a \r carriage return and \x0c form feed",
        "Line \u2028 and paragraph \u2029 separators, next line \x85 too",
        "Non-ASCII: café, 日本語, emoji 🎨, right-to-left עברית",
        "A very long word " + "x" * 300 + " in the middle",
        "Tabs\tbetween\twords",
    ],
)
def test_awkward_text_survives(text: str) -> None:
    value = _docstring_in_class_body(text)
    assert value is not None and _words(value) == _words(text)


@pytest.mark.parametrize("text", ['Wrap code in """', 'Six quotes """"""', '"""'])
def test_line_ending_in_triple_quotes(text: str) -> None:
    value = _docstring_in_class_body(text)
    assert value is not None and _words(value) == _words(text)


_AWKWARD = st.sampled_from(
    [
        '"""',
        '"',
        "''",
        "'''",
        "\\",
        "\\n",
        "\\N",
        "{{",
        "}}",
        "{%",
        "%}",
        "{#",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\r\n",
        "\t",
        "- ",
        "* ",
        "1. ",
        "\x00",
        "\x0b",
        "\x0c",
        "\x1c",
        "\x1f",
        "\x7f",
        "\x85",
        "\u2028",
        "\u2029",
        "\ufeff",
        "é",
        "ß",
        "日本",
        "🎨",
        "x" * 90,
    ]
)
# Lone surrogates cannot come from a UTF-8 file, so they are left out of arbitrary text.
_ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_AWKWARD, _ANY_TEXT), max_size=25).map("".join))
@example("Jinja {{ x }} {% raw %} \\ \"quoted\" ''' \x00 café")
@example('"""a"""b')
def test_any_text_compiles_back_to_the_same_words(text: str) -> None:
    value = _docstring_in_class_body(text)
    if value is None:
        assert _words(text) == ""
    else:
        assert _words(value) == _words(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_AWKWARD, _ANY_TEXT), max_size=25).map("".join))
def test_wrapped_lines_fit_unless_a_word_is_longer(text: str) -> None:
    for line in wrap(text):
        assert len(line) <= WIDTH or " " not in line.strip()


# -- through the whole pipeline: Jinja must print the literal, not interpret it ---------------

_NASTY = "Use {{ sdk.package }} or {% raw %}, a \\ backslash, 'single' and \"double\" quotes, café."


def test_description_reaches_the_generated_module_intact(
    write_inputs: Callable[..., Inputs], files_for: Callable[[Inputs], dict[str, str]]
) -> None:
    description = _NASTY.replace("\\", "\\\\").replace('"', '\\"')
    inputs = write_inputs(
        f"""\
        openapi: 3.1.0
        info: {{title: t, version: '1'}}
        servers: [{{url: 'https://x.test'}}]
        paths:
          /notes:
            post:
              requestBody:
                content:
                  application/json:
                    schema: {{$ref: '#/components/schemas/NoteRequest'}}
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema: {{$ref: '#/components/schemas/Note'}}
        components:
          schemas:
            NoteRequest:
              type: object
              properties:
                body:
                  type: string
                  description: "{description}"
            Note:
              type: object
              properties:
                id: {{type: string}}
        """,
        """\
        package: notes
        client: {sync: NotesClient, async: AsyncNotesClient, api_key_env: NOTES_KEY}
        resources:
          notes:
            methods:
              create: post /notes
        """,
    )
    files = files_for(inputs)
    tree = ast.parse(files["notes/types/note_create_params.py"])
    params = next(
        node
        for node in tree.body
        if isinstance(node, ast.ClassDef) and node.name == "NoteCreateParams"
    )
    docstring = params.body[1]
    assert isinstance(docstring, ast.Expr) and isinstance(docstring.value, ast.Constant)
    assert isinstance(docstring.value.value, str)
    assert _words(docstring.value.value) == _words(_NASTY)
