"""Method signatures (generator/signatures.py): keyword-only arguments in a fixed order, and
the three `stream` overloads of a streaming method."""

from __future__ import annotations

from sdkforge.model import Field, Signature
from sdkforge.samples import code
from sdkforge.signatures import method_signatures

TRAILING = ["extra_headers", "extra_query", "extra_body", "timeout"]


def _field(name: str, type_: str, required: bool) -> Field:
    return Field(name, name, type_, required, "", "", False, code("1"))


def _shape(signature: Signature) -> list[tuple[str, str, str]]:
    return [(a.name, a.annotation, a.default) for a in signature.arguments]


PROMPT = _field("prompt", "str", True)
SIZE = _field("size", "int", False)
STREAM = _field("stream", "bool", False)


def test_a_plain_method_has_one_signature_for_both_flavors() -> None:
    sync, async_ = method_signatures((PROMPT, SIZE), None, "Image", None)
    assert sync == async_
    [only] = sync
    assert not only.is_overload and only.documented
    assert only.returns == "Image"
    assert _shape(only)[:2] == [("prompt", "str", ""), ("size", "int | Omit", "omit")]
    assert [a.name for a in only.arguments[2:]] == TRAILING


def test_a_streaming_method_has_three_overloads_and_an_implementation() -> None:
    sync, async_ = method_signatures((PROMPT, SIZE, STREAM), STREAM, "Image", "Event")
    assert [(s.is_overload, s.documented, s.returns) for s in sync] == [
        (True, True, "Image"),
        (True, True, "Stream[Event]"),
        (True, True, "Image | Stream[Event]"),
        (False, False, "Image | Stream[Event]"),
    ]
    assert [s.returns for s in async_][1] == "AsyncStream[Event]"
    optional, required, either, implementation = sync
    # An optional `stream` sorts among the optional arguments; a required one comes right
    # after the other required arguments.
    assert [a.name for a in optional.arguments][:3] == ["prompt", "size", "stream"]
    assert _shape(required)[:3] == [
        ("prompt", "str", ""),
        ("stream", "Literal[True]", ""),
        ("size", "int | Omit", "omit"),
    ]
    assert _shape(either)[1] == ("stream", "bool", "")
    assert _shape(implementation)[2] == (
        "stream",
        "Optional[Literal[False]] | Literal[True] | Omit",
        "omit",
    )
    assert all([a.name for a in s.arguments][-4:] == TRAILING for s in (*sync, *async_))


def test_a_stream_field_without_events_is_a_plain_argument() -> None:
    [only], _ = method_signatures((PROMPT, STREAM), STREAM, "Image", None)
    assert _shape(only)[1] == ("stream", "bool | Omit", "omit")
