"""Uploads through the clients: the bytes on the wire, streaming from disk, retries, injection.

The transport here reads every request body from its stream on every send, as a socket does;
httpx's MockTransport would read it once and resend the cached bytes, hiding a retry that
cannot reproduce its body.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import imagesdk._multipart as multipart_module
import pytest
from imagesdk import AsyncImageClient, ImageClient, SDKError
from runtime_support import API_KEY, BASE_URL, IMAGES_JSON

pytestmark = pytest.mark.filterwarnings("error")  # unclosed files fail

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0" + b"\x01" * 300
CHUNK = 64 * 1024


class Wire(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Answers with the given statuses in turn and keeps each body as the chunks it came in."""

    def __init__(
        self, *statuses: int, on_chunk: Callable[[int], None] | None = None, fail_after: int = 0
    ) -> None:
        self.statuses = list(statuses) or [200]
        self.on_chunk = on_chunk
        self.fail_after = fail_after  # chunks read before the connection "drops"; 0: never
        self.requests: list[httpx.Request] = []
        self.bodies: list[list[bytes]] = []

    def _take(self, request: httpx.Request, chunk: bytes) -> None:
        self.bodies[-1].append(chunk)
        if self.on_chunk is not None:
            self.on_chunk(sum(map(len, self.bodies[-1])))
        if self.fail_after and len(self.bodies[-1]) >= self.fail_after:
            raise httpx.WriteError("connection dropped", request=request)

    def _answer(self) -> httpx.Response:
        status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        return httpx.Response(status, json=IMAGES_JSON if status < 400 else {})

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.bodies.append([])
        assert isinstance(request.stream, httpx.SyncByteStream)
        for chunk in request.stream:
            self._take(request, chunk)
        return self._answer()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.bodies.append([])
        assert isinstance(request.stream, httpx.AsyncByteStream)
        async for chunk in request.stream:
            self._take(request, chunk)
        return self._answer()

    def body(self, index: int = -1) -> bytes:
        return b"".join(self.bodies[index])

    @property
    def boundary(self) -> str:
        content_type = self.requests[-1].headers["content-type"]
        assert content_type.startswith("multipart/form-data; boundary=")
        return content_type.partition("boundary=")[2]


def edit(wire: Wire, is_async: bool, max_retries: int = 2, **arguments: Any) -> None:
    """`images.edit(**arguments)` through the sync or the async client."""
    if is_async:
        import anyio

        async def call() -> None:
            http = httpx.AsyncClient(transport=wire)
            async with AsyncImageClient(
                api_key=API_KEY, base_url=BASE_URL, http_client=http, max_retries=max_retries
            ) as client:
                await client.images.edit(**arguments)
            await http.aclose()

        anyio.run(call)
        return
    with (
        httpx.Client(transport=wire) as http,
        ImageClient(
            api_key=API_KEY, base_url=BASE_URL, http_client=http, max_retries=max_retries
        ) as client,
    ):
        client.images.edit(**arguments)


def part(boundary: str, name: str, content: bytes, file: tuple[str, str] | None = None) -> bytes:
    """One part as the encoder has always written it."""
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
    if file is not None:
        head += f'; filename="{file[0]}"\r\nContent-Type: {file[1]}'
    return head.encode() + b"\r\n\r\n" + content + b"\r\n"


def body(boundary: str, *parts: bytes) -> bytes:
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


