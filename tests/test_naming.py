"""Names from the spec turned into Python names: modules, classes, fields and arguments."""

from __future__ import annotations

import keyword
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sdkforge.naming import pascal_case, python_name, safe_module_name, snake_case, words

_MODULE = re.compile(r"^[a-z_][a-z0-9_]*$")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ImageGenerateParams", ["Image", "Generate", "Params"]),
        ("HTTPResponse", ["HTTP", "Response"]),
        ("getHTTP2Response", ["get", "HTTP2", "Response"]),
        ("image_generate-params", ["image", "generate", "params"]),
        ("X-Request-ID", ["X", "Request", "ID"]),
        ("  ", []),
    ],
)
def test_words(name: str, expected: list[str]) -> None:
    assert words(name) == expected


@pytest.mark.parametrize(
    ("name", "snake", "pascal"),
    [
        ("ImageGenerateParams", "image_generate_params", "ImageGenerateParams"),
        ("image_generate", "image_generate", "ImageGenerate"),
        ("image-edit", "image_edit", "ImageEdit"),
        ("ImageGenStreamEvent", "image_gen_stream_event", "ImageGenStreamEvent"),
        ("HTTPResponse", "http_response", "HTTPResponse"),
        ("image_url2", "image_url2", "ImageUrl2"),
        ("a.b", "a_b", "AB"),
    ],
)
def test_snake_and_pascal_case(name: str, snake: str, pascal: str) -> None:
    assert snake_case(name) == snake
    assert pascal_case(name) == pascal


@pytest.mark.parametrize(
    ("wire", "python"),
    [
        ("prompt", "prompt"),
        ("output_format", "output_format"),
        ("image[]", "image"),
        ("X-Request-ID", "x_request_id"),
        ("from", "from_"),  # keywords get a trailing underscore, like the stdlib does
        ("class", "class_"),
        ("None", "none"),  # snake_case first: no longer a keyword
        ("self", "self_"),  # would clash with the method's own parameter
        ("cls", "cls_"),
        ("L", "l_"),  # `l` is too easily misread: the generated package's lint refuses it
        ("l", "l_"),
        ("2fa", "n2fa"),  # an identifier cannot start with a digit
        ("", ""),
        ("[]", ""),
    ],
)
def test_python_name(wire: str, python: str) -> None:
    assert python_name(wire) == python


@pytest.mark.parametrize(
    ("wire", "snake", "kept"),
    [
        ("cfgScale", "cfg_scale", "cfgScale"),
        ("configId", "config_id", "configId"),
        ("HTTPHeader", "http_header", "HTTPHeader"),
        ("imageURL", "image_url", "imageURL"),
        ("getHTTP2Response", "get_http2_response", "getHTTP2Response"),
        ("Gallery-Features", "gallery_features", "gallery_features"),  # not an identifier
        ("_id", "_id", "_id"),  # already snake_case: kept, leading underscore too
        ("None", "none", "None_"),
        ("from", "from_", "from_"),
        ("Class", "class_", "Class"),  # snake_case, then the keyword check
        ("__Token", "_token", "_Token"),  # never mangled in a class body
    ],
)
def test_python_name_styles(wire: str, snake: str, kept: str) -> None:
    assert python_name(wire, "snake") == snake
    assert python_name(wire, "wire") == kept


@given(st.from_regex(r"[a-z][a-z0-9]*([A-Z][a-z0-9]+)*", fullmatch=True))
def test_camel_case_becomes_lower_snake_case(wire: str) -> None:
    name = python_name(wire)
    assert name == name.lower()
    assert name.replace("_", "") == wire.lower() or keyword.iskeyword(wire)


@pytest.mark.parametrize(
    ("name", "module"),
    [
        ("ImageModel", "image_model"),
        ("ImagesResponse", "images_response"),
        ("../../etc/passwd", "etc_passwd"),  # no spec name can leave the types/ folder
        ("C:\\temp\\x", "c_temp_x"),
        ("import", "import_"),
        ("3DModel", "m3_d_model"),
        ("", ""),
    ],
)
def test_safe_module_name(name: str, module: str) -> None:
    assert safe_module_name(name) == module


@given(st.text())
def test_module_name_is_always_a_plain_module_stem(name: str) -> None:
    stem = safe_module_name(name)
    assert stem == "" or (_MODULE.match(stem) and not keyword.iskeyword(stem))


@given(st.text(), st.sampled_from(["snake", "wire"]))
def test_python_name_is_always_a_usable_identifier(wire: str, style: str) -> None:
    name = python_name(wire, style)
    if name:
        assert name.isidentifier() and name.isascii()
        assert not keyword.iskeyword(name) and name not in {"self", "cls"}


@given(st.from_regex(r"[A-Za-z][A-Za-z0-9_\-. ]*", fullmatch=True))
def test_pascal_case_of_a_name_starting_with_a_letter_is_a_class_name(name: str) -> None:
    result = pascal_case(name)
    assert result.isidentifier() and result[0].isupper()


@given(st.from_regex(r"[a-z][a-z0-9]*(_[a-z][a-z0-9]*)*", fullmatch=True))
def test_snake_case_leaves_snake_case_alone(name: str) -> None:
    assert snake_case(name) == name
