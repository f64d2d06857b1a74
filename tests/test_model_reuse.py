"""Regenerating with the output's cache: datamodel-code-generator runs only on the modules a
change touches, and the output is byte for byte what a cold run writes."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from _dcg_spy import spy_on_dcg
from _generate import FullOpenAI
from _trees import read_tree
from sdkforge import model_codegen
from sdkforge.model_reuse import Graph, reuse

Run = Callable[..., Any]

SPEC = """\
openapi: 3.1.0
info: {title: Shelf, version: "1"}
servers: [{url: "https://shelf.example/v1"}]
paths:
  /books:
    get:
      operationId: listBooks
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/BookList"}
  /books/{id}:
    get:
      operationId: getBook
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Book"}
  /shelves:
    get:
      operationId: getShelf
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Shelf"}
components:
  schemas:
    Genre:
      type: string
      enum: [fiction, poetry]
    Author:
      type: object
      description: Who wrote it.
      properties:
        name: {type: string}
        bornIn: {type: integer}
    Book:
      type: object
      description: A book.
      required: [id]
      properties:
        id: {type: string}
        genre: {$ref: "#/components/schemas/Genre"}
        author: {$ref: "#/components/schemas/Author"}
    BookList:
      type: object
      properties:
        data:
          type: array
          items: {$ref: "#/components/schemas/Book"}
    Shelf:
      type: object
      description: A shelf.
      properties:
        label: {type: string}
        place:
          type: object
          title: Place
          properties:
            room: {type: string}
    Color:
      type: string
      enum: [red, green]
"""

CONFIG = """\
package: shelfsdk
client: {sync: Shelf, async: AsyncShelf, api_key_env: SHELF_API_KEY}
resources:
  books:
    singular: book
    methods:
      list: get /books
      retrieve: get /books/{id}
  shelves:
    singular: shelf
    methods:
      retrieve: get /shelves
"""


@pytest.fixture
def dcg_calls(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The schemas of each datamodel-code-generator run, in this process (no worker)."""
    return spy_on_dcg(monkeypatch)


def _generate(run_cli: Run, spec: Path, config: Path, out: Path) -> None:
    result = run_cli("generate", "--spec", spec, "--config", config, "--out", out)
    assert result.code == 0, result.err


def _regenerate_and_compare(
    run_cli: Run, tmp_path: Path, before: str, after: str, config: str = CONFIG
) -> None:
    """Generate `before`, regenerate `after` over it with the cache; the tree must be the
    one a cold run of `after` writes (same folder name: the README names it)."""
    for name, text in (("before", before), ("after", after)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "openapi.yaml").write_text(text, encoding="utf-8")
    config_path = tmp_path / "sdk.yaml"
    config_path.write_text(config, encoding="utf-8")
    warm, cold = tmp_path / "warm" / "out", tmp_path / "cold" / "out"
    _generate(run_cli, tmp_path / "before" / "openapi.yaml", config_path, warm)
    _generate(run_cli, tmp_path / "after" / "openapi.yaml", config_path, warm)
    _generate(run_cli, tmp_path / "after" / "openapi.yaml", config_path, cold)
    assert read_tree(warm) == read_tree(cold)


def test_one_changed_schema_runs_dcg_on_what_depends_on_it(
    run_cli: Run, tmp_path: Path, dcg_calls: list[set[str]]
) -> None:
    changed = SPEC.replace("description: Who wrote it.", "description: Who wrote the book.")
    _regenerate_and_compare(run_cli, tmp_path, SPEC, changed)
    cold_first, warm, cold_again = dcg_calls
    assert cold_first == cold_again and "shelf.Shelf" in cold_first
    # Author changed: its module and those that reference it (Book, then BookList) are made
    # again, with what they reference; Shelf is not.
    assert warm == {"author.Author", "book.Book", "book_list.BookList", "genre.Genre"}


