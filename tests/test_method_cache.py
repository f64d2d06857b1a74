"""Regenerating with the output's cache: a method is built again only when something it is
built from changed (its operation, what that reaches by `$ref` or a discriminator's
mapping, the config, what every method reads), and the output is byte for byte what a
cold run writes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sdkforge.cli
import sdkforge.merge
from _generate import write_inputs
from _trees import read_tree
from sdkforge.build import MethodParts, build_method
from sdkforge.cache import CACHE_DIR
from sdkforge.value_codec import NotEncodable, dumps, loads

Run = Callable[..., Any]

SPEC = """\
openapi: 3.1.0
info: {title: Pixels, version: "1"}
servers: [{url: "https://pixels.example/v1"}]
security: [{key: []}]
paths:
  /images:
    post:
      operationId: createImage
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/CreateImage"}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Image"}
  /images/{imageId}:
    parameters:
      - {$ref: "#/components/parameters/ImageId"}
    get:
      operationId: getImage
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Image"}
  /shapes:
    post:
      operationId: drawShape
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Shape"}
      responses:
        "204": {description: drawn}
  /jobs:
    get:
      operationId: listJobs
      parameters:
        - {name: page, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {type: string}}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: x-api-key}
  parameters:
    ImageId:
      name: imageId
      in: path
      required: true
      description: The image.
      schema: {type: string}
  schemas:
    Style:
      type: string
      enum: [photo, sketch]
    CreateImage:
      type: object
      required: [prompt]
      properties:
        prompt: {type: string, description: What to draw.}
        style: {$ref: "#/components/schemas/Style"}
    Image:
      type: object
      properties:
        id: {type: string}
        url: {type: string}
    Shape:
      oneOf:
        - {$ref: "#/components/schemas/Circle"}
        - {$ref: "#/components/schemas/Square"}
      discriminator:
        propertyName: kind
        mapping:
          circle: Circle
          square: "#/components/schemas/Square"
    Circle:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
        radius: {type: number, description: How far.}
    Square:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
        side: {type: number}
"""

CONFIG = """\
package: pixels
client: {sync: Pixels, async: AsyncPixels, api_key_env: PIXELS_API_KEY}
resources:
  images:
    singular: image
    methods:
      create: post /images
      retrieve: get /images/{imageId}
  shapes:
    singular: shape
    methods:
      draw: post /shapes
  jobs:
    singular: job
    methods:
      list: get /jobs
"""

EVERY_METHOD = {"images.create", "images.retrieve", "shapes.draw", "jobs.list"}


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The methods each run builds (rather than takes from the cache), in this process."""
    built: list[str] = []

    def spy(ctx: Any, resource: Any, method: Any) -> Any:
        built.append(f"{resource.name}.{method.name}")
        return build_method(ctx, resource, method)

    monkeypatch.setattr(sdkforge.merge, "build_method", spy)
    monkeypatch.setattr(sdkforge.cli.ModelWorker, "start", classmethod(lambda cls: None))
    yield built


def _generate(run_cli: Run, spec: Path, config: Path, out: Path) -> str:
    result = run_cli("generate", "--spec", spec, "--config", config, "--out", out)
    assert result.code == 0, result.err
    return str(result.err)


def _write(folder: Path, spec: str, config: str) -> tuple[Path, Path]:
    inputs = write_inputs(folder, spec, config)
    return inputs.spec, inputs.config


def _rebuilt(
    run_cli: Run, tmp_path: Path, builds: list[str], spec: str, config: str = CONFIG
) -> set[str]:
    """Generate SPEC/CONFIG, then `spec`/`config` over it: the methods the second run built.
    Its tree must be what a cold run writes (same folder name: the README names it), and
    differ from the first run's (the edit is one the output shows)."""
    warm = tmp_path / "warm" / "out"
    _generate(run_cli, *_write(tmp_path / "before", SPEC, CONFIG), warm)
    first = read_tree(warm)
    builds.clear()
    _generate(run_cli, *_write(tmp_path / "after", spec, config), warm)
    rebuilt = set(builds)
    cold = tmp_path / "cold" / "out"
    _generate(run_cli, *_write(tmp_path / "after", spec, config), cold)
    assert read_tree(warm) == read_tree(cold)
    assert read_tree(warm) != first
    return rebuilt


@pytest.mark.parametrize(
    "old, new, rebuilt",
    [
        # A schema reached through the body's `$ref`.
        ("enum: [photo, sketch]", "enum: [photo, sketch, oil]", {"images.create"}),
        # A path-level parameter, itself a `$ref` to components/parameters.
        ("description: The image.", "description: The image's id.", {"images.retrieve"}),
        # A union member (that the discriminator's mapping names by its bare name too).
        ("description: How far.", "description: From the centre.", {"shapes.draw"}),
        # The operation itself.
        ("operationId: listJobs", "operationId: listJobs\n      summary: The jobs.", {"jobs.list"}),
        # What every method reads: a security scheme.
        ("name: x-api-key", "name: x-pixels-key", EVERY_METHOD),
    ],
)
def test_an_edit_rebuilds_the_methods_it_reaches(
    run_cli: Run, tmp_path: Path, builds: list[str], old: str, new: str, rebuilt: set[str]
) -> None:
    assert old in SPEC
    found = _rebuilt(run_cli, tmp_path, builds, SPEC.replace(old, new))
    # jobs.list carries a note (a list that looks paged), whose line an edit may move: it
    # is built every run.
    assert found == rebuilt | {"jobs.list"}


def test_a_config_edit_rebuilds_every_method(
    run_cli: Run, tmp_path: Path, builds: list[str]
) -> None:
    config = CONFIG.replace("package: pixels", "package: pixels\nnaming: wire")
    assert _rebuilt(run_cli, tmp_path, builds, SPEC, config) == EVERY_METHOD


