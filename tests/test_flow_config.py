"""Stage 1b, the `pagination:` and `poll:` sections: read into values, mistakes located."""

from __future__ import annotations

from sdkforge.config import SdkConfig, read_config
from sdkforge.diagnostics import Reporter
from sdkforge.load import parse_yaml

BASE = """\
package: rendersdk
client: {sync: RenderClient, async: AsyncRenderClient, api_key_env: RENDER_API_KEY}
resources:
  renders:
    methods:
      list: get /renders
      create: post /renders
      get: get /renders/{render_id}
"""


def _read(extra: str) -> tuple[SdkConfig, list[str]]:
    reporter = Reporter()
    config = read_config(parse_yaml(BASE + extra, "sdk.yaml"), reporter)
    return config, [str(d) for d in sorted(reporter.diagnostics)]


def test_pagination_and_poll_are_read_with_their_defaults() -> None:
    config, errors = _read(
        "pagination: {style: offset, param: skip, methods: [renders.list]}\n"
        "poll:\n  renders.create: {get: renders.get, url: href, status: s, done: [ok]}\n"
    )
    assert errors == []
    (pagination,) = config.pagination
    assert (pagination.style, pagination.items, pagination.param) == ("offset", "data", "skip")
    assert pagination.methods == ("renders.list",)
    (poll,) = config.polls
    assert (poll.method, poll.get, poll.id, poll.url) == (
        "renders.create",
        "renders.get",
        "",
        "href",
    )
    assert (poll.done, poll.failed, poll.interval, poll.timeout) == (("ok",), (), 2.0, 600.0)


def test_without_the_sections_nothing_pages_or_polls() -> None:
    config, errors = _read("")
    assert errors == [] and config.pagination == () and config.polls == ()


def test_each_style_asks_for_what_it_needs() -> None:
    _, errors = _read("pagination: {style: cursor, field: next, methods: [renders.list]}\n")
    assert errors == [
        "sdk.yaml:9:1: error: missing key 'param' (add `param:`, which the 'cursor' style needs)"
    ]
    _, errors = _read("pagination: {style: link_header, methods: [renders.list]}\n")
    assert errors == []


def test_poll_mistakes_are_located() -> None:
    _, errors = _read(
        "poll:\n  renders.create: {get: renders.get, status: s, done: [ok], timeout: -1}\n"
        "  renders.nope: {get: renders.get, id: id, status: s, done: [ok]}\n"
    )
    assert errors == [
        "sdk.yaml:10:3: error: say where the job is: `id:` or `url:` (give exactly one of them)",
        "sdk.yaml:10:61: error: 'timeout' must be a positive number of seconds (write e.g. 2)",
        "sdk.yaml:11:3: error: 'renders.nope' is not a configured method "
        "(did you mean 'renders.get'?)",
    ]


def test_a_made_method_may_not_be_configured_too() -> None:
    _, errors = _read(
        "poll:\n  renders.create: {get: renders.get, id: id, status: s, done: [ok]}\n"
    )
    assert errors == []
    config = BASE.replace("      get: get", "      wait: get /wait\n      get: get")
    reporter = Reporter()
    read_config(
        parse_yaml(
            config + "poll:\n  renders.create: {get: renders.get, id: id, status: s, done: [ok]}\n",
            "sdk.yaml",
        ),
        reporter,
    )
    assert [d.message for d in reporter.diagnostics] == [
        "the method 'renders.wait' is made here and configured too"
    ]


def test_pagination_may_list_several_schemes() -> None:
    config, errors = _read(
        "pagination:\n"
        "  - {style: cursor, param: after, field: last_id, methods: [renders.list]}\n"
        "  - {style: offset, param: skip, methods: [renders.get]}\n"
    )
    assert errors == []
    assert [(p.style, p.methods) for p in config.pagination] == [
        ("cursor", ("renders.list",)),
        ("offset", ("renders.get",)),
    ]
    scheme = config.page_scheme("renders.get")
    assert scheme is not None and scheme.param == "skip"
    assert config.page_scheme("renders.create") is None


def test_a_list_of_schemes_is_checked_entry_by_entry() -> None:
    _, errors = _read("pagination: []\n")
    assert errors == [
        "sdk.yaml:9:1: error: 'pagination' is an empty list (give one scheme (`style:`, "
        "`methods:` ...) or a list of them)"
    ]
    _, errors = _read(
        "pagination:\n"
        "  - {style: cursor, param: after, field: next, methods: [renders.list]}\n"
        "  - {style: offset, methods: [renders.list]}\n"
        "  - text\n"
    )
    assert errors == [
        "sdk.yaml:11:5: error: missing key 'param' (add `param:`, which the 'offset' style needs)",
        "sdk.yaml:11:31: error: 'renders.list' is named by two pagination schemes (a method "
        "pages one way: keep it in one scheme's `methods`)",
        "sdk.yaml:12:5: error: pagination scheme 3 must be a mapping (write `- {style: cursor, "
        "..., methods: [x.list]}`)",
    ]


def test_item_cursor_takes_the_place_of_field() -> None:
    config, errors = _read(
        "pagination: {style: cursor, param: after, item_cursor: id, methods: [renders.list]}\n"
    )
    assert errors == []
    (scheme,) = config.pagination
    assert (scheme.field, scheme.item_cursor) == ("", "id")
    _, errors = _read(
        "pagination: {style: offset, param: skip, item_cursor: id, methods: [renders.list]}\n"
    )
    assert errors == [
        "sdk.yaml:9:42: error: item_cursor is the cursor style's other way to find the next "
        "cursor (keep it for `style: cursor` alone, without `field:`)"
    ]
