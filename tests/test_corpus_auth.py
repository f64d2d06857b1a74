"""The corpus clients send the key where their documents' security says.

Generated from the shared corpus (../shared/corpus, never copied here) with our configs, under
--skip-unsupported; a method is called through a canned transport and the request it sent is
checked for the key, in its place and nowhere else.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from _generate import write_files
from sdkforge.pipeline import Inputs, generate_files

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
KEY = "corpus-key"


@pytest.fixture(scope="module")
def topaz(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    spec = CORPUS / "topaz-image.openapi.yaml"
    if not spec.is_file():
        pytest.skip(f"the shared corpus is not present at {spec}")
    out = tmp_path_factory.mktemp("topaz")
    config = ROOT / "tests" / "corpus" / "topaz-image" / "sdk.yaml"
    inputs = Inputs(spec, config, skip_unsupported=True)
    write_files(generate_files(inputs), out)
    package = out / "topaz"
    found = importlib.util.spec_from_file_location(
        "topaz", package / "__init__.py", submodule_search_locations=[str(package)]
    )
    assert found is not None and found.loader is not None
    module = importlib.util.module_from_spec(found)
    sys.modules["topaz"] = module
    try:
        found.loader.exec_module(module)
        yield module
    finally:
        for name in [n for n in sys.modules if n == "topaz" or n.startswith("topaz.")]:
            del sys.modules[name]


def test_topaz_sends_its_key_in_x_api_key(topaz: ModuleType) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    with topaz.TopazClient(api_key=KEY, http_client=http) as client:
        client.processes.with_raw_response.get(process_id="p-1")
    (request,) = seen
    assert request.headers["x-api-key"] == KEY
    assert "authorization" not in request.headers and KEY not in str(request.url)


def test_topaz_demands_its_key(topaz: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TOPAZ_API_KEY", raising=False)
    with pytest.raises(topaz.SDKError, match="TOPAZ_API_KEY"):
        topaz.TopazClient()
