"""Calls a type checker must reject; each line carries the error mypy must report."""

from __future__ import annotations

from imagesdk import ImageClient


def wrong(client: ImageClient) -> None:
    client.images.generate(promt="a")  # E: call-overload
    client.images.generate(prompt="a", quality="ultra")  # E: call-overload
    client.images.create_variation(image=b"x", size="auto")  # E: arg-type
    client.images.edit(prompt="a")  # E: call-overload
    client.images.generate(prompt="a", stream="yes")  # E: call-overload
