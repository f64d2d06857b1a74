"""A user's script: every overload of every method, as a type checker sees it."""

from __future__ import annotations

from pathlib import Path

from imagesdk import AsyncImageClient, AsyncStream, ImageClient, Stream
from imagesdk.types import ImageEditStreamEvent, ImageGenStreamEvent, ImagesResponse
from typing_extensions import assert_type


def sync_calls(client: ImageClient, flag: bool) -> None:
    assert_type(client.images.generate(prompt="a"), ImagesResponse)
    assert_type(client.images.generate(prompt="a", stream=False), ImagesResponse)
    assert_type(client.images.generate(prompt="a", stream=True), Stream[ImageGenStreamEvent])
    assert_type(
        client.images.generate(prompt="a", stream=flag),
        ImagesResponse | Stream[ImageGenStreamEvent],
    )
    assert_type(client.images.edit(image=Path("a.png"), prompt="a"), ImagesResponse)
    assert_type(
        client.images.edit(image=[b"1", ("b.png", b"2", "image/png")], prompt="a", stream=True),
        Stream[ImageEditStreamEvent],
    )
    assert_type(
        client.images.create_variation(image=b"png", n=None, size="256x256"), ImagesResponse
    )
    client.images.generate(prompt="a", model="gpt-image-1", size="1536x864", quality="high")
    client.images.generate(prompt="a", extra_headers={"x": "y"}, timeout=3.0)
    raw = client.images.with_raw_response.generate(prompt="a")
    raw.parse()
    with client.images.with_streaming_response.create_variation(image=b"png") as response:
        response.parse()


async def async_calls(client: AsyncImageClient) -> None:
    assert_type(await client.images.generate(prompt="a"), ImagesResponse)
    assert_type(
        await client.images.generate(prompt="a", stream=True), AsyncStream[ImageGenStreamEvent]
    )
    assert_type(
        await client.images.edit(image=b"x", prompt="a", stream=True),
        AsyncStream[ImageEditStreamEvent],
    )
    await client.images.create_variation(image=Path("x.png"))
