"""Stage 1, load: YAML into plain data, with the line and column of every key and list item."""

from __future__ import annotations

from pathlib import Path

import pytest
from sdkforge.diagnostics import Location, SpecError
from sdkforge.load import load_yaml, parse_yaml

SPEC = """\
openapi: 3.1.0
paths:
  /things:
    post:
      tags:
        - first
        -   second
      "200": ok
components: {schemas: {Thing: {type: object}}}
"""


def _single_error(error: pytest.ExceptionInfo[SpecError]) -> str:
    assert len(error.value.diagnostics) == 1, error.value.diagnostics
    return str(error.value.diagnostics[0])


def test_data_is_plain_python() -> None:
    doc = parse_yaml(SPEC, "spec.yaml")
    assert doc.data["paths"]["/things"]["post"]["tags"] == ["first", "second"]
    assert doc.data["components"] == {"schemas": {"Thing": {"type": "object"}}}


@pytest.mark.parametrize(
    ("path", "line", "column"),
    [
        (("openapi",), 1, 1),
        (("paths", "/things"), 3, 3),
        (("paths", "/things", "post", "tags"), 5, 7),
        (("paths", "/things", "post", "tags", 0), 6, 11),
        (("paths", "/things", "post", "tags", 1), 7, 13),
        (("paths", "/things", "post", "200"), 8, 7),
        (("components", "schemas", "Thing", "type"), 9, 32),
    ],
)
def test_positions_of_keys_and_list_items(
    path: tuple[str | int, ...], line: int, column: int
) -> None:
    doc = parse_yaml(SPEC, "spec.yaml")
    assert doc.positions[path] == (line, column)
    assert doc.locate(path) == Location("spec.yaml", line, column)


def test_locate_falls_back_to_nearest_ancestor() -> None:
    doc = parse_yaml(SPEC, "spec.yaml")
    assert doc.locate(("paths", "/things", "post", "nothing", "deeper")) == Location(
        "spec.yaml", 4, 5
    )
    assert doc.locate(("absent",)) == Location("spec.yaml", 1, 1)


def test_integer_and_boolean_keys_become_strings() -> None:
    doc = parse_yaml("200: ok\ntrue: yes\n", "f.yaml")
    assert doc.data == {"200": "ok", "true": True}
    assert doc.positions[("true",)] == (2, 1)


def test_dates_stay_text() -> None:
    assert parse_yaml("released: 2024-05-01\n", "f.yaml").data == {"released": "2024-05-01"}


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a: [1, 2\nb: 3\n", "f.yaml:2:2:"),
        ("a:\n  b: 1\n c: 2\n", "f.yaml:3:2:"),
        ("ok: 1\nbad: 'unterminated\n", "f.yaml:3:1:"),
        ("a:\n\t- 1\n", "f.yaml:2:1:"),
    ],
)
def test_yaml_syntax_error_is_located(text: str, where: str) -> None:
    with pytest.raises(SpecError) as error:
        parse_yaml(text, "f.yaml")
    message = _single_error(error)
    assert message.startswith(f"{where} error: YAML syntax")


def test_duplicate_key_points_at_the_second_one() -> None:
    text = "components:\n  schemas:\n    A: {}\n    B: {}\n    A: {type: string}\n"
    with pytest.raises(SpecError) as error:
        parse_yaml(text, "f.yaml")
    assert _single_error(error).startswith("f.yaml:5:5: error: duplicate key 'A'")


def test_every_duplicate_key_is_reported_in_one_run() -> None:
    with pytest.raises(SpecError) as error:
        parse_yaml("a: 1\na: 2\nb:\n  c: 1\n  c: 2\n", "f.yaml")
    assert [d.location.line for d in error.value.diagnostics] == [2, 5]


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"openapi: 3.1.0\ninfo:\n  title: Caf\xe9\n")
    with pytest.raises(SpecError) as error:
        load_yaml(path, "latin1.yaml")
    # line 3, column 13: the bad byte itself
    assert _single_error(error).startswith("latin1.yaml:3:13: error: file is not valid UTF-8")


