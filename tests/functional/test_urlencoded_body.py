"""An application/x-www-form-urlencoded body: the fields as keyword arguments, sent as
`key=value` pairs (lists as repeated keys, booleans as true/false); sync and async."""

from __future__ import annotations

from types import ModuleType
from urllib.parse import parse_qsl

import anyio

from .helpers import Wire
from .typecheck import assert_clean

SPEC = """
openapi: 3.0.3
info: {title: Login API, version: 1.0.0}
servers:
  - url: https://login.example.test
paths:
  /login:
    post:
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [username]
              properties:
                username: {type: string}
                remember: {type: boolean}
                scopes: {type: array, items: {type: string}}
      responses:
        '200':
          description: A session.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Session'}
components:
  schemas:
    Session:
      type: object
      properties:
        token: {type: string}
"""
CONFIG = """
package: {package}
client:
  sync: LoginClient
  async: AsyncLoginClient
  api_key_env: LOGIN_API_KEY
resources:
  sessions:
    methods:
      create: post /login
"""


class TestForm:
    SPEC, CONFIG = SPEC, CONFIG

    def test_fields_on_the_wire(self, sdk: ModuleType) -> None:
        wire = Wire.json({"token": "t"})
        with wire.sync_client(sdk.LoginClient) as client:
            session = client.sessions.create(username="a b&c", remember=True, scopes=["x", "y"])
        assert session.token == "t"
        request = wire.request
        assert request.headers["content-type"] == "application/x-www-form-urlencoded"
        assert parse_qsl(request.content.decode()) == [
            ("username", "a b&c"),
            ("remember", "true"),
            ("scopes", "x"),
            ("scopes", "y"),
        ]

    def test_async_and_omitted_fields(self, sdk: ModuleType) -> None:
        wire = Wire.json({"token": "u"})

        async def call() -> None:
            async with wire.async_client(sdk.AsyncLoginClient) as client:
                await client.sessions.create(username="z")

        anyio.run(call)
        assert wire.request.content == b"username=z"

    def test_generated_code_is_clean(self, sdk: ModuleType) -> None:
        assert_clean(sdk)
