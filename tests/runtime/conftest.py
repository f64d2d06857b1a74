"""Fixtures for the tests of the generated package's runtime (imported as `imagesdk`)."""

from __future__ import annotations

import pytest


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
