"""`client.optional_headers`: a header the client sends when its constructor argument, else
its environment variable, is set, and leaves out when neither is; sync and async, kept by
`with_options`, checked by mypy as keyword arguments of the client."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import anyio
import pytest
from _generate import mypy

from .helpers import Wire
from .typecheck import assert_clean

SPEC = """
openapi: 3.1.0
info: {title: Org API, version: "1"}
servers: [{url: "https://org.example/v1"}]
paths:
  /ping:
    get:
      responses:
        "200":
          description: Pong.
          content:
            application/json:
              schema: {type: object, properties: {ok: {type: boolean}}}
"""
CONFIG = """
package: {package}
client:
  sync: OrgClient
  async: AsyncOrgClient
  optional_headers:
    - {header: Org-Id, argument: organization, env: ORG_API_ORG}
    - {header: Org-Project, argument: project}
resources:
  ping:
    methods:
      get: get /ping
"""


class TestOptionalHeaders:
    SPEC, CONFIG = SPEC, CONFIG

    def test_an_argument_is_sent_as_its_header(self, sdk: ModuleType) -> None:
        wire = Wire.json({"ok": True})
        client = wire.sync_client(sdk.OrgClient, organization="org-1", project="p-2")
        client.ping.get()
        assert wire.request.headers["org-id"] == "org-1"
        assert wire.request.headers["org-project"] == "p-2"

    def test_unset_headers_are_not_sent(
        self, sdk: ModuleType, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("ORG_API_ORG", raising=False)
        wire = Wire.json({"ok": True})
        wire.sync_client(sdk.OrgClient).ping.get()
        assert "org-id" not in wire.request.headers
        assert "org-project" not in wire.request.headers

    def test_the_variable_is_read_when_the_argument_is_not_given(
        self, sdk: ModuleType, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("ORG_API_ORG", "org-env")
        wire = Wire.json({"ok": True})
        wire.sync_client(sdk.OrgClient).ping.get()
        assert wire.request.headers["org-id"] == "org-env"
        wire = Wire.json({"ok": True})
        wire.sync_client(sdk.OrgClient, organization="org-arg").ping.get()
        assert wire.request.headers["org-id"] == "org-arg"

    def test_async_and_with_options_keep_them(self, sdk: ModuleType) -> None:
        wire = Wire.json({"ok": True})
        client = wire.async_client(sdk.AsyncOrgClient, project="p-async")

        async def call() -> None:
            await client.with_options(max_retries=1).ping.get()

        anyio.run(call)
        assert wire.request.headers["org-project"] == "p-async"

    def test_a_value_no_header_may_carry_is_refused(self, sdk: ModuleType) -> None:
        with pytest.raises(sdk.SDKError, match="organization holds a control character"):
            sdk.OrgClient(organization="org\n")

    def test_the_package_is_clean_and_the_arguments_typed(self, sdk: ModuleType) -> None:
        assert_clean(sdk)
        out = Path(sdk.__file__ or "").parent.parent
        (out / "use_it.py").write_text(
            f"from {sdk.__name__} import OrgClient\n"
            "OrgClient(organization='o', project='p', max_retries=1)\n"
            "OrgClient(organization=1)\n"
            "OrgClient(max_retires=1)\n",
            encoding="utf-8",
        )
        checked = mypy("use_it.py", cwd=out)
        errors = [line for line in checked.stdout.splitlines() if ": error:" in line]
        assert len(errors) == 2, checked.stdout
        assert "use_it.py:3:" in errors[0] and "organization" in errors[0]
        assert "use_it.py:4:" in errors[1] and "max_retires" in errors[1]
