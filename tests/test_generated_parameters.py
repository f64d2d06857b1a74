"""A generated package called as a user would: the `parameters` golden tree (gallerysdk),
with path, query and header parameters and a POST without a body checked on the wire."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import anyio
import httpx
import pytest

GOLDEN = Path(__file__).resolve().parent / "golden" / "parameters" / "expected"


@pytest.fixture(scope="module")
def gallerysdk() -> Iterator[ModuleType]:
    sys.path.insert(0, str(GOLDEN))
    try:
        import gallerysdk

        yield gallerysdk
    finally:
        sys.path.remove(str(GOLDEN))
        for name in [n for n in sys.modules if n == "gallerysdk" or n.startswith("gallerysdk.")]:
            del sys.modules[name]


def _answer(seen: list[httpx.Request], body: object = None) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"data": []} if body is None else body)

    return httpx.MockTransport(answer)


def test_header_parameters_are_sent_and_omitted_ones_are_not(gallerysdk: ModuleType) -> None:
    seen: list[httpx.Request] = []
    http = httpx.Client(transport=_answer(seen))
    with gallerysdk.GalleryClient(
        api_key="k", base_url="https://g.test/v2", http_client=http, max_retries=0
    ) as client:
        client.pictures.list(
            album_id="a b",
            order="asc",
            x_request_tag="t-1",
            gallery_features=["big", "fast"],
            tag=["x", "y"],
        )
        client.pictures.list(album_id="a", order="desc")
    first, second = seen
    assert first.url.raw_path == b"/v2/albums/a%20b/pictures?order=asc&tag=x&tag=y"
    assert first.headers["x-request-tag"] == "t-1"
    assert first.headers["gallery-features"] == "big,fast"
    assert first.headers["accept"] == "application/json"  # the ignored `Accept` parameter
    assert "x-request-tag" not in second.headers and "gallery-features" not in second.headers


def test_header_parameters_async(gallerysdk: ModuleType) -> None:
    seen: list[httpx.Request] = []

    async def call() -> None:
        http = httpx.AsyncClient(transport=_answer(seen))
        async with gallerysdk.AsyncGalleryClient(
            api_key="k", base_url="https://g.test/v2", http_client=http, max_retries=0
        ) as client:
            await client.pictures.list(
                album_id="a",
                order="asc",
                x_request_tag="t-2",
                extra_headers={"X-Request-Tag": "t-3"},
            )

    anyio.run(call)
    assert seen[0].headers.get_list("x-request-tag") == ["t-3"]  # extra_headers win


def test_an_operation_without_a_request_body_sends_none(gallerysdk: ModuleType) -> None:
    seen: list[httpx.Request] = []
    http = httpx.Client(transport=_answer(seen, {"id": 7, "url": "https://g.test/7.png"}))
    with gallerysdk.GalleryClient(
        api_key="k", base_url="https://g.test/v2", http_client=http, max_retries=0
    ) as client:
        picture = client.pictures.star(album_id="a", picture_id=7)
    assert picture.id == 7
    (request,) = seen
    assert (request.method, request.url.path) == ("POST", "/v2/albums/a/pictures/7/star")
    assert request.content == b""
    assert "content-type" not in request.headers
