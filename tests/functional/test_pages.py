"""Lists that page: each style of `pagination:` read to the end against a local server, one
request a page and only when the loop gets to it; sync and async."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio
import pytest
from sdkforge.pipeline import Inputs, run

from .local_server import Answer, Seen, local_server

SPEC = """
openapi: 3.1.0
info: {title: Models API, version: "1"}
servers: [{url: "https://models.example/v1"}]
paths:
  /models:
    get:
      summary: List the models.
      parameters:
        - {name: after, in: query, schema: {type: string}}
        - {name: offset, in: query, schema: {type: integer}}
        - {name: page, in: query, schema: {type: integer}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: A page of models.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/ModelList"}
security: [{Bearer: []}]  # a bearer key on every operation
components:
  securitySchemes: {Bearer: {type: http, scheme: bearer}}
  schemas:
    Model:
      type: object
      required: [id]
      properties:
        id: {type: string}
    ModelList:
      type: object
      required: [items]
      properties:
        items: {type: array, items: {$ref: "#/components/schemas/Model"}}
        next_cursor: {type: [string, "null"]}
        next: {type: [string, "null"]}
"""
CONFIG = """
package: {package}
client: {sync: ModelsClient, async: AsyncModelsClient, api_key_env: MODELS_API_KEY}
resources:
  models:
    methods:
      list: get /models
pagination:
  %s
  items: items
  methods: [models.list]
"""
IDS = [f"m{n}" for n in range(7)]
SIZE = 3  # items a page


def _models(start: int) -> list[dict[str, str]]:
    return [{"id": i} for i in IDS[start : start + SIZE]]


def cursor(seen: Seen) -> Answer:
    start = int(seen.query.get("after", "0"))
    more = start + SIZE < len(IDS)
    return 200, {}, {"items": _models(start), "next_cursor": str(start + SIZE) if more else None}


def nested_cursor(seen: Seen) -> Answer:
    """The cursor and the has-more flag inside an object; a last page that still sends a
    cursor (its flag says stop)."""
    start = int(seen.query.get("after", "0"))
    more = start + SIZE < len(IDS)
    meta = {"next_cursor": str(start + SIZE), "has_next_page": more}
    return 200, {}, {"items": _models(start), "meta": meta}


def offset(seen: Seen) -> Answer:
    return 200, {}, {"items": _models(int(seen.query.get("offset", "0")))}


def page(seen: Seen) -> Answer:
    return 200, {}, {"items": _models((int(seen.query.get("page", "1")) - 1) * SIZE)}


def next_url(seen: Seen) -> Answer:
    start = int(seen.query.get("at", "0"))
    more = start + SIZE < len(IDS)
    return (
        200,
        {},
        {"items": _models(start), "next": f"/models?at={start + SIZE}" if more else None},
    )


def link_header(seen: Seen) -> Answer:
    start = int(seen.query.get("at", "0"))
    links = {"link": f'<?at={start + SIZE}>; rel="next"'} if start + SIZE < len(IDS) else {}
    return 200, links, {"items": _models(start)}


class _Paging:
    SPEC = SPEC
    SERVER = staticmethod(cursor)
    # The requests the whole list takes: the empty page that ends an offset or page list.
    PAGES = 3

    def test_iterating_reads_every_page_lazily(self, sdk: ModuleType) -> None:
        with (
            local_server(self.SERVER) as server,
            sdk.ModelsClient(api_key="k", base_url=server.url) as client,
        ):
            first = client.models.list(limit=SIZE)
            assert type(first) is sdk.SyncPage
            assert [m.id for m in first.data] == IDS[:3]
            assert len(server.seen) == 1 and first.has_next_page()
            seen = []
            for model in first:
                seen.append(model.id)
                if len(seen) == 3:  # the first page is used up, the second not asked for
                    assert len(server.seen) == 1
                if len(seen) == 4:
                    assert len(server.seen) == 2
        assert seen == IDS
        assert len(server.seen) == self.PAGES
        assert all(s.query.get("limit") == str(SIZE) for s in server.seen[:1])
        assert all(s.headers["authorization"] == "Bearer k" for s in server.seen)

    def test_pages_one_by_one(self, sdk: ModuleType) -> None:
        with (
            local_server(self.SERVER) as server,
            sdk.ModelsClient(api_key="k", base_url=server.url) as client,
        ):
            pages = list(client.models.list())
            assert [m.id for m in pages] == IDS
            last = client.models.list()
            while last.has_next_page():
                last = last.get_next_page()
            assert not last.has_next_page()
            sizes = [len(p.data) for p in client.models.list().iter_pages()]
        assert sum(sizes) == len(IDS)

    def test_async(self, sdk: ModuleType) -> None:
        async def read(url: str) -> list[str]:
            async with sdk.AsyncModelsClient(api_key="k", base_url=url) as client:
                first = await client.models.list()
                assert type(first) is sdk.AsyncPage
                ids = [m.id async for m in first]
                pages = [p async for p in first.iter_pages()]
                assert not pages[-1].has_next_page()
                return ids

        with local_server(self.SERVER) as server:
            assert anyio.run(read, server.url) == IDS
        assert len(server.seen) == 2 * self.PAGES - 1  # the first page was not asked again

    def test_async_for_on_the_call_itself(self, sdk: ModuleType) -> None:
        async def read(url: str) -> tuple[list[str], int]:
            async with sdk.AsyncModelsClient(api_key="k", base_url=url) as client:
                request = client.models.list()
                before = len(server.seen)  # nothing is sent before it is awaited or iterated
                return [m.id async for m in request], before

        with local_server(self.SERVER) as server:
            ids, before = anyio.run(read, server.url)
        assert (ids, before) == (IDS, 0)
        assert len(server.seen) == self.PAGES

    def test_raw_response_parses_to_a_page(self, sdk: ModuleType) -> None:
        with (
            local_server(self.SERVER) as server,
            sdk.ModelsClient(api_key="k", base_url=server.url) as client,
        ):
            raw = client.models.with_raw_response.list()
            assert raw.status_code == 200
            first = raw.parse()
            assert type(first) is sdk.SyncPage
            # The pages after it are pages too, not raw responses.
            assert [m.id for m in first] == IDS
            with client.models.with_streaming_response.list() as streamed:
                assert type(streamed.parse()) is sdk.SyncPage

        async def read(url: str) -> list[str]:
            async with sdk.AsyncModelsClient(api_key="k", base_url=url) as client:
                raw = await client.models.with_raw_response.list()
                page = await raw.parse()
                assert type(page) is sdk.AsyncPage
                return [m.id async for m in page]

        with local_server(self.SERVER) as server:
            assert anyio.run(read, server.url) == IDS


class TestCursor(_Paging):
    CONFIG = CONFIG % "style: cursor\n  param: after\n  field: next_cursor"


class TestNestedCursor(_Paging):
    CONFIG = CONFIG % (
        "style: cursor\n  param: after\n  field: meta.next_cursor\n  has_more: meta.has_next_page"
    )
    SERVER = staticmethod(nested_cursor)


class TestOffset(_Paging):
    CONFIG = CONFIG % "style: offset\n  param: offset"
    SERVER = staticmethod(offset)
    PAGES = 4


class TestPage(_Paging):
    CONFIG = CONFIG % "style: page\n  param: page"
    SERVER = staticmethod(page)
    PAGES = 4


class TestNextUrl(_Paging):
    CONFIG = CONFIG % "style: next_url\n  field: next"
    SERVER = staticmethod(next_url)


class TestLinkHeader(_Paging):
    CONFIG = CONFIG % "style: link_header"
    SERVER = staticmethod(link_header)

    def test_a_next_page_on_another_host_is_refused(self, sdk: ModuleType) -> None:
        def elsewhere(seen: Seen) -> Answer:
            return 200, {"link": '<http://localhost:1/models>; rel="next"'}, {"items": []}

        with (
            local_server(elsewhere) as server,
            sdk.ModelsClient(api_key="k", base_url=server.url) as client,
        ):
            first = client.models.list()
            assert first.has_next_page()
            with pytest.raises(sdk.SDKError, match="another host"):
                first.get_next_page()
        assert len(server.seen) == 1


NO_PAGINATION = """
package: hintsdk
client: {sync: ModelsClient, async: AsyncModelsClient}
resources:
  models:
    methods:
      list: get /models
"""


def test_a_list_that_looks_paged_but_is_not_configured_gets_a_located_note(
    write_inputs: Callable[..., Inputs], run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    inputs = write_inputs(SPEC, NO_PAGINATION)
    (note,) = run(inputs).notes
    # At the first query parameter named like a page's: `after`, line 10 of the spec.
    assert (note.location.line, note.location.column) == (10, 11)
    assert "models.list looks like a list that pages" in note.message
    assert "'after'" in note.message and "'items'" in note.message
    assert "pagination.methods" in note.hint
    result = run_cli(
        "generate", "--spec", inputs.spec, "--config", inputs.config, "--out", tmp_path / "o"
    )
    assert result.code == 0
    assert f"{inputs.spec}:10:11: note: models.list looks like" in result.err


def test_no_note_once_configured_or_when_nothing_pages(write_inputs: Callable[..., Inputs]) -> None:
    configured = write_inputs(SPEC, TestCursor.CONFIG.replace("{package}", "hintsdk"), "paged")
    assert run(configured).notes == ()
    # `limit` alone, or no array in the answer: not a list that pages.
    only_limit = (
        SPEC.replace("{name: after,", "{name: x_after,")
        .replace("{name: offset,", "{name: x_offset,")
        .replace("{name: page,", "{name: x_page,")
    )
    assert run(write_inputs(only_limit, NO_PAGINATION, "limit")).notes == ()
    no_array = SPEC.replace(
        'items: {type: array, items: {$ref: "#/components/schemas/Model"}}',
        'items: {$ref: "#/components/schemas/Model"}',
    )
    assert run(write_inputs(no_array, NO_PAGINATION, "object")).notes == ()
