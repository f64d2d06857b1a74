"""A field whose Python name is not its wire name says so where its type is declared."""

from __future__ import annotations

import textwrap
from pathlib import Path

from sdkforge.pipeline import Inputs, generate_files

SPEC = """\
openapi: 3.1.0
info: {title: Mail, version: '1'}
servers: [{url: 'https://mail.example.com'}]
paths:
  /send:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [from]
              properties:
                from: {type: string, description: Who sends it.}
                class: {type: string}
                subject: {type: string, description: What it is about.}
      responses:
        '200':
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Sent'}
components:
  schemas:
    Sent:
      type: object
      properties: {id: {type: string}}
"""

CONFIG = """\
package: mailsdk
client: {sync: Mail, async: AsyncMail, api_key_env: MAIL_API_KEY}
resources:
  messages:
    methods:
      send: post /send
"""


def test_keyword_fields_declare_their_wire_name(tmp_path: Path) -> None:
    (tmp_path / "openapi.yaml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "sdk.yaml").write_text(textwrap.dedent(CONFIG), encoding="utf-8")
    files = generate_files(Inputs(tmp_path / "openapi.yaml", tmp_path / "sdk.yaml"))
    params = files["mailsdk/types/message_send_params.py"]
    assert 'from_: Required[str]\n    """Who sends it.\n\n    Sent as `from`.\n    """' in params
    assert 'class_: str\n    """Sent as `class`."""' in params
    # A field called the same in Python and on the wire says nothing more.
    assert 'subject: str\n    """What it is about."""' in params
    resource = files["mailsdk/resources/messages.py"]
    assert '"from": from_' in resource
