"""Nested objects: inline objects in objects and arrays, shared schemas, maps; nested models
in the response."""

from __future__ import annotations

import typing
from types import ModuleType

import anyio
from typing_extensions import Required

from .helpers import Wire

SPEC = """
openapi: 3.0.3
info: {title: Shop Orders API, version: 3.0.0}
servers:
  - url: https://orders.example.test
paths:
  /orders:
    post:
      summary: Place an order.
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/OrderRequest'}
      responses:
        '201':
          description: The order as recorded.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Order'}
components:
  schemas:
    OrderRequest:
      type: object
      required: [items, shipping]
      properties:
        items:
          type: array
          description: What to buy.
          items:
            type: object
            required: [sku]
            properties:
              sku: {type: string, description: The article.}
              quantity: {type: integer, description: How many.}
        shipping:
          type: object
          description: Where to send it.
          required: [address]
          properties:
            address: {$ref: '#/components/schemas/Address'}
            window:
              type: object
              description: When someone is in.
              properties:
                from_hour: {type: integer, description: Earliest hour.}
                to_hour: {type: integer, description: Latest hour.}
        metadata:
          type: object
          additionalProperties: {type: string}
          description: Key-value pairs.
        billing_address: {$ref: '#/components/schemas/Address'}
    Address:
      type: object
      description: A postal address.
      required: [line1, country]
      properties:
        line1: {type: string, description: Street and number.}
        country: {type: string, description: Country code.}
    Order:
      type: object
      required: [id, ship_to, lines]
      properties:
        id: {type: string, description: The order.}
        ship_to: {$ref: '#/components/schemas/Address'}
        lines:
          type: array
          description: One line an article.
          items:
            type: object
            required: [sku]
            properties:
              sku: {type: string, description: The article.}
"""
CONFIG = """
package: {package}
client:
  sync: Shop
  async: AsyncShop
  api_key_env: SHOP_API_KEY
  default_base_url: https://orders.example.test/v3
resources:
  orders:
    methods:
      place: post /orders
"""
ORDER = {"id": "o-9", "ship_to": {"line1": "1 Quay", "country": "IE"}, "lines": [{"sku": "A"}]}
ADDRESS = {"line1": "1 Quay", "country": "IE"}


def _keys(typed_dict: type) -> tuple[set[str], set[str]]:
    """The required and the optional keys, read from the resolved annotations (the module's
    postponed annotations hide `Required` from `__required_keys__`)."""
    hints = typing.get_type_hints(typed_dict, include_extras=True)
    required = {name for name, hint in hints.items() if typing.get_origin(hint) is Required}
    return required, set(hints) - required


class TestNested:
    SPEC, CONFIG = SPEC, CONFIG

    def test_nested_values_are_sent_as_json(self, sdk: ModuleType) -> None:
        wire = Wire.json(ORDER)
        with wire.sync_client(sdk.Shop) as client:
            client.orders.place(
                items=[{"sku": "A", "quantity": 2}, {"sku": "B"}],
                shipping={"address": ADDRESS, "window": {"from_hour": 9, "to_hour": 17}},
                metadata={"gift": "yes"},
                billing_address={"line1": "2 Hill", "country": "FR"},
            )
        assert str(wire.request.url) == "https://orders.example.test/v3/orders"
        assert wire.sent_json() == {
            "items": [{"sku": "A", "quantity": 2}, {"sku": "B"}],
            "shipping": {"address": ADDRESS, "window": {"from_hour": 9, "to_hour": 17}},
            "metadata": {"gift": "yes"},
            "billing_address": {"line1": "2 Hill", "country": "FR"},
        }

    def test_the_params_name_each_nested_object(self, sdk: ModuleType) -> None:
        params = sdk.types.order_place_params
        assert _keys(params.OrderPlaceParams) == (
            {"items", "shipping"},
            {"metadata", "billing_address"},
        )
        assert _keys(params.OrderPlaceShipping) == ({"address"}, {"window"})
        assert _keys(params.OrderPlaceShippingWindow) == (set(), {"from_hour", "to_hour"})
        assert _keys(params.OrderPlaceItems) == ({"sku"}, {"quantity"})
        assert _keys(params.Address) == ({"line1", "country"}, set())

    def test_the_response_is_nested_models(self, sdk: ModuleType) -> None:
        wire = Wire.json(ORDER)
        with wire.sync_client(sdk.Shop) as client:
            order = client.orders.place(items=[{"sku": "A"}], shipping={"address": ADDRESS})
        assert type(order) is sdk.types.Order
        assert (order.ship_to.line1, order.ship_to.country) == ("1 Quay", "IE")
        assert type(order.ship_to).__name__ == "Address"
        assert [line.sku for line in order.lines] == ["A"]

    def test_async(self, sdk: ModuleType) -> None:
        wire = Wire.json(ORDER)

        async def call() -> object:
            async with wire.async_client(sdk.AsyncShop) as client:
                return await client.orders.place(
                    items=[{"sku": "A"}], shipping={"address": ADDRESS}
                )

        order = anyio.run(call)
        assert type(order) is sdk.types.Order and order.id == "o-9"
        assert wire.sent_json() == {"items": [{"sku": "A"}], "shipping": {"address": ADDRESS}}


class TestRecursiveResponse:
    """A schema that holds itself: its alias must stay a TypeAliasType for pydantic."""

    SPEC = """
    openapi: 3.1.0
    info: {title: Tree API, version: "1"}
    servers: [{url: https://tree.example.test}]
    paths:
      /trees:
        post:
          summary: Grow a tree.
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  properties: {seed: {type: string, description: Where to start.}}
          responses:
            '200':
              description: The tree.
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Tree'}
    components:
      schemas:
        Tree:
          type: object
          required: [value]
          properties:
            value: {$ref: '#/components/schemas/Branch'}
        Branch:
          anyOf:
            - {type: string}
            - {type: array, items: {$ref: '#/components/schemas/Branch'}}
    """
    CONFIG = """
    package: {package}
    client: {sync: TreeClient, async: AsyncTreeClient, api_key_env: TREE_KEY}
    resources:
      trees:
        methods:
          grow: post /trees
    """

    def test_a_recursive_value_is_parsed(self, sdk: ModuleType) -> None:
        wire = Wire.json({"value": ["a", ["b", ["c"]]]})
        with wire.sync_client(sdk.TreeClient) as client:
            tree = client.trees.grow(seed="x")
        assert type(tree) is sdk.types.Tree
        assert tree.value == ["a", ["b", ["c"]]]
        assert wire.sent_json() == {"seed": "x"}
