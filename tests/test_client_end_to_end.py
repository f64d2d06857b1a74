"""The generated client as a user calls it, against the Steady mock server started on the
committed spec: Path uploads (one and several), variations, and typed streaming events.

The fixture is the one that ships with the generated tests (`generated/tests/_mock_server.py`),
loaded by path because the generated tests are a package of their own.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest
from imagesdk import ImageClient
from imagesdk.types import (
    ImageEditPartialImageEvent,
    ImageGenCompletedEvent,
    ImageGenPartialImageEvent,
    ImagesResponse,
)

GENERATED_TESTS = Path(__file__).resolve().parent.parent / "generated" / "tests"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _load_mock_server() -> object:
    spec = importlib.util.spec_from_file_location(
        "sdkforge_mock_server", GENERATED_TESTS / "_mock_server.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


mock_server_url = getattr(_load_mock_server(), "mock_server_url")  # noqa: B009


@pytest.fixture
def client(mock_server_url: str) -> Iterator[ImageClient]:
    with ImageClient(api_key="test-key", base_url=mock_server_url, max_retries=0) as c:
        yield c


@pytest.fixture
def pngs(tmp_path: Path) -> list[Path]:
    paths = [tmp_path / "first.png", tmp_path / "second.png"]
    for path in paths:
        path.write_bytes(PNG)
    return paths


def test_edit_with_one_path(client: ImageClient, pngs: list[Path]) -> None:
    result = client.images.edit(image=pngs[0], prompt="add a hat", mask=pngs[1])
    assert isinstance(result, ImagesResponse)


def test_edit_with_several_paths(client: ImageClient, pngs: list[Path]) -> None:
    result = client.images.edit(image=pngs, prompt="put them side by side", n=1)
    assert isinstance(result, ImagesResponse)


def test_create_variation_with_a_path(client: ImageClient, pngs: list[Path]) -> None:
    result = client.images.create_variation(image=pngs[0], n=2, size="256x256")
    assert isinstance(result, ImagesResponse)


def test_generate_with_a_free_size_and_a_model_id(client: ImageClient) -> None:
    result = client.images.generate(prompt="a lighthouse", size="1536x864", model="gpt-image-1")
    assert isinstance(result, ImagesResponse)


def test_generate_stream_yields_typed_events(client: ImageClient) -> None:
    with client.images.generate(prompt="a fox", stream=True, partial_images=2) as stream:
        events = list(stream)
    assert events
    assert all(isinstance(e, (ImageGenPartialImageEvent, ImageGenCompletedEvent)) for e in events)
    assert stream.response.is_closed


def test_edit_stream_yields_typed_events(client: ImageClient, pngs: list[Path]) -> None:
    events = list(client.images.edit(image=pngs, prompt="merge", stream=True))
    assert events
    assert all(
        isinstance(e, ImageEditPartialImageEvent) or e.type == "image_edit.completed"
        for e in events
    )


def test_a_request_the_spec_rejects_fails(client: ImageClient) -> None:
    # The mock validates every request against the spec: an unknown field is refused, so
    # a client that sent wrong names would fail its tests.
    from imagesdk import BadRequestError

    with pytest.raises(BadRequestError):
        client.images.generate(prompt="a", extra_body={"not_a_field": 1})
