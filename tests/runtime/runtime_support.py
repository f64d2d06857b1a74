"""Shared helpers for the runtime tests (importable because pytest puts tests/runtime on sys.path)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx

API_KEY = "sk-test-SECRET-0123456789"
BASE_URL = "https://api.test/v1"

COMMON = {"background": "auto", "output_format": "png", "quality": "low", "size": "1024x1024"}
USAGE = {
    "input_tokens": 1,
    "input_tokens_details": {"image_tokens": 0, "text_tokens": 1},
    "output_tokens": 2,
    "total_tokens": 3,
}

IMAGES_JSON = {
    "created": 1700000000,
    "data": [{"b64_json": "aGVsbG8=", "revised_prompt": "a cat"}],
    "usage": {
        "input_tokens": 1,
        "input_tokens_details": {"image_tokens": 0, "text_tokens": 1},
        "output_tokens": 2,
        "total_tokens": 3,
    },
    "brand_new_field": {"x": 1},
}


class Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body sent in the given pieces; `fail_with` is raised after the last one."""

    def __init__(self, chunks: list[bytes], fail_with: Exception | None = None) -> None:
        self.chunks = chunks
        self.fail_with = fail_with
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks
        if self.fail_with is not None:
            raise self.fail_with

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk
        if self.fail_with is not None:
            raise self.fail_with

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


PARTIAL = {
    "type": "image_generation.partial_image",
    "b64_json": "AAAA",
    "created_at": 1,
    "partial_image_index": 0,
    **COMMON,
}
COMPLETED = {
    "type": "image_generation.completed",
    "b64_json": "BBBB",
    "created_at": 2,
    "usage": USAGE,
    **COMMON,
}


def sse(*events: str) -> bytes:
    return "".join(events).encode()


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"content-type": "application/json", **(headers or {})},
    )


class Recorder:
    """A MockTransport handler that answers from a queue and keeps every request."""

    def __init__(
        self, *responses: httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]
    ) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        item = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        if isinstance(item, Exception):
            raise item
        if callable(item) and not isinstance(item, httpx.Response):
            return item(request)
        return item

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def body(self, index: int = -1) -> Any:
        return json.loads(self.requests[index].content)


def make_client(recorder: Recorder, **kwargs: Any) -> Any:
    from imagesdk import ImageClient

    http = httpx.Client(transport=httpx.MockTransport(recorder))
    return ImageClient(api_key=API_KEY, base_url=BASE_URL, http_client=http, **kwargs)


def make_async_client(recorder: Recorder, **kwargs: Any) -> Any:
    from imagesdk import AsyncImageClient

    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
    return AsyncImageClient(api_key=API_KEY, base_url=BASE_URL, http_client=http, **kwargs)


def event_bytes(data: object, name: str | None = None) -> bytes:
    """One server-sent event carrying ``data`` as JSON."""
    head = f"event: {name}\n" if name else ""
    return f"{head}data: {json.dumps(data)}\n\n".encode()
