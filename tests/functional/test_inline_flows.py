"""Pages and jobs whose schemas are inline: a page's items and a job are models named after
their methods (`ItemListItem`, `ItemJobResponse`), the page found in a union response,
against a local server; sync and async."""

from __future__ import annotations

from types import ModuleType

import anyio

from .local_server import Answer, Seen, local_server
from .typecheck import assert_clean

SPEC = """
openapi: 3.1.0
info: {title: Items, version: "1"}
servers: [{url: "https://items.example"}]
paths:
  /items:
    get:
      parameters:
        - {name: after, in: query, schema: {type: string}}
      responses:
        "200":
          description: A page (or, paging off, a plain list), every schema inline.
          content:
            application/json:
              schema:
                oneOf:
                  - type: array
                    items: {type: object}
                  - type: object
                    properties:
                      data:
                        type: array
                        items:
                          type: object
                          required: [id]
                          properties:
                            id: {type: string}
                      next: {type: [string, "null"]}
  /jobs:
    post:
      responses:
        "202":
          description: Started.
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: {type: string}
  /jobs/{job_id}:
    get:
      parameters:
        - {name: job_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: The job.
          content:
            application/json:
              schema:
                type: object
                required: [id, status]
                properties:
                  id: {type: string}
                  status: {type: string}
"""
CONFIG = """
package: {package}
client: {sync: ItemClient, async: AsyncItemClient}
resources:
  items:
    singular: item
    methods:
      list: get /items
      start: post /jobs
      job: get /jobs/{job_id}
pagination:
  style: cursor
  items: data
  param: after
  field: next
  methods: [items.list]
poll:
  items.start:
    get: items.job
    id: id
    status: status
    done: [done]
    interval: 0.01
    timeout: 5
"""

PAGES = {"": {"data": [{"id": "a"}, {"id": "b"}], "next": "p2"}, "p2": {"data": [{"id": "c"}]}}


def answer(seen: Seen) -> Answer:
    if seen.path == "/items":
        return 200, {}, PAGES[seen.query.get("after", "")]
    if seen.method == "POST":
        return 202, {}, {"id": "j1"}
    reads = sum(1 for s in SERVED if s.path == seen.path)
    SERVED.append(seen)
    return 200, {}, {"id": "j1", "status": "done" if reads else "running"}


SERVED: list[Seen] = []


class TestFlows:
    SPEC, CONFIG = SPEC, CONFIG

    def test_sync(self, sdk: ModuleType) -> None:
        SERVED.clear()
        with local_server(answer) as server, sdk.ItemClient(base_url=server.url) as client:
            items = list(client.items.list())
            assert [i.id for i in items] == ["a", "b", "c"]
            assert {type(i) for i in items} == {sdk.types.ItemListItem}
            job = client.items.start_and_wait()
            assert type(job) is sdk.types.ItemJobResponse and job.status == "done"

    def test_async(self, sdk: ModuleType) -> None:
        SERVED.clear()

        async def main(url: str) -> None:
            async with sdk.AsyncItemClient(base_url=url) as client:
                page = await client.items.list()
                assert [i.id async for i in page] == ["a", "b", "c"]
                job = await client.items.wait("j1")
                assert type(job) is sdk.types.ItemJobResponse

        with local_server(answer) as server:
            anyio.run(main, server.url)

    def test_the_package_type_checks(self, sdk: ModuleType) -> None:
        assert_clean(sdk)
