"""Arguments named like Python builtins (`type`, a common body field) do not shadow what the
method body itself uses: an operation with no content still returns None, and the package
passes ruff and mypy --strict."""

from __future__ import annotations

from types import ModuleType

from .helpers import Wire
from .typecheck import assert_clean

SPEC = """
openapi: 3.1.0
info: {title: Calls API, version: "1"}
servers: [{url: "https://calls.example/v1"}]
paths:
  /calls/{call_id}/accept:
    post:
      parameters:
        - {name: call_id, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [type]
              properties:
                type: {type: string, enum: [realtime]}
                object: {type: string}
      responses:
        "200": {description: Accepted, no content.}
"""
CONFIG = """
package: {package}
client: {sync: CallsClient, async: AsyncCallsClient}
resources:
  calls:
    methods:
      accept: post /calls/{call_id}/accept
"""


class TestBuiltinNames:
    SPEC, CONFIG = SPEC, CONFIG

    def test_a_field_named_type_leaves_the_no_content_result_alone(self, sdk: ModuleType) -> None:
        wire = Wire(b"", content_type="text/plain")
        client = wire.sync_client(sdk.CallsClient)
        assert client.calls.accept(call_id="c1", type="realtime", object="x") is None
        assert wire.sent_json() == {"type": "realtime", "object": "x"}
        assert_clean(sdk)
