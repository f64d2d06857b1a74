"""A field whose Python name is not its wire name says so where its type is declared: an
`Alias` marker in its annotation and a line in its docstring; nested TypedDicts get the
`WireKeys` that the request builder sends them by."""

from __future__ import annotations

from pathlib import Path

from _generate import write_inputs
from sdkforge.pipeline import generate_files

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
                replyTo: {$ref: '#/components/schemas/Address'}
                copyTo:
                  type: array
                  items: {$ref: '#/components/schemas/Address'}
                plain: {$ref: '#/components/schemas/Plain'}
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
    Address:
      type: object
      properties:
        displayName: {type: string, description: Shown to the reader.}
        mailbox: {$ref: '#/components/schemas/Mailbox'}
    Mailbox:
      type: object
      properties:
        localPart: {type: string}
    Plain:
      type: object
      properties:
        note: {type: string}
"""

CONFIG = """\
package: mailsdk
client: {sync: Mail, async: AsyncMail, api_key_env: MAIL_API_KEY}
resources:
  messages:
    methods:
      send: post /send
"""


def _generate(tmp_path: Path, config: str = CONFIG) -> dict[str, str]:
    return generate_files(write_inputs(tmp_path, SPEC, config))


def test_renamed_fields_declare_their_wire_name(tmp_path: Path) -> None:
    files = _generate(tmp_path)
    params = files["mailsdk/types/message_send_params.py"]
    assert (
        'from_: Required[Annotated[str, Alias("from")]]\n'
        '    """Who sends it.\n\n    Sent as `from`.\n    """'
    ) in params
    assert 'class_: Annotated[str, Alias("class")]\n    """Sent as `class`."""' in params
    assert 'reply_to: Annotated[Address, Alias("replyTo")]' in params
    # A field called the same in Python and on the wire says nothing more.
    assert 'subject: str\n    """What it is about."""' in params
    assert "plain: Plain\n" in params
    assert (
        'display_name: Annotated[str, Alias("displayName")]\n'
        '    """Shown to the reader.\n\n    Sent as `displayName`.\n    """'
    ) in params
    assert "from typing_extensions import Annotated, Required, TypedDict" in params
    assert "from .._wire import Alias, WireKeys" in params


def test_nested_typeddicts_get_key_maps_in_the_order_they_use_one_another(
    tmp_path: Path,
) -> None:
    params = _generate(tmp_path)["mailsdk/types/message_send_params.py"]
    mailbox = '_Mailbox_wire = WireKeys(names={"local_part": "localPart"})'
    address = (
        '_Address_wire = WireKeys(names={"display_name": "displayName"}, '
        'nested={"mailbox": _Mailbox_wire})'
    )
    assert mailbox in params and address in params
    assert params.index(mailbox) < params.index(address)
    # Nothing in `Plain` is renamed: it needs no map, and is sent as the caller wrote it.
    assert "_Plain_wire" not in params


def test_the_method_sends_each_value_by_its_wire_keys(tmp_path: Path) -> None:
    resource = _generate(tmp_path)["mailsdk/resources/messages.py"]
    assert '"from": from_,' in resource
    assert '"replyTo": to_wire(reply_to, _Address_wire),' in resource
    # A list of objects uses the keys of its items.
    assert '"copyTo": to_wire(copy_to, _Address_wire),' in resource
    assert '"plain": plain,' in resource
    # Imported where the method runs, like its models: importing the package stays cheap.
    assert "        from ..types.message_send_params import _Address_wire\n" in resource
    assert "        from .._wire import to_wire\n" in resource


def test_naming_wire_keeps_wire_names_but_not_keywords(tmp_path: Path) -> None:
    files = _generate(tmp_path, CONFIG + "naming: wire\n")
    params = files["mailsdk/types/message_send_params.py"]
    assert 'from_: Required[Annotated[str, Alias("from")]]' in params
    assert "replyTo: Address\n" in params
    assert "displayName: str\n" in params
    assert "WireKeys" not in params
    resource = files["mailsdk/resources/messages.py"]
    assert '"replyTo": replyTo,' in resource and "to_wire" not in resource
