"""A nested object whose keys a class body cannot hold as they are (`from`, `aspect-ratio`,
`__id`): by default they get Python names (`from_`, `aspect_ratio`, `_id`) and are sent
under their wire names; when a key makes no Python name at all (`+`), a functional-syntax
TypedDict keeps every key as the document spells them."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import anyio
from _generate import mypy

from .helpers import Wire
from .typecheck import assert_clean

SPEC = """
openapi: 3.0.3
info: {title: Crop API, version: 1.0.0}
servers:
  - url: https://crop.example.test
paths:
  /crops:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [box]
              properties:
                box:
                  type: object
                  description: Where to crop.
                  required: [from]
                  properties:
                    from: {$ref: '#/components/schemas/Point'}
                    aspect-ratio: {type: string}
                    __id: {type: integer}
      responses:
        '200':
          description: Done.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Crop'}
components:
  schemas:
    Point:
      type: object
      properties:
        x: {type: integer}
    Crop:
      type: object
      properties:
        id: {type: string}
"""
CONFIG = """
package: {package}
client: {sync: CropClient, async: AsyncCropClient}
resources:
  crops:
    singular: crop
    methods:
      create: post /crops
"""


class TestNestedKeys:
    SPEC, CONFIG = SPEC, CONFIG

    def test_python_keys_are_sent_as_the_wire_names_them(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "c1"})
        with wire.sync_client(sdk.CropClient) as client:
            client.crops.create(box={"from_": {"x": 1}, "aspect_ratio": "4:3", "_id": 7})
        assert wire.sent_json() == {"box": {"from": {"x": 1}, "aspect-ratio": "4:3", "__id": 7}}

    def test_async(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "c2"})

        async def call() -> None:
            async with wire.async_client(sdk.AsyncCropClient) as client:
                await client.crops.create(box={"from_": {"x": 2}})

        anyio.run(call)
        assert wire.sent_json() == {"box": {"from": {"x": 2}}}

    def test_the_typed_dict_knows_its_keys(self, sdk: ModuleType) -> None:
        params = sys.modules[f"{sdk.__name__}.types.crop_create_params"]
        # Class syntax under `from __future__ import annotations`: the keys, not which are
        # required (the type checker reads `Required`).
        assert set(params.CropCreateBox.__annotations__) == {"from_", "aspect_ratio", "_id"}

    def test_generated_code_is_clean(self, sdk: ModuleType) -> None:
        assert_clean(sdk)

    def test_a_wrong_key_type_is_rejected(self, sdk: ModuleType) -> None:
        _assert_rejected_at_line_6(
            sdk,
            "    client.crops.create(box={'from_': {'x': 1}, 'aspect_ratio': '1:1'})\n"
            "    client.crops.create(box={'from_': {'x': 1}, '_id': 'seven'})\n",
        )


# A key that makes no Python name at all (`+`): the object keeps every key as written.
SYMBOL_SPEC = SPEC.replace(
    "__id: {type: integer}", "__id: {type: integer}\n                    '+': {type: integer}"
)


class TestKeysThatMakeNoPythonName:
    SPEC, CONFIG = SYMBOL_SPEC, CONFIG

    def test_keys_are_sent_as_written(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "c1"})
        box = {"from": {"x": 1}, "aspect-ratio": "4:3", "__id": 7, "+": 1}
        with wire.sync_client(sdk.CropClient) as client:
            client.crops.create(box=box)
        assert wire.sent_json() == {"box": box}

    def test_the_typed_dict_knows_its_keys(self, sdk: ModuleType) -> None:
        params = sys.modules[f"{sdk.__name__}.types.crop_create_params"]
        box = params.CropCreateBox
        assert box.__required_keys__ == frozenset({"from"})
        assert box.__optional_keys__ == frozenset({"aspect-ratio", "__id", "+"})

    def test_generated_code_is_clean(self, sdk: ModuleType) -> None:
        assert_clean(sdk)

    def test_a_wrong_key_type_is_rejected(self, sdk: ModuleType) -> None:
        _assert_rejected_at_line_6(
            sdk,
            "    client.crops.create(box={'from': {'x': 1}, 'aspect-ratio': '1:1'})\n"
            "    client.crops.create(box={'from': {'x': 1}, '+': 'seven'})\n",
        )


def _assert_rejected_at_line_6(sdk: ModuleType, calls: str) -> None:
    """mypy --strict accepts the first call of `calls` and rejects the second (line 6)."""
    out = Path(sdk.__file__ or "").parent.parent
    (out / "user_keys.py").write_text(
        f"from {sdk.__name__} import CropClient\n\n\n"
        "def call(client: CropClient) -> None:\n" + calls,
        encoding="utf-8",
    )
    checked = mypy("user_keys.py", cwd=out)
    errors = [line for line in checked.stdout.splitlines() if ": error:" in line]
    assert [line.split(":")[1] for line in errors] == ["6"], checked.stdout
