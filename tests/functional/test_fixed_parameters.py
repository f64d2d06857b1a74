"""Parameters the document settles: a required header or query parameter with one allowed
value is sent by the client, not asked of the caller; a boolean path value is `true`/`false`;
parameters and responses named by `$ref` into components; path-level parameters merged with
the operation's (the operation's win)."""

from __future__ import annotations

import inspect
from types import ModuleType

import anyio
import pytest

from .helpers import Wire
from .typecheck import assert_clean

SPEC = """
openapi: 3.1.0
info: {title: Flags API, version: "1.0"}
servers:
  - url: https://flags.example.test
paths:
  /flags/{enabled}:
    parameters:
      - $ref: '#/components/parameters/Version'
      - {name: region, in: query, schema: {type: string}}
    put:
      parameters:
        - {name: enabled, in: path, required: true, schema: {type: boolean}}
        - {name: region, in: query, required: true, schema: {type: string, enum: [eu]}}
        - {name: format, in: query, required: true, schema: {type: string, enum: [json]}}
        - {name: mode, in: query, schema: {type: string, enum: [fast]}}
        - {name: X-Choice, in: header, required: true, schema: {type: string, enum: [a, b]}}
      responses:
        '200': {$ref: '#/components/responses/FlagAnswer'}
components:
  parameters:
    Version:
      name: Api-Version
      in: header
      required: true
      schema: {type: string, const: '2024-06-01'}
  responses:
    FlagAnswer:
      description: The flag.
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Flag'}
  schemas:
    Flag:
      type: object
      required: [enabled]
      properties:
        enabled: {type: boolean}
"""
CONFIG = """
package: {package}
client:
  sync: FlagsClient
  async: AsyncFlagsClient
  api_key_env: FLAGS_API_KEY
resources:
  flags:
    singular: flag
    methods:
      set: put /flags/{enabled}
"""


STANDARD = ("extra_headers", "extra_query", "extra_body", "timeout")


class TestFixed:
    SPEC, CONFIG = SPEC, CONFIG

    def test_single_values_are_not_arguments(self, sdk: ModuleType) -> None:
        with Wire.json({}).sync_client(sdk.FlagsClient) as client:
            names = set(inspect.signature(client.flags.set).parameters)
        assert names == {"enabled", "mode", "x_choice", *STANDARD}

    def test_fixed_values_and_booleans_on_the_wire(self, sdk: ModuleType) -> None:
        wire = Wire.json({"enabled": True})
        with wire.sync_client(sdk.FlagsClient) as client:
            flag = client.flags.set(enabled=False, x_choice="b")
        assert flag.enabled is True
        request = wire.request
        assert request.url.path == "/flags/false"
        assert dict(request.url.params) == {"region": "eu", "format": "json"}
        assert request.headers["api-version"] == "2024-06-01"
        assert request.headers["x-choice"] == "b"

    def test_the_caller_may_still_override_a_fixed_value(self, sdk: ModuleType) -> None:
        wire = Wire.json({"enabled": True})
        with wire.sync_client(sdk.FlagsClient) as client:
            client.flags.set(
                enabled=True,
                x_choice="a",
                mode="fast",
                extra_headers={"Api-Version": "2025-01-01"},
                extra_query={"format": "xml"},
            )
        request = wire.request
        assert request.url.path == "/flags/true"
        assert request.headers["api-version"] == "2025-01-01"
        assert dict(request.url.params) == {"region": "eu", "format": "xml", "mode": "fast"}

    def test_async(self, sdk: ModuleType) -> None:
        wire = Wire.json({"enabled": False})

        async def call() -> object:
            async with wire.async_client(sdk.AsyncFlagsClient) as client:
                return await client.flags.set(enabled=True, x_choice="a")

        assert anyio.run(call).enabled is False  # type: ignore[attr-defined]
        assert wire.request.headers["api-version"] == "2024-06-01"
        assert wire.request.url.path == "/flags/true"

    def test_an_empty_path_value_is_refused(self, sdk: ModuleType) -> None:
        wire = Wire.json({"enabled": True})
        with wire.sync_client(sdk.FlagsClient) as client, pytest.raises(ValueError, match="empty"):
            client.flags.set(enabled="", x_choice="a")
        assert wire.requests == []

    def test_generated_code_is_clean(self, sdk: ModuleType) -> None:
        assert_clean(sdk)
