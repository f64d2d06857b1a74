"""Path, query and header parameters: how the runtime puts them into the request."""

from __future__ import annotations

import httpx
from imagesdk import ImageClient, omit
from imagesdk.types import ImagesResponse


def _client(seen: list[httpx.Request], base_url: str = "https://api.test/v1") -> ImageClient:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"created": 1})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    return ImageClient(api_key="k", base_url=base_url, http_client=http, max_retries=0)


def _get(client: ImageClient, path: str, **kwargs: object) -> object:
    return client._request("get", path, cast_to=ImagesResponse, **kwargs)  # type: ignore[arg-type]


def test_path_parameters_are_one_escaped_segment_each() -> None:
    seen: list[httpx.Request] = []
    client = _client(seen)
    _get(client, "/albums/{album-id}/pictures/{n}", path_params={"album-id": "a/b c?", "n": 7})
    assert seen[0].url.raw_path == b"/v1/albums/a%2Fb%20c%3F/pictures/7"


def test_the_url_cache_is_per_template_not_per_value() -> None:
    seen: list[httpx.Request] = []
    client = _client(seen)
    for number in range(50):
        _get(client, "/items/{id}", path_params={"id": number})
    assert [r.url.path for r in seen[:2]] == ["/v1/items/0", "/v1/items/1"]
    assert len(client._urls) == 1


def test_query_values_omit_none_bools_and_lists() -> None:
    seen: list[httpx.Request] = []
    client = _client(seen, "https://api.test/v1?api-version=3")
    _get(
        client,
        "/items?beta=true",
        query={"limit": 5, "after": omit, "before": None, "desc": False, "tag": ["a", "b"]},
        extra_query={"debug": "1"},
    )
    params = seen[0].url.params
    assert params.get_list("tag") == ["a", "b"]
    assert dict(params) | {"tag": "a"} == {
        "api-version": "3",
        "beta": "true",
        "limit": "5",
        "desc": "false",
        "tag": "a",
        "debug": "1",
    }
    assert "after" not in params and "before" not in params


def test_header_values_omit_none_bools_and_lists() -> None:
    seen: list[httpx.Request] = []
    client = _client(seen)
    _get(
        client,
        "/items",
        header_params={
            "X-Trace": "t-1",
            "X-Page": 3,
            "X-Dry-Run": True,
            "OpenAI-Beta": ["a=v1", "b=v2"],
            "X-Skipped": omit,
            "X-Null": None,
        },
    )
    headers = seen[0].headers
    assert headers["x-trace"] == "t-1"
    assert headers["x-page"] == "3"
    assert headers["x-dry-run"] == "true"
    assert headers["openai-beta"] == "a=v1,b=v2"  # OpenAPI's simple style
    assert "x-skipped" not in headers and "x-null" not in headers
    assert headers["authorization"] == "Bearer k"  # the client's own headers stay


def test_extra_headers_win_over_header_parameters_whatever_the_case() -> None:
    seen: list[httpx.Request] = []
    client = _client(seen)
    _get(
        client,
        "/items",
        header_params={"X-Trace": "from-param", "X-Keep": "kept"},
        extra_headers={"x-trace": "from-extra"},
    )
    assert seen[0].headers.get_list("x-trace") == ["from-extra"]
    assert seen[0].headers["x-keep"] == "kept"