def test_character_yaml_does_not_allow_is_located() -> None:
    with pytest.raises(SpecError) as error:
        parse_yaml("a: 1\nb: x\x00y\n", "f.yaml")
    assert _single_error(error).startswith("f.yaml:2:5: error: ")
    assert "U+0000" in _single_error(error)


def test_utf8_text_loads(tmp_path: Path) -> None:
    path = tmp_path / "utf8.yaml"
    path.write_text("title: Café ☕\n", encoding="utf-8")
    assert load_yaml(path).data == {"title": "Café ☕"}


@pytest.mark.parametrize("text", ["", "\n\n", "# nothing but a comment\n"])
def test_empty_document(text: str) -> None:
    with pytest.raises(SpecError) as error:
        parse_yaml(text, "empty.yaml")
    assert _single_error(error).startswith("empty.yaml:1:1: error: document is empty")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as error:
        load_yaml(tmp_path / "nope.yaml", "nope.yaml")
    assert _single_error(error).startswith("nope.yaml:1:1: error: cannot read file")


def test_several_documents_are_rejected() -> None:
    with pytest.raises(SpecError) as error:
        parse_yaml("a: 1\n---\nb: 2\n", "f.yaml")
    assert "error: YAML syntax" in _single_error(error)


def test_recursive_alias_is_an_error_not_a_hang() -> None:
    with pytest.raises(SpecError) as error:
        parse_yaml("a: &loop\n  b: *loop\n", "f.yaml")
    assert "recursive YAML alias" in _single_error(error)


def test_shared_alias_that_is_not_recursive_loads() -> None:
    doc = parse_yaml("base: &b {type: string}\nother: *b\n", "f.yaml")
    assert doc.data["other"] == {"type": "string"}


def test_alias_repeats_the_anchored_data_and_its_positions_under_its_own_path() -> None:
    doc = parse_yaml("base: &b\n  type: object\n  tags: [x, &t y]\nother: *b\nlast: *t\n", "f.yaml")
    assert doc.data["other"] == {"type": "object", "tags": ["x", "y"]}
    assert doc.data["last"] == "y"
    # Where the alias stands, then where the anchored node's parts are written.
    assert doc.positions[("other",)] == (4, 1)
    assert doc.positions[("other", "type")] == doc.positions[("base", "type")] == (2, 3)
    assert doc.positions[("other", "tags", 1)] == (3, 13)


def test_alias_inside_an_aliased_collection_is_followed_again() -> None:
    doc = parse_yaml("a: &a [1]\nb: &b {list: *a}\nc: [*b, *b]\n", "f.yaml")
    assert doc.data["c"] == [{"list": [1]}, {"list": [1]}]
    assert doc.positions[("c", 1, "list", 0)] == (1, 8)


def test_undefined_alias_is_named_where_it_stands() -> None:
    with pytest.raises(SpecError) as error:
        parse_yaml("a: 1\nb: *nowhere\n", "f.yaml")
    assert _single_error(error).startswith(
        "f.yaml:2:4: error: YAML syntax: found undefined alias 'nowhere'"
    )


def test_anchor_given_twice_names_both_places() -> None:
    with pytest.raises(SpecError) as error:
        parse_yaml("a: &x 1\nb: &x 2\n", "f.yaml")
    message = _single_error(error)
    assert message.startswith("f.yaml:2:4: error: YAML syntax:")
    assert "duplicate anchor 'x'" in message and "line 1, column 4" in message


def test_anchor_inside_a_refused_key_can_still_be_aliased() -> None:
    # Only the key is wrong: the alias of the anchor written inside it is not a second error.
    with pytest.raises(SpecError) as error:
        parse_yaml("? &k [1]\n: 3\nb: *k\n", "f.yaml")
    assert _single_error(error).startswith("f.yaml:1:3: error: mapping key must be a scalar")
