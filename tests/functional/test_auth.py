"""Auth from securitySchemes: each operation sends exactly what its security names, the
config corrects a wrong or silent document, and no credential leaves the client's origin."""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType

import anyio
import httpx
import pytest
from sdkforge.diagnostics import SpecError

from .helpers import Wire, generated_package

OK = """
      responses:
        "200":
          description: Done.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Ok"}
"""


def _paths(*entries: tuple[str, str]) -> str:
    """A `paths:` block of GET operations, each with its own `security:` text ('' for none)."""
    text = "paths:\n"
    for path, security in entries:
        text += f"  {path}:\n    get:\n"
        if security:
            text += f"      security: {security}\n"
        text += OK
    return text


SCHEMAS = """
components:
  securitySchemes:
    HeaderKey: {type: apiKey, in: header, name: X-Key}
    QueryKey: {type: apiKey, in: query, name: key}
    CookieKey: {type: apiKey, in: cookie, name: session}
    Bearer: {type: http, scheme: bearer}
    Basic: {type: http, scheme: basic}
    OAuth:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: https://a.example/token, scopes: {read: Read.}}}
    Digest: {type: http, scheme: digest}
    Mtls: {type: mutualTLS}
  schemes: {}
"""
OK_SCHEMA = """
  schemas:
    Ok:
      type: object
      properties:
        ok: {type: boolean}
"""
HEAD = """
openapi: 3.1.0
info: {title: Vault API, version: "1.0"}
servers:
  - url: https://vault.example/v1
"""

SPEC = (
    HEAD
    + "security:\n  - HeaderKey: []\n"
    + _paths(
        ("/default", ""),
        ("/query", "[{QueryKey: []}]"),
        ("/cookie", "[{CookieKey: []}]"),
        ("/bearer", "[{Bearer: []}]"),
        ("/basic", "[{Basic: []}]"),
        ("/oauth", "[{OAuth: [read]}]"),
        ("/none", "[]"),
        ("/alternatives", "[{Digest: []}, {Mtls: []}, {QueryKey: []}, {Bearer: []}]"),
        ("/both", "[{HeaderKey: [], QueryKey: []}]"),
    )
    + SCHEMAS.replace("  schemes: {}\n", "")
    + OK_SCHEMA
)
CONFIG = """
package: {package}
client:
  sync: Vault
  async: AsyncVault
  api_key_env: VAULT_KEY
  username_env: VAULT_USER
  password_env: VAULT_PASSWORD
  headers: {Api-Version: "2024-06-01"}
resources:
  calls:
    methods:
      default: get /default
      query: get /query
      cookie: get /cookie
      bearer: get /bearer
      basic: get /basic
      oauth: get /oauth
      none: get /none
      alternatives: get /alternatives
      both: get /both
"""
KEY = "s3cret-key"
BASIC = "Basic " + base64.b64encode(b"ann:pw!").decode()


def credentials(request: httpx.Request) -> dict[str, str]:
    """Every place a credential of this API could be in `request`, with what it holds."""
    found = {
        name: request.headers[name]
        for name in ("x-key", "authorization", "cookie")
        if name in request.headers
    }
    if "key" in request.url.params:
        found["?key"] = request.url.params["key"]
    return found


# What each method must send, and nothing more.
EXPECTED = {
    "default": {"x-key": KEY},
    "query": {"?key": KEY},
    "cookie": {"cookie": f"session={KEY}"},
    "bearer": {"authorization": f"Bearer {KEY}"},
    "basic": {"authorization": BASIC},
    "oauth": {"authorization": f"Bearer {KEY}"},
    "none": {},
    "alternatives": {"?key": KEY},  # digest and mutualTLS are passed over
    "both": {"x-key": KEY, "?key": KEY},
}


