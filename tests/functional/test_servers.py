"""The default base URL from the spec's servers: variables take their defaults, a relative
server gives way to an absolute one listed after it, and with no absolute server at all the
error names `default_base_url`, which then decides."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import anyio
import pytest
from sdkforge.diagnostics import SpecError

from .helpers import Wire, generated_package

SPEC = """
openapi: 3.0.3
info: {title: Far API, version: 1.0.0}
servers:
  - url: ''
  - url: /api/{version}
    variables:
      version: {default: v1}
  - url: https://{region}.far.example.test/{version}
    variables:
      region: {default: eu, enum: [eu, us]}
      version: {default: v2}
  - url: https://backup.far.example.test
paths:
  /ping:
    get:
      responses:
        '200':
          description: Pong.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pong'}
components:
  schemas:
    Pong:
      type: object
      properties:
        ok: {type: boolean}
"""
CONFIG = """
package: {package}
client:
  sync: FarClient
  async: AsyncFarClient
  api_key_env: FAR_API_KEY
resources:
  pings:
    singular: ping
    methods:
      send: get /ping
"""


class TestServers:
    SPEC, CONFIG = SPEC, CONFIG

    def test_the_first_absolute_server_with_its_defaults(self, sdk: ModuleType) -> None:
        wire = Wire.json({"ok": True})
        with wire.sync_client(sdk.FarClient) as client:
            assert client.pings.send().ok is True
        assert str(wire.request.url) == "https://eu.far.example.test/v2/ping"

    def test_async(self, sdk: ModuleType) -> None:
        wire = Wire.json({"ok": True})

        async def call() -> None:
            async with wire.async_client(sdk.AsyncFarClient) as client:
                await client.pings.send()

        anyio.run(call)
        assert str(wire.request.url) == "https://eu.far.example.test/v2/ping"


RELATIVE_ONLY = SPEC.replace(
    """  - url: https://{region}.far.example.test/{version}
    variables:
      region: {default: eu, enum: [eu, us]}
      version: {default: v2}
  - url: https://backup.far.example.test
""",
    """  - url: https://{region}.far.example.test
""",
)


def test_no_absolute_server_names_default_base_url(tmp_path: Path) -> None:
    with (
        pytest.raises(SpecError) as caught,
        generated_package(RELATIVE_ONLY, CONFIG, tmp_path, "fn_servers_relative"),
    ):
        pass
    problems = [f"{d.location.line}: {d.message} ({d.hint})" for d in caught.value.diagnostics]
    assert problems == [
        "5: server URL '' is relative: it names no host to call (list an absolute server "
        "first, or set `default_base_url:` under client in the config)",
        "6: server URL '/api/v1' is relative: it names no host to call (list an absolute "
        "server first, or set `default_base_url:` under client in the config)",
        "9: server variable 'region' has no default (give it `default:` under the server's "
        "`variables:`, or set `default_base_url:` under client in the config)",
    ]


def test_default_base_url_decides_when_the_servers_do_not(tmp_path: Path) -> None:
    config = CONFIG.replace(
        "  api_key_env:", "  default_base_url: https://near.test/x\n  api_key_env:"
    )
    with generated_package(RELATIVE_ONLY, config, tmp_path, "fn_servers_configured") as sdk:
        wire = Wire.json({"ok": False})
        with wire.sync_client(sdk.FarClient) as client:
            client.pings.send()
        assert str(wire.request.url) == "https://near.test/x/ping"