def test_a_note_keeps_its_line_when_an_edit_above_moves_it(
    run_cli: Run, tmp_path: Path, builds: list[str]
) -> None:
    moved = SPEC.replace(
        "  /images:\n",
        "  /ping:\n    get:\n      responses: {'204': {description: up}}\n  /images:\n",
    )
    out = tmp_path / "out"
    before = _generate(run_cli, *_write(tmp_path / "before", SPEC, CONFIG), out)
    after = _generate(run_cli, *_write(tmp_path / "before", moved, CONFIG), out)
    # Where the note points: the query parameter that looks like a page number.
    line = next(n for n, text in enumerate(SPEC.splitlines(), 1) if "name: page" in text)
    assert f"openapi.yaml:{line}:" in before
    assert f"openapi.yaml:{line + 3}:" in after and f"openapi.yaml:{line}:" not in after


def test_a_damaged_cache_means_a_full_build(
    run_cli: Run, tmp_path: Path, builds: list[str]
) -> None:
    spec, config = _write(tmp_path / "in", SPEC, CONFIG)
    out = tmp_path / "out"
    _generate(run_cli, spec, config, out)
    first = read_tree(out)
    kept = out / CACHE_DIR / "methods.json"
    entries = json.loads(kept.read_text(encoding="utf-8"))
    assert len(entries) == len(EVERY_METHOD) - 1  # all but jobs.list, which has a note
    for key in entries:
        entries[key] = entries[key].replace('"t"', '"x"')  # no longer what the codec writes
    kept.write_text(json.dumps(entries), encoding="utf-8")
    (out / CACHE_DIR / "state.json").unlink()  # else the unchanged input would build nothing
    builds.clear()
    _generate(run_cli, spec, config, out)
    assert set(builds) == EVERY_METHOD
    assert read_tree(out) == first


def _parts(write_inputs: Any) -> tuple[MethodParts, Any]:
    from sdkforge.pipeline import _build, load_inputs

    inputs = write_inputs(SPEC, CONFIG)
    built, _ = _build(inputs, load_inputs(inputs))
    parts = built.resources[0].methods[0]
    assert isinstance(parts, MethodParts)
    return parts, built.context.spec


def test_the_codec_gives_back_an_equal_method(write_inputs: Any) -> None:
    parts, spec = _parts(write_inputs)
    again = loads(dumps(parts), spec)
    assert again == parts
    assert isinstance(again.claims, tuple) and isinstance(again.method.fields, tuple)


@pytest.mark.parametrize(
    "text",
    [
        '{"c": "subprocess:Popen", "v": [["true"]]}',  # not one of the generator's
        '{"c": "sdkforge.cli:main", "v": []}',  # the generator's, but not a dataclass
        '{"c": "sdkforge.build:Claim", "v": ["only one"]}',  # the wrong number of fields
        '{"q": 1}',
        "[1, 2",
    ],
)
def test_the_codec_refuses_what_it_did_not_write(write_inputs: Any, text: str) -> None:
    _, spec = _parts(write_inputs)
    with pytest.raises(NotEncodable):
        loads(text, spec)


def test_a_node_is_found_again_in_the_document(write_inputs: Any) -> None:
    from sdkforge.resolve import Node

    _, spec = _parts(write_inputs)
    node = spec.root.get("components")
    assert node is not None
    assert loads(dumps((node,)), spec) == (node,)
    with pytest.raises(NotEncodable):
        loads(dumps(Node({}, ("components", "nowhere"))), spec)


def test_the_closure_follows_a_discriminators_mapping(write_inputs: Any) -> None:
    """Subtypes that only the mapping names (each `allOf`s the base) are part of what a
    method using the base is built from."""
    from sdkforge.cache import Memo
    from sdkforge.method_cache import MethodCache
    from sdkforge.pipeline import _build, load_inputs

    base = """\
    Shape:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
      discriminator:
        propertyName: kind
        mapping: {circle: Circle, square: "#/components/schemas/Square"}
    Circle:
      allOf: [{$ref: "#/components/schemas/Shape"}]
    Square:
      allOf: [{$ref: "#/components/schemas/Shape"}]
"""
    spec = SPEC[: SPEC.index("    Shape:\n")] + base
    inputs = write_inputs(spec, CONFIG)
    built, _ = _build(inputs, load_inputs(inputs))
    closure = MethodCache(Memo(None, ""), built.context)._closure(("paths", "/shapes"))
    schemas = {path[2] for path in closure if path[:2] == ("components", "schemas")}
    assert schemas == {"Shape", "Circle", "Square"}


def test_a_memo_is_written_only_when_its_entries_change(tmp_path: Path) -> None:
    from sdkforge.cache import Memo

    def run(entries: dict[str, str]) -> int:
        memo = Memo(tmp_path, "memo.json")
        for key, value in entries.items():
            if memo.get(key) != value:
                memo.put(key, value)
            else:
                memo.put(key, memo.get(key))
        memo.flush()
        return (tmp_path / CACHE_DIR / "memo.json").stat().st_ino

    first = run({"a": "1", "b": "2"})
    assert run({"a": "1", "b": "2"}) == first  # the same entries: the file is left alone
    changed = run({"a": "1", "b": "3"})
    assert changed != first  # written again (a new file swapped in)
    assert json.loads((tmp_path / CACHE_DIR / "memo.json").read_text()) == {"a": "1", "b": "3"}
    assert run({"a": "1"}) != changed  # an entry no longer asked for is dropped
    assert json.loads((tmp_path / CACHE_DIR / "memo.json").read_text()) == {"a": "1"}