class TestEachSchemeSendsWhatItsOperationDeclares:
    SPEC, CONFIG = SPEC, CONFIG

    def test_sync(self, sdk: ModuleType) -> None:
        wire = Wire.json({"ok": True})
        with wire.sync_client(sdk.Vault, api_key=KEY, username="ann", password="pw!") as client:
            for name in EXPECTED:
                assert getattr(client.calls, name)().ok is True
        for name, request in zip(EXPECTED, wire.requests, strict=True):
            assert credentials(request) == EXPECTED[name], name
            assert request.headers["api-version"] == "2024-06-01"

    def test_async(self, sdk: ModuleType) -> None:
        wire = Wire.json({"ok": True})

        async def main() -> None:
            client = wire.async_client(sdk.AsyncVault, api_key=KEY, username="ann", password="pw!")
            async with client:
                for name in EXPECTED:
                    await getattr(client.calls, name)()

        anyio.run(main)
        for name, request in zip(EXPECTED, wire.requests, strict=True):
            assert credentials(request) == EXPECTED[name], name

    def test_credentials_come_from_the_environment(
        self, sdk: ModuleType, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("VAULT_KEY", KEY)
        monkeypatch.setenv("VAULT_USER", "ann")
        monkeypatch.setenv("VAULT_PASSWORD", "pw!")
        wire = Wire.json({})
        with sdk.Vault(http_client=wire.sync_http()) as client:
            client.calls.default()
            client.calls.basic()
        assert [credentials(r) for r in wire.requests] == [EXPECTED["default"], EXPECTED["basic"]]

    def test_a_missing_credential_is_named_when_an_operation_needs_it(
        self, sdk: ModuleType, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for name in ("VAULT_KEY", "VAULT_USER", "VAULT_PASSWORD"):
            monkeypatch.delenv(name, raising=False)
        with pytest.raises(sdk.SDKError, match="VAULT_KEY"):
            sdk.Vault()  # the document's default security needs the key
        wire = Wire.json({})
        with wire.sync_client(sdk.Vault, api_key=KEY) as client:
            with pytest.raises(sdk.SDKError, match=r"username and a password.*VAULT_USER"):
                client.calls.basic()
            client.calls.none()
        assert [credentials(r) for r in wire.requests] == [{}]

    def test_extra_headers_and_query_win_over_the_credential(self, sdk: ModuleType) -> None:
        wire = Wire.json({})
        with wire.sync_client(sdk.Vault, api_key=KEY) as client:
            client.calls.default(extra_headers={"X-Key": sdk.omit})
            client.calls.query(extra_query={"key": "other"})
        assert [credentials(r) for r in wire.requests] == [{}, {"?key": "other"}]

    def test_secrets_stay_out_of_repr_errors_and_logs(
        self, sdk: ModuleType, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.DEBUG)
        echo = {"error": {"message": f"bad key {KEY} for {BASIC[6:]}"}}
        wire = Wire.json(echo)
        wire.status = 401
        client = wire.sync_client(sdk.Vault, api_key=KEY, username="ann", password="pw!")
        with client, pytest.raises(sdk.AuthenticationError) as info:
            client.calls.query()
        with pytest.raises(sdk.AuthenticationError) as basic_info:
            client.calls.basic()
        # Our own log records; httpx's INFO log of a URL is httpx's (the README says so).
        logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("fn_"))
        text = " ".join([repr(client), str(info.value), str(basic_info.value), logged])
        assert "/v1/query?key=*** -> 401" in logged
        assert KEY not in text and "pw!" not in text and BASIC[6:] not in text


class TestTheConfigCorrectsTheDocument:
    # The document names no security at all, and its one scheme has the wrong header.
    SPEC = (
        HEAD
        + _paths(("/items", ""), ("/public", "[]"))
        + "components:\n  securitySchemes:\n    Key: {type: apiKey, in: header, name: Wrong}\n"
        + OK_SCHEMA
    )
    CONFIG = """
package: {package}
client: {sync: Shop, async: AsyncShop, api_key_env: SHOP_KEY}
auth:
  security: [Key]
  schemes:
    Key: {name: Api-Key, prefix: "Key "}
resources:
  items:
    methods: {list: get /items, public: get /public}
"""

    def test_sync_and_async(self, sdk: ModuleType) -> None:
        wire = Wire.json({})
        with wire.sync_client(sdk.Shop, api_key=KEY) as client:
            client.items.list()
            client.items.public()

        async def main() -> None:
            async with wire.async_client(sdk.AsyncShop, api_key=KEY) as client:
                await client.items.list()

        anyio.run(main)
        sent = [(r.headers.get("api-key"), "wrong" in r.headers) for r in wire.requests]
        assert sent == [(f"Key {KEY}", False), (None, False), (f"Key {KEY}", False)]


class TestADocumentWithoutSecurity:
    SPEC = HEAD + _paths(("/status", "")) + "components:" + OK_SCHEMA
    CONFIG = """
package: {package}
client: {sync: Open, async: AsyncOpen}
resources:
  status:
    methods: {get: get /status}
"""

    def test_needs_no_key_and_sends_none(
        self, sdk: ModuleType, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        wire = Wire.json({"ok": True})
        with sdk.Open(http_client=wire.sync_http()) as client:
            assert client.status.get().ok is True
        assert "authorization" not in wire.request.headers

    def test_async(self, sdk: ModuleType) -> None:
        wire = Wire.json({"ok": True})

        async def main() -> None:
            async with sdk.AsyncOpen(http_client=wire.async_http()) as client:
                await client.status.get()

        anyio.run(main)
        assert "authorization" not in wire.request.headers


class _Hop(BaseHTTPRequestHandler):
    """Redirects to `target` when it has one, else answers `{}`; keeps the headers seen."""

    protocol_version = "HTTP/1.1"
    target = ""
    seen: list[dict[str, str]]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.seen.append({k.lower(): v for k, v in self.headers.items()} | {"path": self.path})
        if self.target:
            self.send_response(307)
            self.send_header("Location", self.target + self.path)
            self.send_header("Content-Length", "0")
        else:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "2")
        self.end_headers()
        if not self.target:
            self.wfile.write(b"{}")


@contextmanager
def _server(target: str) -> Iterator[tuple[str, list[dict[str, str]]]]:
    seen: list[dict[str, str]] = []
    handler = type("Handler", (_Hop,), {"target": target, "seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


class TestRedirects:
    SPEC, CONFIG = SPEC, CONFIG

    def test_a_redirect_to_another_port_carries_no_credential(self, sdk: ModuleType) -> None:
        with _server("") as (other, other_seen), _server(other) as (origin, origin_seen):
            options = {"api_key": KEY, "username": "ann", "password": "pw!", "max_retries": 0}
            with sdk.Vault(base_url=origin + "/v1", **options) as client:
                for name in ("default", "query", "cookie", "basic", "both"):
                    getattr(client.calls, name)()

            async def main() -> None:
                async with sdk.AsyncVault(base_url=origin + "/v1", **options) as client:
                    await client.calls.bearer()

            anyio.run(main)
        assert len(origin_seen) == len(other_seen) == 6
        assert all(KEY in str(seen) or BASIC in str(seen) for seen in origin_seen)
        for seen in other_seen:
            assert KEY not in str(seen) and BASIC not in str(seen), seen
            assert seen["api-version"] == "2024-06-01"  # not a secret: it goes along

    def test_a_redirect_within_the_origin_keeps_the_credential(self, sdk: ModuleType) -> None:
        hops = iter([httpx.Response(302, headers={"Location": "/v1/moved"})])

        def answer(request: httpx.Request) -> httpx.Response:
            return next(hops, None) or httpx.Response(200, json={})

        seen: list[httpx.Request] = []
        transport = httpx.MockTransport(lambda r: seen.append(r) or answer(r))
        http = httpx.Client(transport=transport, follow_redirects=True)
        with sdk.Vault(api_key=KEY, http_client=http) as client:
            client.calls.default()
        assert [(r.url.path, r.headers.get("x-key")) for r in seen] == [
            ("/v1/default", KEY),
            ("/v1/moved", KEY),
        ]


def _generate(tmp_path: Path, spec: str, config: str) -> None:
    with generated_package(spec, config, tmp_path, "fn_auth_bad"):
        pass


class TestWhatStaysUnsupported:
    def test_an_operation_with_no_supported_alternative(self, tmp_path: Path) -> None:
        spec = HEAD + _paths(("/x", "[{Digest: []}]")) + SCHEMAS.replace("  schemes: {}\n", "")
        spec += OK_SCHEMA
        config = "package: {package}\nclient: {sync: A, async: AsyncA}\n"
        config += "resources: {x: {methods: {get: get /x}}}\n"
        with pytest.raises(SpecError) as info:
            _generate(tmp_path, spec, config)
        (error,) = [str(d) for d in info.value.diagnostics]
        assert "openapi.yaml:" in error and "no supported security alternative" in error
        assert "HTTP 'digest' auth is not supported" in error and "auth: schemes:" in error

    def test_a_scheme_the_document_does_not_declare(self, tmp_path: Path) -> None:
        spec = HEAD + _paths(("/x", "[{Nope: []}]")) + "components:" + OK_SCHEMA
        config = "package: {package}\nclient: {sync: A, async: AsyncA}\n"
        config += "resources: {x: {methods: {get: get /x}}}\n"
        with pytest.raises(SpecError, match="security scheme 'Nope' is not in components"):
            _generate(tmp_path, spec, config)

    def test_config_errors_are_located(self, tmp_path: Path) -> None:
        spec = HEAD + _paths(("/x", "")) + "components:" + OK_SCHEMA
        config = "package: {package}\nclient: {sync: A, async: AsyncA, headers: {'a b': x}}\n"
        config += "auth:\n  security: [Missing]\n  schemes: {K: {type: heder, name: X-K}}\n"
        config += "resources: {x: {methods: {get: get /x}}}\n"
        with pytest.raises(SpecError) as info:
            _generate(tmp_path, spec, config)
        errors = [str(d) for d in info.value.diagnostics]
        assert any("sdk.yaml:2:" in e and "'a b' is not a header name" in e for e in errors)
        assert any(
            "unknown scheme type 'heder'" in e and "did you mean 'header'" in e for e in errors
        )
        assert any(
            "sdk.yaml:4:" in e and "security scheme 'Missing' is not in components" in e
            for e in errors
        ), errors
