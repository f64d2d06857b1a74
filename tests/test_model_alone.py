"""A returned union that other schemas reference: datamodel-code-generator writes it into
their fields and no module of its own, yet a method returns it, so it needs one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sdkforge.cli
import sdkforge.response_models
from _dcg_spy import spy_on_dcg
from _trees import read_tree

Run = Callable[..., Any]

SPEC = """\
openapi: 3.1.0
info: {title: Feed, version: "1"}
servers: [{url: "https://feed.example/v1"}]
paths:
  /items:
    get:
      operationId: listItems
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/ItemList"}
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
components:
  schemas:
    Photo:
      type: object
      required: [kind]
      properties:
        kind: {type: string, enum: [photo]}
        url: {type: string}
    Note:
      type: object
      required: [kind]
      properties:
        kind: {type: string, enum: [note]}
        text: {type: string}
    Item:
      oneOf:
        - {$ref: "#/components/schemas/Photo"}
        - {$ref: "#/components/schemas/Note"}
      discriminator: {propertyName: kind}
    ItemList:
      type: object
      properties:
        data:
          type: array
          items: {$ref: "#/components/schemas/Item"}
"""

CONFIG = """\
package: feed
client: {sync: Feed, async: AsyncFeed, api_key_env: FEED_API_KEY}
resources:
  items:
    singular: item
    methods:
      list: get /items
      retrieve: get /items/{id}
"""


@pytest.fixture
def dcg_runs(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The schemas of each datamodel-code-generator run, in this process (no worker)."""
    return spy_on_dcg(monkeypatch)


def _generate(run_cli: Run, tmp_path: Path, name: str) -> dict[str, str]:
    (tmp_path / "openapi.yaml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "sdk.yaml").write_text(CONFIG, encoding="utf-8")
    out = tmp_path / name / "out"
    result = run_cli(
        "generate", "--spec", tmp_path / "openapi.yaml", "--config", tmp_path / "sdk.yaml",
        "--out", out,
    )  # fmt: skip
    assert result.code == 0, result.err
    return read_tree(out)


def test_the_union_gets_its_module_from_one_run(
    run_cli: Run, tmp_path: Path, dcg_runs: list[set[str]]
) -> None:
    tree = _generate(run_cli, tmp_path, "copied")
    union = tree["feed/types/item.py"]
    assert "Item: TypeAlias = Annotated[" in union and "from .photo import Photo" in union
    assert "Field(discriminator=" in union
    # ItemList's field still holds the union inline, as DCG writes it.
    assert "Annotated[Union[Photo, Note]" in tree["feed/types/item_list.py"]
    assert len(dcg_runs) == 1  # the copy came with the others: no run of its own
    assert not any("__alone" in path for path in tree)


def test_without_the_copy_the_union_is_made_alone_with_the_same_text(
    run_cli: Run, tmp_path: Path, dcg_runs: list[set[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    copied = _generate(run_cli, tmp_path, "copied")
    monkeypatch.setattr(sdkforge.response_models, "alone_copies", lambda *args: {})
    dcg_runs.clear()
    alone = _generate(run_cli, tmp_path, "alone")
    # The second run is Item alone with what it references: ItemList is not in it.
    assert len(dcg_runs) == 2 and "item_list.ItemList" not in dcg_runs[1]
    assert {path.replace("alone", "copied"): text for path, text in alone.items()} == copied
