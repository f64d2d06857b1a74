"""The clients against a real HTTP server on 127.0.0.1 (http.server in a thread)."""

from __future__ import annotations

import email.parser
import email.policy
import json
import socket
import struct
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import imagesdk
import pytest
import runtime_support
from imagesdk import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    BadRequestError,
    InternalServerError,
    Stream,
)
from imagesdk.types.image_gen_stream_event import ImageGenCompletedEvent, ImageGenPartialImageEvent
from imagesdk.types.images_response import ImagesResponse
from runtime_support import API_KEY, IMAGES_JSON

pytestmark = pytest.mark.filterwarnings("error")  # unclosed files/responses fail

PARTIAL = {**runtime_support.PARTIAL, "b64_json": "A" * 200_000}
COMPLETED = runtime_support.COMPLETED


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hits: ClassVar[dict[str, int]] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_json(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def start_sse(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        kind, _, key = self.path.strip("/").partition("/")
        key = key.split("/")[0]
        Handler.hits[key] = Handler.hits.get(key, 0) + 1
        if kind == "ok":
            self.send_json(200, IMAGES_JSON, {"x-request-id": "req_ok"})
        elif kind == "echo":
            parts = []
            if self.headers["Content-Type"].startswith("multipart/"):
                msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                    b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + body
                )
                for part in msg.iter_parts():
                    payload = part.get_payload(decode=True)
                    parts.append(
                        [
                            part.get_param("name", header="content-disposition"),
                            part.get_filename(),
                            part.get_content_type(),
                            len(payload),
                        ]
                    )
            self.send_json(
                200,
                {
                    **IMAGES_JSON,
                    "echo": {
                        "auth": self.headers["Authorization"],
                        "ctype": self.headers["Content-Type"],
                        "parts": parts,
                        "json": json.loads(body) if not parts else None,
                    },
                },
            )
        elif kind == "flaky":
            if Handler.hits[key] == 1:
                self.send_json(500, {"error": {"message": "try again"}}, {"retry-after-ms": "10"})
            else:
                self.send_json(200, IMAGES_JSON)
        elif kind == "slow":
            time.sleep(1.0)
            self.send_json(200, IMAGES_JSON)
        elif kind == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif kind == "error":
            self.send_json(
                400,
                {"error": {"message": "bad size", "param": "size"}},
                {"x-request-id": "req_err"},
            )
        elif kind == "sse":
            self.start_sse()
            payload = (
                f"event: image_generation.partial_image\ndata: {json.dumps(PARTIAL)}\n\n"
                f"event: image_generation.completed\ndata: {json.dumps(COMPLETED)}\n\n"
                "data: [DONE]\n\n"
            ).encode()
            for i in range(0, len(payload), 7000):
                self.chunk(payload[i : i + 7000])
            self.chunk(b"")
        elif kind == "sse-error":
            self.start_sse()
            self.chunk(f"data: {json.dumps(COMPLETED)}\n\n".encode())
            self.chunk(b'event: error\ndata: {"error": {"message": "server overloaded"}}\n\n')
            self.chunk(b"")
        elif kind == "sse-truncated":
            self.start_sse()
            self.chunk(f"data: {json.dumps(COMPLETED)}\n\n".encode())
            self.chunk(b'data: {"type": "image_gen')
            self.chunk(b"")
        elif kind == "sse-cut":
            self.start_sse()
            self.chunk(f"data: {json.dumps(COMPLETED)}\n\n".encode())
            self.chunk(b'data: {"type": "image_gen')
            self.close_connection = True  # no final chunk: the connection just ends
        else:
            self.send_json(404, {"error": {"message": "no route"}})


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that time out on purpose leave broken pipes behind


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def client(server: str, route: str, **kwargs: object) -> imagesdk.ImageClient:
    return imagesdk.ImageClient(api_key=API_KEY, base_url=f"{server}/{route}", **kwargs)  # type: ignore[arg-type]


def test_json_call(server: str) -> None:
    with client(server, "echo/1") as c:
        result = c.images.generate(prompt="x", n=None)
    assert isinstance(result, ImagesResponse)
    echo = result.echo  # type: ignore[attr-defined]
    assert echo["json"] == {"prompt": "x", "n": None}
    assert echo["auth"] == f"Bearer {API_KEY}" and echo["ctype"] == "application/json"


def test_multipart(server: str, tmp_path: Path) -> None:
    path = tmp_path / "a.webp"
    path.write_bytes(b"RIFF\x00\x00\x00\x00WEBP" + b"\x00" * 1000)
    with client(server, "echo/2") as c:
        result = c.images.edit(image=[path, ("b.png", b"\x89PNG")], mask=path, prompt="p", n=2)
    assert result.echo["parts"] == [  # type: ignore[union-attr]
        ["prompt", None, "text/plain", 1],
        ["n", None, "text/plain", 1],
        ["image[]", "a.webp", "image/webp", 1012],
        ["image[]", "b.png", "image/png", 4],
        ["mask", "a.webp", "image/webp", 1012],
    ]


def test_retry_then_success(server: str, sleeps: list[float]) -> None:
    with client(server, "flaky/k1") as c:
        assert isinstance(c.images.with_raw_response.generate(prompt="x").parse(), ImagesResponse)
    assert Handler.hits["k1"] == 2 and sleeps == [0.01]


def test_error_status(server: str) -> None:
    with client(server, "error/e1") as c, pytest.raises(BadRequestError) as info:
        c.images.generate(prompt="x")
    assert info.value.request_id == "req_err" and info.value.param == "size"
    assert Handler.hits["e1"] == 1 and API_KEY not in str(info.value)


def test_timeout(server: str, sleeps: list[float]) -> None:
    with client(server, "slow/t1", timeout=0.2, max_retries=1) as c:
        start = time.monotonic()
        with pytest.raises(APITimeoutError):
            c.images.generate(prompt="x")
    assert Handler.hits["t1"] == 2 and len(sleeps) == 1
    assert time.monotonic() - start < 2.5


def test_connection_reset(server: str, sleeps: list[float]) -> None:
    with client(server, "reset/r1", max_retries=1) as c, pytest.raises(APIConnectionError) as info:
        c.images.generate(prompt="x")
    assert Handler.hits["r1"] == 2 and not isinstance(info.value, APITimeoutError)


def test_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    c = imagesdk.ImageClient(api_key=API_KEY, base_url=f"http://127.0.0.1:{port}", max_retries=0)
    with c, pytest.raises(APIConnectionError) as info:
        c.images.generate(prompt="x")
    assert API_KEY not in str(info.value)


def test_sse_stream(server: str) -> None:
    with client(server, "sse/s1") as c:
        stream = c.images.generate(prompt="x", stream=True)
        assert isinstance(stream, Stream)
        events = list(stream)
    assert [type(e) for e in events] == [ImageGenPartialImageEvent, ImageGenCompletedEvent]
    assert events[0].b64_json == "A" * 200_000 and stream.response.is_closed


def test_sse_error_event(server: str) -> None:
    with client(server, "sse-error/s2") as c:
        stream = c.images.generate(prompt="x", stream=True)
        with pytest.raises(APIError, match="server overloaded"):
            list(stream)
    assert stream.response.is_closed


@pytest.mark.parametrize("route", ["sse-truncated/s3", "sse-cut/s4"])
def test_sse_truncated(server: str, route: str) -> None:
    with client(server, route) as c:
        stream = c.images.generate(prompt="x", stream=True)
        events = []
        with pytest.raises(APIConnectionError, match="Stream ended before it was complete"):
            for e in stream:
                events.append(e)
    assert len(events) == 1


def test_streamed_mode(server: str) -> None:
    with client(server, "sse/s5") as c:
        with c.images.with_streaming_response.generate(prompt="x", stream=True) as response:
            assert response.status_code == 200
            assert response.headers["content-type"] == "text/event-stream"
            events = list(response.parse())
        assert len(events) == 2
        assert response.http_response.is_closed


@pytest.mark.anyio
async def test_async_against_real_server(server: str, sleeps: list[float]) -> None:
    async with imagesdk.AsyncImageClient(api_key=API_KEY, base_url=f"{server}/sse/a1") as c:
        stream = await c.images.generate(prompt="x", stream=True)
        assert len([e async for e in stream]) == 2
    async with imagesdk.AsyncImageClient(api_key=API_KEY, base_url=f"{server}/flaky/a2") as c:
        assert isinstance(await c.images.generate(prompt="x"), ImagesResponse)
    async with imagesdk.AsyncImageClient(
        api_key=API_KEY, base_url=f"{server}/slow/a3", timeout=0.2, max_retries=0
    ) as c:
        with pytest.raises(APITimeoutError):
            await c.images.generate(prompt="x")
    async with imagesdk.AsyncImageClient(
        api_key=API_KEY, base_url=f"{server}/error/a4", max_retries=0
    ) as c:
        with pytest.raises(BadRequestError):
            await c.images.generate(prompt="x")
    async with imagesdk.AsyncImageClient(api_key=API_KEY, base_url=f"{server}/sse-cut/a5") as c:
        stream = await c.images.generate(prompt="x", stream=True)
        with pytest.raises(APIConnectionError):
            async for _ in stream:
                pass
    async with imagesdk.AsyncImageClient(
        api_key=API_KEY, base_url=f"{server}/reset/a6", max_retries=0
    ) as c:
        with pytest.raises(APIConnectionError):
            await c.images.generate(prompt="x")
    _ = InternalServerError
