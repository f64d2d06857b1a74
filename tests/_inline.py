"""Small inline specs for the unit tests of the build stage: an echo API to vary."""

from __future__ import annotations

import textwrap

from sdkforge.build import Context, context
from sdkforge.config import read_config
from sdkforge.diagnostics import Reporter
from sdkforge.load import parse_yaml
from sdkforge.resolve import Spec

ECHO_SPEC = """\
openapi: 3.1.0
info: {title: Echo, version: '1'}
servers:
  - url: https://echo.example.test
paths:
  /echo:
    post:
      summary: Repeat a message back.
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [message]
              properties:
                message: {type: string, description: What to repeat.}
                times: {type: integer}
      responses:
        '200':
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Echo'}
components:
  schemas:
    Echo:
      type: object
      properties:
        message: {type: string}
"""

ECHO_CONFIG = """\
package: echosdk
client: {sync: EchoClient, async: AsyncEchoClient, api_key_env: ECHO_API_KEY}
resources:
  echoes:
    singular: echo
    methods:
      create: post /echo
"""


def inline_context(spec: str = ECHO_SPEC, config: str = ECHO_CONFIG) -> tuple[Context, Reporter]:
    """The build context of the two documents, and the reporter holding the config's errors."""
    reporter = Reporter()
    sdk_config = read_config(parse_yaml(textwrap.dedent(config), "sdk.yaml"), reporter)
    return context(Spec(parse_yaml(textwrap.dedent(spec), "openapi.yaml")), sdk_config), reporter
