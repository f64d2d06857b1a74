"""The result of a method whose response is a file (an image, audio, an archive...).

The default call reads the whole body and hands back a ``BinaryResponse``. To write a large
body to disk without holding it in memory, stream it instead::

    with client.images.with_streaming_response.download(id="...") as response:
        response.stream_to_file("image.png")
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx

__all__ = ["BinaryResponse"]

_CHUNK = 64 * 1024


class BinaryResponse:
    """A response body of bytes, read whole, with the response it came in."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    @property
    def content(self) -> bytes:
        return self.response.content

    @property
    def content_type(self) -> str | None:
        value: str | None = self.response.headers.get("content-type")
        return value

    @property
    def headers(self) -> httpx.Headers:
        return self.response.headers

    def read(self) -> bytes:
        return self.response.content

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        size = chunk_size or _CHUNK
        content = self.response.content
        for start in range(0, len(content), size):
            yield content[start : start + size]

    def write_to_file(self, file: str | os.PathLike[str]) -> None:
        """Write the body to ``file`` (replaced if it exists)."""
        with open(file, "wb") as out:
            out.write(self.response.content)

    def __repr__(self) -> str:
        return f"<BinaryResponse {self.content_type or 'bytes'}, {len(self.content)} bytes>"
