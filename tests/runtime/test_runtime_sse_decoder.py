"""The SSE decoder against the HTML standard's parsing rules, split at every byte."""

from __future__ import annotations

import pytest
from imagesdk._streaming import ServerSentEvent, SSEDecoder

pytestmark = pytest.mark.filterwarnings("error")  # unclosed files/responses fail


def decode(*chunks: bytes) -> tuple[list[ServerSentEvent], bool]:
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    for chunk in chunks:
        events += decoder.feed(chunk)
    return events, decoder.incomplete


SAMPLE = (
    b"\xef\xbb\xbf: a comment\n"
    b"event: first\n"
    b"data: line one\n"
    b"data:line two\n"
    b"data\n"
    b"id: 7\n"
    b"retry: 1500\n"
    b"\n"
    b'data: {"a": 1}\n'
    b"unknown: field\n"
    b"\n"
    b"event: only-event-no-data\n"
    b"\n"
    b"data:  two spaces\n"
    b"id: bad\x00id\n"
    b"retry: 12x\n"
    b"\n"
)


EXPECTED = [
    ServerSentEvent("first", "line one\nline two\n", "7", 1500),
    ServerSentEvent("message", '{"a": 1}', "7", None),
    ServerSentEvent("message", " two spaces", "7", None),
]


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_whole_stream(newline: bytes) -> None:
    events, incomplete = decode(SAMPLE.replace(b"\n", newline))
    assert events == EXPECTED and not incomplete


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_every_split_point(newline: bytes) -> None:
    data = SAMPLE.replace(b"\n", newline)
    for cut in range(len(data) + 1):
        events, incomplete = decode(data[:cut], data[cut:])
        assert events == EXPECTED, cut
        assert not incomplete


def test_byte_by_byte_crlf() -> None:
    data = SAMPLE.replace(b"\n", b"\r\n")
    events, incomplete = decode(*[data[i : i + 1] for i in range(len(data))])
    assert events == EXPECTED and not incomplete


def test_cr_then_lf_in_next_chunk_is_one_line_end() -> None:
    events, _ = decode(b"data: a\r", b"\ndata: b\r", b"\n\r\n")
    assert events == [ServerSentEvent("message", "a\nb")]


def test_empty_data_field_dispatches_an_empty_event() -> None:
    events, _ = decode(b"data\n\ndata:\n\n")
    assert events == [ServerSentEvent("message", ""), ServerSentEvent("message", "")]


def test_incomplete_detection() -> None:
    assert decode(b"data: x\n")[1]
    assert decode(b"data: x")[1]
    assert decode(b"event: e\n")[1]
    assert not decode(b"data: x\n\n")[1]
    assert not decode(b": ping\n")[1]
    assert not decode(b"")[1]
    assert decode(b"data: x\r")[1]  # the line ended, but not the event


def test_utf8_split_across_chunks() -> None:
    data = "data: chat \u2013 猫\n\n".encode()
    for cut in range(len(data)):
        events, _ = decode(data[:cut], data[cut:])
        assert events == [ServerSentEvent("message", "chat \u2013 猫")]


def test_long_line_in_many_chunks() -> None:
    payload = b"A" * 1_000_000
    chunks = (
        [b"data: "] + [payload[i : i + 65536] for i in range(0, len(payload), 65536)] + [b"\n\n"]
    )
    events, _ = decode(*chunks)
    assert len(events) == 1 and len(events[0].data) == 1_000_000
