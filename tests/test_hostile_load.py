"""Stage 1 against hostile YAML: nesting, nested aliases and escapes that JSON writers emit.

Each hostile document is refused at once with a located error, never by running out of
memory or into Python's recursion limit; a valid one that libyaml refuses still loads.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator

import pytest
from sdkforge.diagnostics import SpecError
from sdkforge.load import parse_yaml
from sdkforge.load_build import MAX_ALIAS_NODES, MAX_DEPTH


def _error(text: str) -> str:
    with pytest.raises(SpecError) as error:
        parse_yaml(text, "f.yaml")
    assert len(error.value.diagnostics) == 1, error.value.diagnostics
    return str(error.value.diagnostics[0])


def _flow(depth: int) -> str:
    return "a: " + "[" * depth + "]" * depth + "\n"


def _block(depth: int) -> str:
    return "".join("  " * level + "k:\n" for level in range(depth)) + "  " * depth + "x: 1\n"


def _laughs(levels: int) -> str:
    text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    previous = "a"
    for name in "bcdefghijk"[:levels]:
        text += f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    return text


@pytest.fixture
def low_recursion_limit() -> Iterator[None]:
    """Refusing a deep document must not need the room to recurse through it."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(400)
    yield
    sys.setrecursionlimit(limit)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 600, 990])
def test_deep_flow_nesting_is_refused_where_it_passes_the_limit(depth: int) -> None:
    # `a: ` is three columns, then one `[` a level: the first too deep is column 4 + MAX_DEPTH.
    assert _error(_flow(depth)) == (
        f"f.yaml:1:{4 + MAX_DEPTH}: error: YAML nested deeper than {MAX_DEPTH} levels "
        "(flatten the document: move nested schemas to components and $ref them)"
    )


def test_deep_block_nesting_is_refused_on_its_line() -> None:
    # The key on line MAX_DEPTH + 1 is the last level allowed; its value, below it, is not.
    assert _error(_block(300)).startswith(f"f.yaml:{MAX_DEPTH + 2}:{2 * MAX_DEPTH + 3}: error:")


def test_nesting_up_to_the_limit_loads() -> None:
    data = parse_yaml(_flow(MAX_DEPTH), "f.yaml").data
    depth = 0
    node = data["a"]
    while node:
        node = node[0]
        depth += 1
    assert depth == MAX_DEPTH - 1


def test_deep_nesting_is_refused_with_little_stack(low_recursion_limit: None) -> None:
    assert "nested deeper than" in _error(_flow(900))
    assert "nested deeper than" in _error(_block(900))


def test_deep_nesting_is_refused_by_the_pure_python_parser_too(low_recursion_limit: None) -> None:
    # The surrogate pair makes libyaml give up, and the pure-Python parser read it again.
    text = 'd: "\\ud83e\\udd8a"\n' + _flow(900)
    assert _error(text).startswith(f"f.yaml:2:{4 + MAX_DEPTH}: error: YAML nested deeper")


def test_billion_laughs_is_refused_at_once() -> None:
    text = _laughs(9)
    assert len(text) < 1600
    started = time.monotonic()
    message = _error(text)
    assert time.monotonic() - started < 2
    # Located at the anchor being copied when the budget ran out: `e`, 9**5 nodes.
    assert message == (
        f"f.yaml:5:4: error: YAML aliases expand to more than {MAX_ALIAS_NODES:,} nodes "
        "(aliases of aliases multiply) (write the repeated parts out, or share them with $ref)"
    )


def test_aliases_within_the_budget_load() -> None:
    data = parse_yaml(_laughs(3), "f.yaml").data
    assert len(data["d"]) == 9
    assert data["d"][8][8][8] == ["lol"] * 9


def test_json_surrogate_pair_escape_is_the_character() -> None:
    text = json.dumps({"info": {"description": "a fox: \U0001f98a", "title": "\u00e9t\u00e9"}})
    assert "\\ud83e\\udd8a" in text
    data = parse_yaml(text, "spec.json").data
    assert data["info"]["description"] == "a fox: \U0001f98a"
    assert data["info"]["title"] == "\u00e9t\u00e9"


def test_surrogate_pair_document_keeps_its_positions() -> None:
    text = 'a: "\\ud83e\\udd8a"\nb:\n  c: [1, 2]\n'
    doc = parse_yaml(text, "f.yaml")
    assert doc.data == {"a": "\U0001f98a", "b": {"c": [1, 2]}}
    assert doc.positions[("b", "c")] == (3, 3)


def test_surrogate_pair_document_keeps_dates_as_text() -> None:
    doc = parse_yaml('a: "\\ud83e\\udd8a"\nwhen: 2024-01-02\n', "f.yaml")
    assert doc.data["when"] == "2024-01-02"


@pytest.mark.parametrize(
    ("text", "column"), [('a: "\\ud83e"\n', 4), ('a: "x \\udd8a\\ud83e"\n', 4)]
)
def test_surrogate_that_is_not_half_of_a_pair_is_refused(text: str, column: int) -> None:
    assert _error(text).startswith(f"f.yaml:1:{column}: error: string holds an unpaired surrogate")


def test_syntax_error_in_a_document_with_a_pair_is_located() -> None:
    assert _error('a: "\\ud83e\\udd8a"\nb: [1, 2\n').startswith("f.yaml:3:1: error: YAML syntax")
