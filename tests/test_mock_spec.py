"""The spec copy the generated tests give the mock server (generator/mock_spec.py): the
document as it is, or with the `$ref` members of a form body's `allOf` written out."""

from __future__ import annotations

import yaml
from _inline import inline_context
from sdkforge.mock_spec import mock_spec_text

SPEC = """\
openapi: 3.0.3
info: {title: Upscale API, version: '1'}
servers: [{url: 'https://u.example'}]
paths:
  /upscale:
    post:
      requestBody:
        content:
          multipart/form-data:
            schema:
              allOf:
                - $ref: '#/components/schemas/Image'
                - $ref: '#/components/schemas/Factor'
                - {type: object, properties: {note: {type: string}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Image'}}}}
  /json:
    post:
      requestBody:
        content:
          application/json:
            schema: {allOf: [{$ref: '#/components/schemas/Factor'}]}
      responses:
        '200': {description: ok}
components:
  schemas:
    Image: {type: object, properties: {image: {type: string, format: binary}}}
    Factor:
      allOf:
        - $ref: '#/components/schemas/Base'
        - {type: object, required: [factor], properties: {factor: {type: integer}}}
    Base: {type: object, properties: {seed: {type: integer}}}
"""
CONFIG = """\
package: upscale
client: {sync: U, async: AsyncU, api_key_env: U_KEY}
resources:
  images:
    methods:
      upscale: post /upscale
"""


def test_form_bodies_get_their_ref_members_written_out() -> None:
    ctx, _ = inline_context(SPEC, CONFIG)
    data = yaml.safe_load(mock_spec_text(ctx.spec))
    body = data["paths"]["/upscale"]["post"]["requestBody"]["content"]["multipart/form-data"]
    image, factor, note = body["schema"]["allOf"]
    assert image == {
        "type": "object",
        "properties": {"image": {"type": "string", "format": "binary"}},
    }
    # A member's own `$ref` members too, recursively.
    assert factor["allOf"][0] == {"type": "object", "properties": {"seed": {"type": "integer"}}}
    assert factor["allOf"][1]["required"] == ["factor"]
    assert note == {"type": "object", "properties": {"note": {"type": "string"}}}
    # Everything else is the document as it was: a JSON body, the components.
    original = yaml.safe_load(SPEC)
    assert data["paths"]["/json"] == original["paths"]["/json"]
    assert data["components"] == original["components"]
    assert {k: v for k, v in data.items() if k != "paths"} == {
        k: v for k, v in original.items() if k != "paths"
    }


def test_a_document_without_such_a_body_is_copied_as_it_is() -> None:
    spec = SPEC.replace("multipart/form-data", "application/json")
    ctx, _ = inline_context(spec, CONFIG)
    assert mock_spec_text(ctx.spec) == spec