class OneWay:
    """A binary stream that cannot seek, like a pipe or a socket."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def read(self, size: int = -1) -> bytes:
        return self._data.read(size)

    def seekable(self) -> bool:
        return False


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    import imagesdk._base_client as base

    async def no_async_sleep(seconds: float) -> None:
        pass

    monkeypatch.setattr(base, "_sleep", lambda seconds: None)
    monkeypatch.setattr(base, "_async_sleep", no_async_sleep)


both = pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])


@both
def test_bytes_path_file_tuples_and_lists_on_the_wire(is_async: bool, tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(JPEG)
    buffer = io.BytesIO(PNG)
    buffer.seek(0, os.SEEK_END)  # as after Image.save(buffer): read from the start all the same
    with open(photo, "rb") as user_file:
        wire = Wire()
        edit(
            wire,
            is_async,
            prompt="a hat",
            n=2,
            image=[PNG, photo, user_file, ("b.bin", buffer), ("c.png", b"raw", "image/x-test")],
            mask=(None, PNG),
        )
        assert not user_file.closed  # the caller's to close
    b = wire.boundary
    assert wire.body() == body(
        b,
        part(b, "prompt", b"a hat"),
        part(b, "n", b"2"),
        part(b, "image[]", PNG, ("upload.png", "image/png")),
        part(b, "image[]", JPEG, ("photo.jpg", "image/jpeg")),
        part(b, "image[]", JPEG, ("photo.jpg", "image/jpeg")),
        part(b, "image[]", PNG, ("b.bin", "image/png")),
        part(b, "image[]", b"raw", ("c.png", "image/x-test")),
        part(b, "mask", PNG, ("upload.png", "image/png")),
    )
    assert wire.requests[-1].headers["content-length"] == str(len(wire.body()))
    assert "transfer-encoding" not in wire.requests[-1].headers


@both
def test_big_bytes_go_in_chunks_too(is_async: bool) -> None:
    image = PNG * 1000  # about 1 MB
    wire = Wire()
    edit(wire, is_async, prompt="p", image=image)
    b = wire.boundary
    assert wire.body() == body(
        b, part(b, "prompt", b"p"), part(b, "image", image, ("upload.png", "image/png"))
    )
    assert len(wire.bodies[-1]) > len(image) // CHUNK and max(map(len, wire.bodies[-1])) <= CHUNK


@both
def test_a_single_path_is_one_part_with_its_length(
    is_async: bool, tmp_path: Path, opened_files: list[io.BufferedReader]
) -> None:
    image = tmp_path / "in.png"
    image.write_bytes(PNG * 100)  # 100 KB: more than one chunk
    wire = Wire()
    edit(wire, is_async, prompt="p", image=image)
    b = wire.boundary
    expected = body(
        b, part(b, "prompt", b"p"), part(b, "image", PNG * 100, ("in.png", "image/png"))
    )
    assert wire.body() == expected
    assert wire.requests[-1].headers["content-length"] == str(len(expected))
    assert len(wire.bodies[-1]) >= 2 and max(map(len, wire.bodies[-1])) <= CHUNK
    assert opened_files and all(handle.closed for handle in opened_files)


@both
def test_a_retry_after_a_500_rereads_a_path_to_the_same_bytes(
    is_async: bool, tmp_path: Path, opened_files: list[io.BufferedReader], no_sleep: None
) -> None:
    image = tmp_path / "in.png"
    image.write_bytes(PNG * 200)
    wire = Wire(500, 500, 200)
    edit(wire, is_async, prompt="p", image=image)
    assert len(wire.bodies) == 3
    assert wire.body(0) == wire.body(1) == wire.body(2)
    assert PNG * 200 in wire.body(0)
    # Opened once to sniff and size it, then once for each attempt; all closed.
    assert len(opened_files) == 4 and all(handle.closed for handle in opened_files)


@both
def test_a_retry_seeks_an_open_file_back_and_leaves_it_open(
    is_async: bool, tmp_path: Path, no_sleep: None
) -> None:
    path = tmp_path / "in.png"
    path.write_bytes(PNG * 200)
    with open(path, "rb") as user_file:
        wire = Wire(500, 200)
        edit(wire, is_async, prompt="p", image=user_file)
        assert not user_file.closed
    assert len(wire.bodies) == 2 and wire.body(0) == wire.body(1)
    b = wire.boundary
    assert wire.body(0) == body(
        b, part(b, "prompt", b"p"), part(b, "image", PNG * 200, ("in.png", "image/png"))
    )


@both
@pytest.mark.parametrize(
    "mime", ["image/png\r\nX-Injected: yes", "image/png\nX: y", "image/png\x00", "image/\x7fpng"]
)
def test_control_characters_in_a_content_type_are_refused_before_sending(
    is_async: bool, mime: str
) -> None:
    wire = Wire()
    with pytest.raises(ValueError, match=r"MIME type of file .image.*control character"):
        edit(wire, is_async, prompt="p", image=("a.png", PNG, mime))
    assert wire.requests == []


@both
def test_a_content_type_that_is_not_a_string_is_a_type_error(is_async: bool) -> None:
    wire = Wire()
    with pytest.raises(TypeError, match="MIME type of file 'mask' must be a str"):
        edit(wire, is_async, prompt="p", image=PNG, mask=("a.png", PNG, b"image/png"))
    assert wire.requests == []


@both
def test_a_big_file_is_read_as_it_is_sent(
    is_async: bool, tmp_path: Path, opened_files: list[io.BufferedReader]
) -> None:
    size = 16 * 1024 * 1024
    image = tmp_path / "big.png"
    with open(image, "wb") as out:
        out.write(PNG)
        out.truncate(size)  # sparse: quick to make
    ahead: list[int] = []

    def check(received: int) -> None:
        # How far the reading from disk runs ahead of what the server has received.
        ahead.append(sum(handle.tell() for handle in opened_files if not handle.closed) - received)

    wire = Wire(on_chunk=check)
    edit(wire, is_async, prompt="p", image=image)
    assert sum(map(len, wire.bodies[-1])) == int(wire.requests[-1].headers["content-length"])
    assert len(wire.bodies[-1]) >= size // CHUNK
    assert max(map(len, wire.bodies[-1])) <= CHUNK
    assert max(ahead) <= CHUNK
    assert all(handle.closed for handle in opened_files)


@both
def test_a_stream_that_cannot_seek_is_sent_chunked_once(is_async: bool, no_sleep: None) -> None:
    wire = Wire()
    edit(wire, is_async, prompt="p", image=OneWay(PNG * 100))
    request = wire.requests[-1]
    assert "content-length" not in request.headers
    assert request.headers["transfer-encoding"] == "chunked"
    b = wire.boundary
    assert wire.body() == body(
        b, part(b, "prompt", b"p"), part(b, "image", PNG * 100, ("upload.png", "image/png"))
    )
    wire = Wire(500, 200)
    with pytest.raises(SDKError, match=r"cannot be sent again.*not seekable"):
        edit(wire, is_async, prompt="p", image=OneWay(PNG))
    assert len(wire.bodies) == 2


@both
def test_a_path_is_closed_when_the_connection_drops_mid_upload(
    is_async: bool, tmp_path: Path, opened_files: list[io.BufferedReader], no_sleep: None
) -> None:
    from imagesdk import APIConnectionError

    image = tmp_path / "big.png"
    image.write_bytes(PNG * 1000)  # about 1 MB
    wire = Wire(fail_after=3)
    with pytest.raises(APIConnectionError):
        edit(wire, is_async, max_retries=1, prompt="p", image=image)
    assert len(wire.bodies) == 2
    assert len(opened_files) == 3 and all(handle.closed for handle in opened_files)


@both
def test_a_file_that_changes_size_before_it_is_sent_is_an_error(
    is_async: bool, tmp_path: Path
) -> None:
    image = tmp_path / "in.png"
    image.write_bytes(PNG * 100)
    calls = 0

    def shrink(received: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            image.write_bytes(PNG)

    with pytest.raises(SDKError, match="changed size"):
        edit(Wire(on_chunk=shrink), is_async, prompt="p", image=image)


def test_several_sends_of_one_body_are_identical(tmp_path: Path) -> None:
    image = tmp_path / "in.png"
    image.write_bytes(PNG * 300)
    with open(image, "rb") as user_file:
        encoded = multipart_module.encode_multipart(
            {"prompt": "p"}, [("image", [image, user_file, OneWay(JPEG)])]
        )
        first = b"".join(encoded)
        with pytest.raises(SDKError, match="not seekable"):
            b"".join(encoded)
    assert encoded.headers["Content-Type"] == encoded.content_type
    assert "Content-Length" not in encoded.headers
    assert first.count(PNG * 300) == 2 and JPEG in first


def chunks_of(iterator: Iterator[bytes]) -> list[int]:
    return [len(chunk) for chunk in iterator]


def test_small_pieces_are_joined_into_few_chunks() -> None:
    encoded = multipart_module.encode_multipart(
        {f"field{i}": "x" for i in range(50)}, [("image", PNG)]
    )
    assert chunks_of(iter(encoded)) == [encoded.content_length]