def test_an_unchanged_schema_set_runs_no_dcg(
    run_cli: Run, tmp_path: Path, dcg_calls: list[set[str]]
) -> None:
    changed = SPEC.replace("operationId: getShelf", "operationId: getShelf\n      summary: Hi.")
    _regenerate_and_compare(run_cli, tmp_path, SPEC, changed)
    assert len(dcg_calls) == 2  # the two cold runs only


@pytest.mark.parametrize(
    "old, new",
    [
        # An added property (with a wire name that needs a Python alias).
        (
            "        label: {type: string}\n",
            "        label: {type: string}\n        shelfNo: {type: integer}\n",
        ),
        # An enum that nothing referenced (its own module) becomes referenced (inlined).
        (
            "        label: {type: string}\n",
            "        label: {$ref: '#/components/schemas/Genre'}\n",
        ),
        # A referenced enum is no longer referenced by one of two schemas.
        (
            '        genre: {$ref: "#/components/schemas/Genre"}\n',
            "        genre: {type: string}\n",
        ),
        # An inline object's title changes (the class DCG names after it).
        ("title: Place", "title: Spot"),
        # A shared schema changes what it references.
        (
            "        bornIn: {type: integer}\n",
            "        bornIn: {$ref: '#/components/schemas/Genre'}\n",
        ),
    ],
)
def test_regenerated_output_is_what_a_cold_run_writes(
    run_cli: Run, tmp_path: Path, old: str, new: str
) -> None:
    assert old in SPEC
    _regenerate_and_compare(run_cli, tmp_path, SPEC, SPEC.replace(old, new))


def test_a_response_left_out_and_back(run_cli: Run, tmp_path: Path) -> None:
    """Which schemas the models are made of changes with the config: Shelf goes, comes back."""
    spec = tmp_path / "openapi.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    config = tmp_path / "sdk.yaml"
    fewer = CONFIG.replace(
        "  shelves:\n    singular: shelf\n    methods:\n      retrieve: get /shelves\n", ""
    )
    assert fewer != CONFIG
    warm = tmp_path / "warm" / "out"
    for step, text in enumerate((CONFIG, fewer, CONFIG)):
        config.write_text(text, encoding="utf-8")
        _generate(run_cli, spec, config, warm)
        cold = tmp_path / f"cold{step}" / "out"
        _generate(run_cli, spec, config, cold)
        assert read_tree(warm) == read_tree(cold)


def test_module_keys_change_with_what_a_module_is_made_from() -> None:
    ref = "#/components/schemas/"
    schemas: dict[str, Any] = {
        "a.A": {"type": "object", "properties": {"b": {"$ref": f"{ref}b.B"}}},
        "b.B": {"type": "object", "properties": {"x": {"type": "string"}}},
        "c.C": {"type": "string", "enum": ["one"]},
    }
    keys = Graph(schemas).module_keys("base", {})
    changed = {**schemas, "b.B": {"type": "object", "properties": {"y": {"type": "string"}}}}
    after = Graph(changed).module_keys("base", {})
    assert after["a.A"] != keys["a.A"] and after["b.B"] != keys["b.B"]
    assert after["c.C"] == keys["c.C"]
    # Being referenced changes an enum's module (DCG inlines it), and so its key.
    referenced = {**schemas, "a.A": {"type": "object", "properties": {"c": {"$ref": f"{ref}c.C"}}}}
    assert Graph(referenced).module_keys("base", {})["c.C"] != keys["c.C"]
    # An alias counts only for the modules whose schemas hold the name.
    aliased = Graph(schemas).module_keys("base", {"x": "x_"})
    assert aliased["b.B"] != keys["b.B"] and aliased["c.C"] == keys["c.C"]
    assert Graph(schemas).module_keys("other", {})["c.C"] != keys["c.C"]


