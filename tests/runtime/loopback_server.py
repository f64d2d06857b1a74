"""A real HTTP server on 127.0.0.1 that answers from a script and misbehaves on purpose.

Each test gets its own server (port 0, the `server` fixture) so request counts belong to
that test alone; the fixture shuts it down, releasing a handler that is holding a request
without answering.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import imagesdk
from runtime_support import API_KEY

HANG_LIMIT = 5.0  # a hanging handler gives up after this long even if nobody releases it


# -- the server --------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


def json_reply(status: int, body: object, **headers: str) -> Reply:
    return Reply(status, json.dumps(body).encode(), dict(headers))


# What the handler does for one request: a Reply, or one of these actions.
HANG = "hang"  # read the request, then never answer
RESET = "reset"  # close the socket with an RST, no response at all
Action = Reply | str | bytes  # bytes: a raw SSE body, sent chunked


class Server:
    """A ThreadingHTTPServer answering POSTs from a script, one action per request."""

    def __init__(self) -> None:
        self.script: list[Action] = []
        self.requests: list[dict[str, Any]] = []
        self.release = threading.Event()
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            # GET too: a 302 or 303 redirect turns the POST into a GET.
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with server.lock:
                    server.requests.append({"headers": dict(self.headers), "body": body})
                    index = len(server.requests) - 1
                    action = server.script[min(index, len(server.script) - 1)]
                if action == HANG:
                    server.release.wait(HANG_LIMIT)
                    self.close_connection = True
                elif action == RESET:
                    linger = struct.pack("ii", 1, 0)
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                    self.connection.close()
                    self.close_connection = True
                elif isinstance(action, bytes):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for line in action.splitlines(keepends=True):
                        self.wfile.write(f"{len(line):x}\r\n".encode() + line + b"\r\n")
                        self.wfile.flush()
                    self.wfile.write(b"0\r\n\r\n")
                elif isinstance(action, Reply):
                    self.send_response(action.status)
                    self.send_header("Content-Type", action.content_type)
                    self.send_header("Content-Length", str(len(action.body)))
                    for name, value in action.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(action.body)
                else:  # pragma: no cover - a typo in a test's script
                    raise AssertionError(f"unknown action {action!r}")

            do_GET = do_POST

        class Quiet(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # clients that give up on purpose leave broken pipes behind

        self.httpd = Quiet(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __call__(self, *script: Action) -> Server:
        self.script = list(script)
        return self

    @property
    def hits(self) -> int:
        return len(self.requests)

    def client(self, **kwargs: Any) -> imagesdk.ImageClient:
        return imagesdk.ImageClient(api_key=API_KEY, base_url=self.url, **kwargs)

    def async_client(self, **kwargs: Any) -> imagesdk.AsyncImageClient:
        return imagesdk.AsyncImageClient(api_key=API_KEY, base_url=self.url, **kwargs)
