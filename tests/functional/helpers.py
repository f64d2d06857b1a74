"""What the functional tests share: generate an inline spec and import the package it makes,
a canned server that keeps every request (and answers with JSON or an event stream), and a
reader of multipart bodies.

A test class holds `SPEC` and `CONFIG` (YAML text; the config says `package: {package}`, and
the fixture `sdk` in this folder's conftest fills in a name no other class uses, so that two
generated packages never meet in `sys.modules`).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
from _generate import generate_into


@contextmanager
def generated_package(spec: str, config: str, folder: Path, package: str) -> Iterator[ModuleType]:
    """Generate `spec` and `config` into `folder`, import the package as `package`, and
    forget every module of it afterwards."""
    assert package not in sys.modules, f"{package} is imported already"
    out = generate_into(folder, spec, config, package)
    # Imported from its own folder, not through sys.path: the output's `tests` package
    # must not shadow anything.
    root = out / package
    module_spec = importlib.util.spec_from_file_location(
        package, root / "__init__.py", submodule_search_locations=[str(root)]
    )
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[package] = module
    try:
        module_spec.loader.exec_module(module)
        yield module
    finally:
        for name in [n for n in sys.modules if n == package or n.startswith(f"{package}.")]:
            del sys.modules[name]


@dataclass
class Wire:
    """A canned server: answers every request with the same status, headers and body, and
    keeps the requests it saw (their bodies read, as httpx's MockTransport does). Each
    response body is a stream, and `bodies_read` counts those read to the end, so a test
    can tell a body left unread from one read."""

    body: bytes = b"{}"
    content_type: str = "application/json"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)
    bodies_read: int = 0

    @classmethod
    def json(cls, value: object, **headers: str) -> Wire:
        return cls(json.dumps(value).encode(), headers=headers)

    @classmethod
    def events(cls, *data: object) -> Wire:
        """An event stream, one `data:` line an event (strings as they are, others as JSON)."""
        lines = [f"data: {d if isinstance(d, str) else json.dumps(d)}\n\n" for d in data]
        return cls("".join(lines).encode(), content_type="text/event-stream")

    def _response(
        self, request: httpx.Request, content: Iterator[bytes] | AsyncIterator[bytes]
    ) -> httpx.Response:
        self.requests.append(request)
        headers = {"content-type": self.content_type, **self.headers}
        return httpx.Response(self.status, headers=headers, content=content)

    def _chunks(self) -> Iterator[bytes]:
        yield self.body
        self.bodies_read += 1

    async def _async_chunks(self) -> AsyncIterator[bytes]:
        yield self.body
        self.bodies_read += 1

    def sync_http(self) -> httpx.Client:
        return httpx.Client(
            transport=httpx.MockTransport(lambda r: self._response(r, self._chunks()))
        )

    def async_http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.MockTransport(lambda r: self._response(r, self._async_chunks()))
        )

    def sync_client(self, client_class: Any, **options: object) -> Any:
        """`client_class` talking to this wire, with a test key and no retries."""
        return client_class(
            **{"api_key": "k", "max_retries": 0, **options}, http_client=self.sync_http()
        )

    def async_client(self, client_class: Any, **options: object) -> Any:
        return client_class(
            **{"api_key": "k", "max_retries": 0, **options}, http_client=self.async_http()
        )

    @property
    def request(self) -> httpx.Request:
        """The one request the test made."""
        (only,) = self.requests
        return only

    def sent_json(self) -> object:
        assert self.request.headers["content-type"] == "application/json"
        return json.loads(self.request.content)


@dataclass(frozen=True)
class Part:
    name: str
    filename: str | None
    content_type: str | None
    data: bytes


def multipart_parts(request: httpx.Request) -> list[Part]:
    """The parts of a multipart/form-data body, in order, read byte for byte."""
    media_type, _, boundary = request.headers["content-type"].partition("; boundary=")
    assert media_type == "multipart/form-data" and boundary, request.headers["content-type"]
    body = request.content
    assert body.endswith(f"--{boundary}--\r\n".encode()), "the closing delimiter"
    chunks = body.split(f"--{boundary}".encode())
    assert chunks[0] == b"" and chunks[-1] == b"--\r\n"
    parts = []
    for chunk in chunks[1:-1]:
        assert chunk.startswith(b"\r\n") and chunk.endswith(b"\r\n")
        head, _, data = chunk[2:-2].partition(b"\r\n\r\n")
        headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n"))
        disposition = dict(
            item.split("=", 1) for item in headers["Content-Disposition"].split("; ")[1:]
        )
        filename = disposition.get("filename")
        parts.append(
            Part(
                disposition["name"].strip('"'),
                filename.strip('"') if filename else None,
                headers.get("Content-Type"),
                data,
            )
        )
    return parts