def test_the_full_openai_document_regenerates_as_a_cold_run_does(
    run_cli: Run, openai_full_every_method: FullOpenAI, tmp_path: Path
) -> None:
    document, config = openai_full_every_method.document, openai_full_every_method.config
    text = document.read_text(encoding="utf-8")
    # One response schema gains a property.
    old = "    ImagesResponse:\n      type: object\n"
    at = text.index(old)
    at = text.index("      properties:\n", at) + len("      properties:\n")
    changed = text[:at] + "        revised_note:\n          type: string\n" + text[at:]
    (tmp_path / "after").mkdir()
    (tmp_path / "after" / document.name).write_text(changed, encoding="utf-8")

    def generate(spec: Path, out: Path) -> None:
        result = run_cli(
            "generate", "--spec", spec, "--config", config, "--out", out, "--skip-unsupported"
        )
        assert result.code == 0, result.err[-2000:]

    # The unchanged document generated (with its cache) once a run, for other tests too.
    warm, cold = tmp_path / "warm" / "out", tmp_path / "cold" / "out"
    shutil.copytree(openai_full_every_method.out, warm)
    generate(tmp_path / "after" / document.name, warm)
    generate(tmp_path / "after" / document.name, cold)
    assert read_tree(warm) == read_tree(cold)


_R = "#/components/schemas/"
# Two groups of schemas that do not reference each other, and a lone enum.
_GROUPS: dict[str, Any] = {
    "a.A": {"type": "object", "properties": {"b": {"$ref": f"{_R}b.B"}}},
    "b.B": {"type": "object", "properties": {"x": {"type": "string"}}},
    "c.C": {"type": "object", "properties": {"b": {"$ref": f"{_R}b.B"}}},
    "d.D": {"type": "object", "properties": {"e": {"$ref": f"{_R}e.E"}}},
    "e.E": {"type": "string", "enum": ["one", "two"]},
    "f.F": {"type": "string", "enum": ["lone"]},
}


def test_split_keeps_what_references_each_other_together() -> None:
    sets = Graph(_GROUPS).split(2)
    # a, b and c are linked through b (referenced by both), d and e by d's reference.
    assert sorted(map(sorted, sets)) == [["a.A", "b.B", "c.C"], ["d.D", "e.E", "f.F"]]
    assert Graph(_GROUPS).split(1) == [set(_GROUPS)]
    assert len(Graph(_GROUPS).split(9)) == 3  # never more sets than groups


def _recording_dcg(calls: list[list[set[str]]]) -> Any:
    def dcg(parts: list[dict[str, Any]]) -> list[dict[str, str]]:
        calls.append([set(part) for part in parts])
        return [model_codegen.generate(part, "3.1.0") for part in parts]

    return dcg


def test_a_whole_run_side_by_side_writes_what_one_run_writes() -> None:
    graph = Graph(_GROUPS)
    calls: list[list[set[str]]] = []
    raw, modules = reuse(graph, graph.module_keys("base", {}), None, _recording_dcg(calls), 2)
    assert raw == model_codegen.generate(_GROUPS, "3.1.0")
    assert "e" not in raw and "f" in raw  # the referenced enum is inlined, the lone one kept
    assert len(calls) == 1 and len(calls[0]) == 2
    assert modules is not None and len(modules) == len(_GROUPS)


def test_a_run_that_writes_a_shared_module_is_made_whole() -> None:
    """DCG's `_internal` (classes referencing each other across modules) depends on the
    whole set: the side-by-side runs are dropped for one whole run."""
    cyclic = {
        **_GROUPS,
        "b.B": {"type": "object", "properties": {"a": {"$ref": f"{_R}a.A"}}},
    }
    graph = Graph(cyclic)
    calls: list[list[set[str]]] = []
    raw, modules = reuse(graph, graph.module_keys("base", {}), None, _recording_dcg(calls), 2)
    assert raw == model_codegen.generate(cyclic, "3.1.0") and "_internal" in raw
    assert [len(call) for call in calls] == [2, 1]
    assert modules is None
