"""Multipart bodies: fields, one or many files, paths, tuples, file objects, MIME types."""

from __future__ import annotations

import email.parser
import email.policy
import io
from pathlib import Path
from typing import Any

import httpx
import pytest
from imagesdk import omit
from imagesdk._multipart import MultipartBody, encode_multipart
from runtime_support import IMAGES_JSON, Recorder, json_response, make_client

pytestmark = pytest.mark.filterwarnings("error")  # unclosed files/responses fail

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0" + b"\x01" * 20
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x02" * 10


def parse(body: bytes, content_type: str) -> list[dict[str, Any]]:
    """Decode a multipart body with the standard library, independent of our encoder."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    assert message.is_multipart()
    parts = []
    for part in message.iter_parts():
        parts.append(
            {
                "name": part.get_param("name", header="content-disposition"),
                "filename": part.get_filename(),
                "type": part.get_content_type() if part.get("content-type") else None,
                "content": part.get_payload(decode=True),
            }
        )
    return parts


def encode(
    form_fields: dict[str, object] | None,
    files: list[tuple[str, object]] | None,
    array_suffix: str = "[]",
) -> tuple[bytes, str]:
    """The whole body, read once, and its content type."""
    encoded = encode_multipart(form_fields, files, array_suffix)
    return b"".join(encoded), encoded.content_type


def sent(rec: Recorder) -> list[dict[str, Any]]:
    return parse(rec.last.content, rec.last.headers["content-type"])


def test_fields_and_a_single_bytes_file() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    make_client(rec).images.edit(image=PNG, prompt="add a hat", n=2, stream=False)
    assert rec.last.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert rec.last.headers["content-length"] == str(len(rec.last.content))
    parts = sent(rec)
    assert [(p["name"], p["content"]) for p in parts[:3]] == [
        ("prompt", b"add a hat"),
        ("n", b"2"),
        ("stream", b"false"),
    ]
    image = parts[3]
    assert image["name"] == "image" and image["filename"] == "upload.png"
    assert image["type"] == "image/png" and image["content"] == PNG
    assert len(parts) == 4  # mask omitted


def test_none_and_omit_fields_are_not_sent() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    make_client(rec).images.edit(image=PNG, prompt="p", n=None, stream=omit, mask=omit)
    assert [p["name"] for p in sent(rec)] == ["prompt", "image"]


def test_several_files_are_repeated_bracket_parts(tmp_path: Path) -> None:
    path = tmp_path / "cat.JPG"
    path.write_bytes(JPEG)
    buffer = io.BytesIO()
    buffer.write(WEBP)  # positioned at its end, as after Image.save(buffer)
    user_file = open(path, "rb")  # noqa: SIM115
    rec = Recorder(json_response(200, IMAGES_JSON))
    make_client(rec).images.edit(
        image=[PNG, path, ("custom.bin", buffer), ("x.png", b"raw", "image/x-test"), user_file],
        mask=(None, PNG),
        prompt="p",
    )
    parts = sent(rec)[1:]
    assert [p["name"] for p in parts] == ["image[]"] * 5 + ["mask"]
    assert [(p["filename"], p["type"]) for p in parts] == [
        ("upload.png", "image/png"),
        ("cat.JPG", "image/jpeg"),
        ("custom.bin", "image/webp"),  # unknown extension: sniffed
        ("x.png", "image/x-test"),
        ("cat.JPG", "image/jpeg"),
        ("upload.png", "image/png"),
    ]
    assert [p["content"] for p in parts] == [PNG, JPEG, WEBP, b"raw", JPEG, PNG]
    # Files the caller opened stay open for the caller.
    assert not user_file.closed and not buffer.closed
    user_file.close()


def test_a_tuple_of_files_is_many_files() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    make_client(rec).images.edit(image=(PNG, PNG), prompt="p")
    assert [p["name"] for p in sent(rec)[1:]] == ["image[]", "image[]"]


def test_single_item_list_is_still_an_array() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    make_client(rec).images.edit(image=[PNG], prompt="p")
    assert [p["name"] for p in sent(rec)[1:]] == ["image[]"]


def test_sniffing_and_extension_lookup() -> None:
    body, ctype = encode(
        None,
        [
            ("a", WEBP),
            ("b", (None, b"GIF89a...")),
            ("c", b"??"),
            ("d", ("photo.webp", b"x")),
            ("e", ("n.jpeg", b"x")),
        ],
    )
    parts = parse(body, ctype)
    assert [(p["filename"], p["type"]) for p in parts] == [
        ("upload.webp", "image/webp"),
        ("upload.gif", "image/gif"),
        ("upload", "application/octet-stream"),
        ("photo.webp", "image/webp"),
        ("n.jpeg", "image/jpeg"),
    ]


def test_field_types_and_lists() -> None:
    body, ctype = encode(
        {
            "s": "x",
            "t": True,
            "f": False,
            "i": 3,
            "x": 0.5,
            "tags": ["a", 2, None],
            "arr[]": ["z"],
            "none": None,
            "o": omit,
        },
        [],
    )
    parts = parse(body, ctype)
    assert [(p["name"], p["content"]) for p in parts] == [
        ("s", b"x"),
        ("t", b"true"),
        ("f", b"false"),
        ("i", b"3"),
        ("x", b"0.5"),
        ("tags[]", b"a"),
        ("tags[]", b"2"),
        ("arr[]", b"z"),
    ]


def test_multipart_without_files_is_still_multipart() -> None:
    body, ctype = encode({"prompt": "p"}, None)
    assert ctype.startswith("multipart/form-data")
    assert parse(body, ctype)[0]["content"] == b"p"


def test_quotes_and_newlines_in_names_are_escaped() -> None:
    body, _ = encode({'we"ird\r\nname': "v"}, [("f", ('a"b.png', b"x"))])
    assert b'name="we%22ird%0D%0Aname"' in body and b'filename="a%22b.png"' in body


def test_unicode_field_and_filename() -> None:
    body, _ctype = encode({"prompt": "chat \u2013 猫"}, [("f", ("é.png", b"x"))])
    assert "chat \u2013 猫".encode() in body and "é.png".encode() in body


def test_bad_inputs_raise_type_error(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match=r"pathlib\.Path"):
        encode_multipart(None, [("image", str(tmp_path / "a.png"))])
    with pytest.raises(TypeError, match="binary mode"):
        encode_multipart(None, [("image", io.StringIO("text"))])
    with pytest.raises(TypeError, match="form field 'meta'"):
        encode_multipart({"meta": {1, 2}}, None)
    with pytest.raises(TypeError):
        encode_multipart(None, [("image", [PNG, 3])])


def test_missing_path_fails_before_sending_and_closes_opened_files(tmp_path: Path) -> None:
    good = tmp_path / "good.png"
    good.write_bytes(PNG)
    rec = Recorder(json_response(200, IMAGES_JSON))
    with pytest.raises(FileNotFoundError):
        make_client(rec).images.edit(image=[good, tmp_path / "missing.png"], prompt="p")
    assert rec.requests == []  # and no ResourceWarning: warnings are errors in this suite


def test_retries_resend_the_same_bytes(sleeps: list[float]) -> None:
    rec = Recorder(json_response(500, {}), json_response(500, {}), json_response(200, IMAGES_JSON))
    make_client(rec).images.edit(image=io.BytesIO(PNG), prompt="p")
    assert len(rec.requests) == 3
    assert rec.requests[0].content == rec.requests[1].content == rec.requests[2].content
    assert PNG in rec.requests[0].content


def test_every_pass_over_the_body_reads_the_file_again_from_its_start() -> None:
    class CountingReads(io.BytesIO):
        reads = 0

        def read(self, size: int | None = -1) -> bytes:
            CountingReads.reads += 1
            return super().read(size)

    encoded: MultipartBody = encode_multipart(None, [("image", CountingReads(PNG))])
    first_reads = CountingReads.reads
    first, second = b"".join(encoded), b"".join(encoded)
    assert first == second and PNG in first
    assert CountingReads.reads - first_reads == 2 * 2  # per pass: the content, then EOF


def test_extra_body_merges_into_form_fields() -> None:
    rec = Recorder(json_response(200, IMAGES_JSON))
    make_client(rec).images.edit(image=PNG, prompt="p", n=1, extra_body={"n": 4, "quality": "high"})
    assert [(p["name"], p["content"]) for p in sent(rec) if p["filename"] is None] == [
        ("prompt", b"p"),
        ("n", b"4"),
        ("quality", b"high"),
    ]


def test_httpx_can_parse_our_body_length() -> None:
    encoded = encode_multipart({"a": "b"}, [("f", PNG)])
    request = httpx.Request("POST", "http://x", content=encoded, headers=encoded.headers)
    assert request.headers["content-length"] == str(len(request.read()))
    assert "transfer-encoding" not in request.headers


def test_objects_are_json_parts_and_lists_take_the_suffix_asked_for() -> None:
    fields = {"meta": {"a": [1, "é"]}, "boxes": [{"x": 1}], "tags": ["a", "b"]}
    body, ctype = encode(fields, [("image", [PNG, PNG])], "")
    parts = parse(body, ctype)
    assert [(p["name"], p["content"]) for p in parts[:4]] == [
        ("meta", b'{"a":[1,"\\u00e9"]}'),
        ("boxes", b'[{"x":1}]'),
        ("tags", b"a"),
        ("tags", b"b"),
    ]
    assert [p["name"] for p in parts[4:]] == ["image", "image"]
    body, ctype = encode({"tags": ["a"]}, [("image", [PNG])])
    assert [p["name"] for p in parse(body, ctype)] == ["tags[]", "image[]"]


def test_a_form_field_that_may_be_a_file_or_an_object() -> None:
    # `Union[FileTypes, Reference]`: the value decides which kind of part it is.
    body, content_type = encode(
        {"video": ("clip.mp4", b"\x00\x01", "video/mp4"), "source": {"id": "v1"}}, None
    )
    video, source = parse(body, content_type)
    assert (video["name"], video["filename"], video["type"]) == ("video", "clip.mp4", "video/mp4")
    assert video["content"] == b"\x00\x01"
    assert (source["name"], source["type"], source["content"]) == (
        "source",
        "application/json",
        b'{"id":"v1"}',
    )
    (single,) = parse(*encode({"video": PNG}, None))
    assert single["content"] == PNG and single["filename"] == "upload.png"
