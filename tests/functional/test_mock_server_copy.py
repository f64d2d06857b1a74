"""What the generated tests send, and the spec copy they give the mock server, where the
mock server (Steady) would reject a request the document allows: a discriminated union whose
member is itself a union of the same tags, with the tag optional on a member; and a multipart
part that the body's `encoding` makes JSON, whose property is an `allOf` of a `$ref`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from .generated_tests import assert_generated_tests_pass
from .helpers import Wire, generated_package, multipart_parts

SPEC = """
openapi: 3.1.0
info: {title: Notes API, version: '1'}
servers:
  - url: https://notes.example.test
paths:
  /threads/{thread_id}/items:
    post:
      parameters:
        - {name: thread_id, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [items]
              properties:
                items: {type: array, items: {$ref: '#/components/schemas/InputItem'}}
      responses:
        '200':
          description: The thread.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thread'}
  /calls:
    post:
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema: {$ref: '#/components/schemas/CallRequest'}
            encoding:
              session: {contentType: application/json}
      responses:
        '200':
          description: The call.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thread'}
components:
  schemas:
    InputItem:
      oneOf:
        - $ref: '#/components/schemas/EasyMessage'
        - $ref: '#/components/schemas/Item'
      discriminator: {propertyName: type}
    EasyMessage:
      type: object
      required: [role, content]
      properties:
        type: {type: string, enum: [message]}
        role: {type: string, enum: [user, assistant]}
        content: {type: array, items: {type: string}}
    Item:
      oneOf:
        - $ref: '#/components/schemas/Message'
        - $ref: '#/components/schemas/Note'
      discriminator: {propertyName: type}
    Message:
      type: object
      required: [role, content]
      properties:
        type: {type: string, enum: [message]}
        role: {type: string, enum: [user]}
        content: {type: array, items: {type: string}}
    Note:
      type: object
      required: [type, text]
      properties:
        type: {type: string, enum: [note]}
        text: {type: string}
    CallRequest:
      type: object
      required: [sdp]
      properties:
        sdp: {type: string}
        session:
          description: What the call starts with.
          allOf:
            - $ref: '#/components/schemas/Session'
    Session:
      type: object
      required: [model]
      properties:
        model: {type: string}
        voice: {type: string}
    Thread:
      type: object
      required: [id]
      properties:
        id: {type: string}
"""

CONFIG = """
package: {package}
client: {sync: Notes, async: AsyncNotes, api_key_env: NOTES_API_KEY}
resources:
  items:
    methods:
      create: post /threads/{thread_id}/items
  calls:
    methods:
      create: post /calls
"""


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    folder = tmp_path_factory.mktemp("mock_copy")
    with generated_package(SPEC, CONFIG, folder, "notes_mock_copy") as module:
        yield module


def _out(sdk: ModuleType) -> Path:
    return Path(sdk.__file__ or "").parent.parent


def test_the_tests_send_the_tag_a_union_member_leaves_optional(sdk: ModuleType) -> None:
    text = (_out(sdk) / "tests" / "test_items.py").read_text(encoding="utf-8")
    assert '"type": "message"' in text
    wire = Wire.json({"id": "t1"})
    with wire.sync_client(sdk.Notes) as client:
        client.items.create(thread_id="t1", items=[{"role": "user", "content": ["hi"]}])
    # The client sends what it is given: the tag stays optional for its callers.
    assert json.loads(wire.requests[0].content) == {"items": [{"role": "user", "content": ["hi"]}]}


def test_the_mock_copy_maps_the_tag_two_members_carry(sdk: ModuleType) -> None:
    copy = yaml.safe_load((_out(sdk) / "tests" / "openapi.yaml").read_text(encoding="utf-8"))
    schemas = copy["components"]["schemas"]
    assert schemas["InputItem"]["discriminator"] == {
        "propertyName": "type",
        "mapping": {"message": "#/components/schemas/EasyMessage"},
    }
    # Members that carry a value each are left as they are.
    assert schemas["Item"] == yaml.safe_load(SPEC)["components"]["schemas"]["Item"]


def test_the_mock_copy_writes_out_a_json_part_s_ref_members(sdk: ModuleType) -> None:
    copy = yaml.safe_load((_out(sdk) / "tests" / "openapi.yaml").read_text(encoding="utf-8"))
    session = copy["components"]["schemas"]["CallRequest"]["properties"]["session"]
    original = yaml.safe_load(SPEC)["components"]["schemas"]
    assert session == {
        "description": "What the call starts with.",
        "allOf": [original["Session"]],
    }
    wire = Wire.json({"id": "c1"})
    with wire.sync_client(sdk.Notes) as client:
        client.calls.create(sdp="v=0", session={"model": "m"})
    parts = {p.name: p for p in multipart_parts(wire.requests[0])}
    assert json.loads(parts["session"].data) == {"model": "m"}


def test_its_generated_tests_pass_against_steady(sdk: ModuleType) -> None:
    assert_generated_tests_pass(sdk)
