"""Import cost, caching, and the static typing of the wrappers."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from _generate import mypy

pytestmark = pytest.mark.filterwarnings("error")  # unclosed files/responses fail


def _package_root() -> Path:
    """The folder holding the installed (editable) `imagesdk` package."""
    spec = importlib.util.find_spec("imagesdk")
    assert spec is not None and spec.origin is not None, "imagesdk is not installed"
    return Path(spec.origin).resolve().parent.parent


ROOT = _package_root()


def run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_import_does_not_import_pydantic() -> None:
    out = run("""
        import sys
        import httpx
        before = set(sys.modules)
        import imagesdk
        added = sorted(m for m in set(sys.modules) - before if not m.startswith("imagesdk"))
        client = imagesdk.ImageClient(api_key="k")
        client.images.with_raw_response
        client.images.with_streaming_response
        print(added, [m for m in sys.modules if m.startswith("pydantic")])
    """)
    assert out == "['typing_extensions'] []"


def test_adapters_are_cached() -> None:
    from imagesdk._parsing import adapter_for
    from imagesdk.types.image_gen_stream_event import ImageGenStreamEvent
    from imagesdk.types.images_response import ImagesResponse

    assert adapter_for(ImageGenStreamEvent) is adapter_for(ImageGenStreamEvent)
    # `list[X]` is built anew on every call, equal each time: one adapter still.
    assert adapter_for(list[ImagesResponse]) is adapter_for(list[ImagesResponse])


def test_models_to_dict_and_json() -> None:
    from imagesdk.types.images_response import ImagesResponse

    model = ImagesResponse.model_validate({"created": 1, "extra": [1]})
    assert model.to_dict() == {"created": 1, "extra": [1]}
    assert model.to_dict(exclude_unset=False)["data"] is None
    assert model.to_json(indent=None) == '{"created":1,"extra":[1]}'


TYPING_CHECK = """
from __future__ import annotations

from typing_extensions import assert_type

import imagesdk
from imagesdk import APIResponse, AsyncAPIResponse, AsyncStream, Stream
from imagesdk._response import AsyncResponseContextManager, ResponseContextManager
from imagesdk.types.image_gen_stream_event import ImageGenStreamEvent
from imagesdk.types.images_response import ImagesResponse


def sync_check(client: imagesdk.ImageClient) -> None:
    assert_type(client.images.generate(prompt="x"), ImagesResponse)
    assert_type(client.images.generate(prompt="x", stream=True), Stream[ImageGenStreamEvent])
    raw = client.images.with_raw_response.generate(prompt="x")
    reveal_type(raw)
    reveal_type(raw.parse())
    manager = client.images.with_streaming_response.generate(prompt="x")
    reveal_type(manager)
    with manager as response:
        reveal_type(response.parse())
    client.images.with_raw_response.generate(prompt=1)  # E: wrong type must be reported


async def async_check(client: imagesdk.AsyncImageClient) -> None:
    assert_type(await client.images.generate(prompt="x"), ImagesResponse)
    raw = await client.images.with_raw_response.generate(prompt="x")
    reveal_type(raw)
    async with client.images.with_streaming_response.generate(prompt="x") as response:
        reveal_type(await response.parse())
"""


def test_wrappers_keep_types_under_mypy(tmp_path: Path) -> None:
    check = tmp_path / "typing_check.py"
    check.write_text(TYPING_CHECK)
    result = mypy(str(check), cwd=ROOT, env={"MYPYPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    print(result.stdout)
    lines = result.stdout.splitlines()
    reveals = [line.split("Revealed type is ")[1] for line in lines if "Revealed type" in line]
    assert reveals == [
        '"imagesdk._response.APIResponse[imagesdk.types.images_response.ImagesResponse]"',
        '"imagesdk.types.images_response.ImagesResponse"',
        '"imagesdk._response.ResponseContextManager[imagesdk._response.APIResponse['
        'imagesdk.types.images_response.ImagesResponse]]"',
        '"imagesdk.types.images_response.ImagesResponse"',
        '"imagesdk._response.AsyncAPIResponse[imagesdk.types.images_response.ImagesResponse]"',
        '"imagesdk.types.images_response.ImagesResponse"',
    ]
    errors = [line for line in lines if ": error:" in line]
    assert len(errors) == 1 and "call-overload" in errors[0] and ":23:" in errors[0]
