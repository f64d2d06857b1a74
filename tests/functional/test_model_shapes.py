"""Response schemas that datamodel-code-generator would name, inline or inherit badly: a
nullable object component, a union component of a string and an object, a discriminated
union with a member that names no tag (a `$recursiveRef`), an `allOf` part that redescribes
a property of its base, a union returned by one method and used by another's model, and a
method without a body whose argument is called `type`."""

from __future__ import annotations

import typing
from types import ModuleType

from .helpers import Wire
from .typecheck import assert_clean

SPEC = """
openapi: 3.1.0
info: {title: Runs API, version: 1.0.0}
servers:
  - url: https://runs.example.test
paths:
  /runs/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: A run.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/RunResource'}
    post:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: type, in: query, schema: {type: string}}
      responses:
        '204': {description: Touched.}
  /items/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: One item.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
  /items:
    get:
      responses:
        '200':
          description: Every item.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/ItemList'}
components:
  schemas:
    Run:
      type: object
      required: [id, kind]
      properties:
        id: {type: string}
        kind: {type: string, enum: [run]}
        status: {type: string, enum: [queued, done]}
        usage: {$ref: '#/components/schemas/RunUsage'}
        truncation: {$ref: '#/components/schemas/Truncation'}
        filter: {$ref: '#/components/schemas/Filter'}
    RunResource:
      allOf:
        - $ref: '#/components/schemas/Run'
        - type: object
          required: [status]
          properties:
            status: {type: string, enum: [done, failed], description: Where it is now.}
    RunUsage:
      anyOf:
        - type: object
          required: [total]
          properties:
            total: {type: integer}
        - type: 'null'
    Truncation:
      oneOf:
        - type: string
          enum: [auto, disabled]
        - type: object
          title: Retention ratio
          required: [type, ratio]
          properties:
            type: {type: string, enum: [retention_ratio]}
            ratio: {type: number}
    Filter:
      oneOf:
        - $ref: '#/components/schemas/Compare'
        - $ref: '#/components/schemas/Compound'
      discriminator: {propertyName: type}
    Compare:
      type: object
      required: [type, key]
      properties:
        type: {type: string, enum: [eq, ne]}
        key: {type: string}
    Compound:
      $recursiveAnchor: true
      type: object
      required: [type, filters]
      properties:
        type: {type: string, enum: [and, or]}
        filters:
          type: array
          items:
            oneOf:
              - $ref: '#/components/schemas/Compare'
              - $recursiveRef: '#'
            discriminator: {propertyName: type}
    Item:
      oneOf:
        - $ref: '#/components/schemas/Note'
        - $ref: '#/components/schemas/Picture'
      discriminator: {propertyName: type}
    ItemList:
      type: object
      required: [data]
      properties:
        data: {type: array, items: {$ref: '#/components/schemas/Item'}}
    Note:
      type: object
      required: [type, text]
      properties:
        type: {type: string, enum: [note]}
        text: {type: string}
    Picture:
      type: object
      required: [type, url]
      properties:
        type: {type: string, const: picture}
        url: {type: string}
"""
CONFIG = """
package: {package}
client:
  sync: RunClient
  async: AsyncRunClient
  api_key_env: RUN_API_KEY
resources:
  runs:
    methods:
      get: get /runs/{id}
      touch: post /runs/{id}
  items:
    methods:
      get: get /items/{id}
      list: get /items
"""
RUN = {
    "id": "r1",
    "kind": "run",
    "status": "failed",
    "usage": None,
    "truncation": {"type": "retention_ratio", "ratio": 0.5},
    "filter": {
        "type": "and",
        "filters": [{"type": "eq", "key": "a"}, {"type": "or", "filters": []}],
    },
}


class TestModelShapes:
    SPEC, CONFIG = SPEC, CONFIG

    def test_a_nullable_object_component_is_a_class_of_its_name(self, sdk: ModuleType) -> None:
        wire = Wire.json({**RUN, "usage": {"total": 3}})
        with wire.sync_client(sdk.RunClient, strict_response_validation=True) as client:
            run = client.runs.get(id="r1")
            assert type(run.usage) is sdk.types.RunUsage and run.usage.total == 3
            assert client.runs.get(id="r1").usage.total == 3
        with Wire.json(RUN).sync_client(sdk.RunClient, strict_response_validation=True) as c:
            assert c.runs.get(id="r1").usage is None

    def test_a_union_of_a_string_and_an_object_is_written_into_its_field(
        self, sdk: ModuleType
    ) -> None:
        from importlib import import_module

        ratio = import_module(f"{sdk.__name__}.types.truncation").RetentionRatio
        with Wire.json(RUN).sync_client(sdk.RunClient, strict_response_validation=True) as c:
            assert type(c.runs.get(id="r1").truncation) is ratio
        auto = {**RUN, "truncation": "auto"}
        with Wire.json(auto).sync_client(sdk.RunClient, strict_response_validation=True) as c:
            assert c.runs.get(id="r1").truncation == "auto"

    def test_a_member_without_a_tag_value_makes_a_plain_union(self, sdk: ModuleType) -> None:
        # `$recursiveRef: '#'` is the schema it stands in: a Compound holds Compounds.
        with Wire.json(RUN).sync_client(sdk.RunClient, strict_response_validation=True) as c:
            compound = c.runs.get(id="r1").filter
        assert type(compound) is sdk.types.Compound and compound.type == "and"
        first, second = compound.filters
        assert type(first) is sdk.types.Compare and type(second) is sdk.types.Compound

    def test_an_all_of_part_redescribing_a_property_wins(self, sdk: ModuleType) -> None:
        # `failed` is not among the base's values: the part's own description decides.
        fields = sdk.types.RunResource.model_fields
        assert typing.get_args(fields["status"].annotation) == ("done", "failed")
        with Wire.json(RUN).sync_client(sdk.RunClient, strict_response_validation=True) as c:
            assert c.runs.get(id="r1").status == "failed"

    def test_a_union_another_model_uses_is_returned_as_itself(self, sdk: ModuleType) -> None:
        note = {"type": "note", "text": "hi"}
        with Wire.json(note).sync_client(sdk.RunClient, strict_response_validation=True) as c:
            assert type(c.items.get(id="i1")) is sdk.types.Note
        listed = {"data": [note, {"type": "picture", "url": "u"}]}
        with Wire.json(listed).sync_client(sdk.RunClient, strict_response_validation=True) as c:
            assert [type(i) for i in c.items.list().data] == [sdk.types.Note, sdk.types.Picture]
        assert sdk.types.Item is not None

    def test_no_body_with_an_argument_called_type(self, sdk: ModuleType) -> None:
        wire = Wire(b"", status=204)
        with wire.sync_client(sdk.RunClient) as client:
            assert client.runs.touch(id="r1", type="soft") is None
        assert wire.request.url.params["type"] == "soft"

    def test_generated_code_is_clean(self, sdk: ModuleType) -> None:
        assert_clean(sdk)
