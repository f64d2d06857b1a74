"""Output that lints and type-checks whatever the document holds: a nested object shared by
several methods, literals longer than a line, `default: null` and `nullable: false`."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from .helpers import Wire
from .typecheck import assert_clean

LONG = "a-" * 60
SPEC = f"""
openapi: 3.0.3
info: {{title: Clean API, version: 1.0.0}}
servers:
  - url: https://clean.example.test
paths:
  /a:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                at: {{$ref: '#/components/schemas/Point'}}
                mode: {{type: string, enum: [{LONG}, short]}}
                note: {{type: string, nullable: false, default: null}}
      responses:
        '200':
          description: Done.
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Thing'}}
  /b:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                to: {{$ref: '#/components/schemas/Point'}}
      responses:
        '200':
          description: Done.
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Thing'}}
components:
  schemas:
    Point:
      type: object
      properties:
        x: {{type: integer}}
    Thing:
      type: object
      properties:
        label: {{type: string, nullable: false, default: null}}
        count: {{type: integer, default: null}}
        flag: {{type: boolean, default: false}}
        mode: {{type: string, default: {LONG}}}
"""
CONFIG = """
package: {package}
client: {sync: Clean, async: AsyncClean}
resources:
  things:
    singular: thing
    methods:
      first: post /a
      second: post /b
"""


class TestCleanOutput:
    SPEC, CONFIG = SPEC, CONFIG

    def test_ruff_and_mypy_pass(self, sdk: ModuleType) -> None:
        assert_clean(sdk)

    def test_a_shared_nested_class_is_defined_once(self, sdk: ModuleType) -> None:
        root = Path(sdk.__file__ or "").parent
        defined = [p.name for p in (root / "types").glob("*.py") if "class Point(" in p.read_text()]
        assert defined == ["shared_params.py"]
        resource = (root / "resources" / "things.py").read_text()
        assert resource.count("import Point") == 1
        assert "from ..types.shared_params import Point" in resource
        # Still importable from each params module that uses it.
        first = importlib.import_module(f"{sdk.__name__}.types.thing_first_params")
        second = importlib.import_module(f"{sdk.__name__}.types.thing_second_params")
        assert first.Point is second.Point and "Point" in first.__all__

    def test_null_defaults_are_absent_values(self, sdk: ModuleType) -> None:
        fields = importlib.import_module(f"{sdk.__name__}.types").Thing.model_fields
        assert fields["label"].default is None and fields["count"].default is None
        assert fields["flag"].default is False
        assert fields["mode"].default == LONG
        assert str(fields["label"].annotation) == "typing.Optional[str]"

    def test_the_long_literal_is_sent(self, sdk: ModuleType) -> None:
        wire = Wire.json({})
        with wire.sync_client(sdk.Clean) as client:
            client.things.first(mode=LONG, at={"x": 1})
        assert wire.sent_json() == {"mode": LONG, "at": {"x": 1}}
