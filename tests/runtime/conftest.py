"""Fixtures for the tests of the generated package's runtime (imported as `imagesdk`)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from loopback_server import Server


@pytest.fixture
def anyio_backend() -> str:
    """Async tests run under anyio's pytest plugin, on asyncio only."""
    return "asyncio"


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record retry sleeps instead of sleeping."""
    import imagesdk._base_client as base

    calls: list[float] = []

    def fake_sleep(seconds: float) -> None:
        calls.append(seconds)

    async def fake_async_sleep(seconds: float) -> None:
        calls.append(seconds)

    monkeypatch.setattr(base, "_sleep", fake_sleep)
    monkeypatch.setattr(base, "_async_sleep", fake_async_sleep)
    return calls


@pytest.fixture
def opened_files(monkeypatch: pytest.MonkeyPatch) -> list[io.BufferedReader]:
    """Every file the multipart encoder opens, to count them and check that each is closed."""
    import imagesdk._multipart as multipart_module

    files: list[io.BufferedReader] = []

    def recording_open(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = open(path, mode, *args, **kwargs)  # noqa: SIM115 - handed to the encoder
        files.append(handle)
        return handle

    monkeypatch.setattr(multipart_module, "open", recording_open, raising=False)
    return files


@pytest.fixture
def server() -> Iterator[Server]:
    """A scripted server on 127.0.0.1 of this test's own."""
    srv = Server()
    srv.thread.start()
    try:
        yield srv
    finally:
        srv.release.set()
        srv.httpd.shutdown()
        srv.httpd.server_close()
        srv.thread.join(timeout=5)
