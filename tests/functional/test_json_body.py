"""A JSON body in, a typed model out; the raw and streamed response wrappers; sync and async."""

from __future__ import annotations

import json
from types import ModuleType

import anyio
import pytest

from .helpers import Wire

SPEC = """
openapi: 3.1.0
info: {title: Echo API, version: 1.0.0}
servers:
  - url: https://echo.example.test/v2
paths:
  /echo:
    post:
      summary: Repeat a message back.
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/EchoRequest'}
      responses:
        '200':
          description: The repeated message.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Echo'}
security: [{Bearer: []}]  # a bearer key on every operation
components:
  securitySchemes: {Bearer: {type: http, scheme: bearer}}
  schemas:
    EchoRequest:
      type: object
      required: [message]
      properties:
        message: {type: string, description: The text to send back.}
        times: {type: integer, description: How often to repeat it.}
    Echo:
      type: object
      required: [message, length]
      properties:
        message: {type: string, description: The text that was sent.}
        length: {type: integer, description: Its length in characters.}
"""
CONFIG = """
package: {package}
version: 2.3.4
client:
  sync: EchoClient
  async: AsyncEchoClient
  api_key_env: ECHO_API_KEY
resources:
  echoes:
    singular: echo
    methods:
      create: post /echo
"""
ECHO = {"message": "hello", "length": 5}


class TestJsonBody:
    SPEC, CONFIG = SPEC, CONFIG

    def test_the_body_and_headers_on_the_wire(self, sdk: ModuleType) -> None:
        wire = Wire.json(ECHO)
        with wire.sync_client(sdk.EchoClient, api_key="sk-1") as client:
            client.echoes.create(message="hello", times=2)
        request = wire.request
        assert (request.method, str(request.url)) == ("POST", "https://echo.example.test/v2/echo")
        assert request.headers["authorization"] == "Bearer sk-1"
        assert request.headers["accept"] == "application/json"
        assert request.headers["user-agent"].startswith(f"{sdk.__name__}/2.3.4")
        assert wire.sent_json() == {"message": "hello", "times": 2}

    def test_omitted_arguments_are_not_sent(self, sdk: ModuleType) -> None:
        wire = Wire.json(ECHO)
        with wire.sync_client(sdk.EchoClient) as client:
            client.echoes.create(message="hi", extra_body={"debug": True})
        assert wire.sent_json() == {"message": "hi", "debug": True}

    def test_the_result_is_the_response_model(self, sdk: ModuleType) -> None:
        wire = Wire.json(ECHO)
        with wire.sync_client(sdk.EchoClient) as client:
            echo = client.echoes.create(message="hello")
        assert type(echo) is sdk.types.Echo
        assert (echo.message, echo.length) == ("hello", 5)

    def test_the_api_key_comes_from_the_environment(
        self, sdk: ModuleType, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("ECHO_API_KEY", "from-env")
        wire = Wire.json(ECHO)
        with sdk.EchoClient(http_client=wire.sync_http(), max_retries=0) as client:
            client.echoes.create(message="hello")
        assert wire.request.headers["authorization"] == "Bearer from-env"

    def test_an_error_status_raises_its_error_class(self, sdk: ModuleType) -> None:
        wire = Wire(json.dumps({"error": {"message": "no such echo"}}).encode(), status=404)
        with (
            wire.sync_client(sdk.EchoClient) as client,
            pytest.raises(sdk.NotFoundError) as raised,
        ):
            client.echoes.create(message="hello")
        assert raised.value.status_code == 404
        assert isinstance(raised.value, sdk.APIStatusError)

    def test_with_raw_response(self, sdk: ModuleType) -> None:
        wire = Wire.json(ECHO, **{"x-request-id": "req-7"})
        with wire.sync_client(sdk.EchoClient) as client:
            response = client.echoes.with_raw_response.create(message="hello")
            assert wire.bodies_read == 1  # read before the call returns
        assert isinstance(response, sdk.APIResponse)
        assert (response.status_code, response.request_id) == (200, "req-7")
        assert response.headers["content-type"] == "application/json"
        echo = response.parse()
        assert type(echo) is sdk.types.Echo and echo.length == 5
        assert response.parse() is echo
        assert wire.sent_json() == {"message": "hello"}

    def test_with_streaming_response_reads_the_body_when_asked(self, sdk: ModuleType) -> None:
        wire = Wire.json(ECHO)
        with wire.sync_client(sdk.EchoClient) as client:
            with client.echoes.with_streaming_response.create(message="hello") as response:
                assert wire.bodies_read == 0
                assert response.json() == ECHO
                assert wire.bodies_read == 1
                assert response.parse().message == "hello"
            assert response.http_response.is_closed

    def test_async(self, sdk: ModuleType) -> None:
        wire = Wire.json(ECHO)

        async def call() -> object:
            async with wire.async_client(sdk.AsyncEchoClient) as client:
                return await client.echoes.create(message="hello", times=1)

        echo = anyio.run(call)
        assert type(echo) is sdk.types.Echo and echo.message == "hello"
        assert str(wire.request.url) == "https://echo.example.test/v2/echo"
        assert wire.sent_json() == {"message": "hello", "times": 1}

    def test_async_wrappers(self, sdk: ModuleType) -> None:
        wire = Wire.json(ECHO)

        async def call() -> tuple[object, object, bytes]:
            async with wire.async_client(sdk.AsyncEchoClient) as client:
                raw = await client.echoes.with_raw_response.create(message="hello")
                async with client.echoes.with_streaming_response.create(message="x") as streamed:
                    body = await streamed.read()
                return raw, await raw.parse(), body

        raw, echo, body = anyio.run(call)
        assert isinstance(raw, sdk.AsyncAPIResponse)
        assert type(echo) is sdk.types.Echo and echo.length == 5
        assert json.loads(body) == ECHO
        assert [json.loads(r.content) for r in wire.requests] == [
            {"message": "hello"},
            {"message": "x"},
        ]
