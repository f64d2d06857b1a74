"""Names and formats from the spec that used to break the generated code.

One spec holds them all: a request property `__token` (Python would mangle it in a class
body), response properties `to_dict`/`to_json` (the models' own methods) and `format: byte`
(base64 text, which pydantic would decode). The generated package is imported and called
through a mock transport, and must pass `mypy --strict`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from _generate import mypy
from sdkforge.cli import main
from sdkforge.naming import python_name

# The valid echo API pair the bad-input cases break, with the names and formats added.
PAIR = Path(__file__).resolve().parent / "bad_specs" / "ref_points_nowhere"
REQUEST_PROPERTIES = """\
        __token:
          type: string
          description: A token the API expects under this name.
        picture:
          type: string
          format: byte
          description: A picture in base64.
"""
RESPONSE_PROPERTIES = """\
        to_dict: {type: string}
        to_json: {type: integer}
        b64_json: {type: string, format: byte}
"""


def _spec() -> str:
    spec = (PAIR / "openapi.yaml").read_text(encoding="utf-8").replace("EchoRequst", "EchoRequest")
    request_anchor = "          description: How loudly to answer.\n"
    response_anchor = "          description: The text that was sent.\n"
    assert request_anchor in spec and response_anchor in spec
    spec = spec.replace(request_anchor, request_anchor + REQUEST_PROPERTIES)
    return spec.replace(response_anchor, response_anchor + RESPONSE_PROPERTIES)


# Calls the method through a mock transport; prints what went on the wire and what came back.
DRIVER = """\
import inspect, json
import httpx
from echosdk import EchoClient

sent = []

def handler(request):
    sent.append(json.loads(request.content))
    return httpx.Response(200, json={
        "message": "hi", "to_dict": "shadow", "to_json": 7, "b64_json": "aGVsbG8=",
    })

client = EchoClient(api_key="k", base_url="https://echo.test",
                    http_client=httpx.Client(transport=httpx.MockTransport(handler)))
echo = client.echoes.create(message="hi", _token="secret", picture="iVBORw0KGgo=")
print(json.dumps({
    "sent": sent,
    "arguments": list(inspect.signature(client.echoes.create).parameters),
    "to_dict_field": echo.to_dict_,
    "to_json_field": echo.to_json_,
    "b64_json": echo.b64_json,
    "to_dict": echo.to_dict(),
    "to_json": json.loads(echo.to_json()),
}))
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("names")
    (folder / "openapi.yaml").write_text(_spec(), encoding="utf-8")
    (folder / "sdk.yaml").write_text((PAIR / "sdk.yaml").read_text(encoding="utf-8"))
    out = folder / "out"
    arguments = ["--spec", str(folder / "openapi.yaml"), "--config", str(folder / "sdk.yaml")]
    assert main(["generate", *arguments, "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def report(generated: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", DRIVER],
        cwd=generated,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(generated)},
    )
    assert result.returncode == 0, result.stderr
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def test_double_underscore_property_is_an_argument_callers_can_pass(
    report: dict[str, Any],
) -> None:
    assert "_token" in report["arguments"]
    assert not any(name.startswith("__") or "Echoes__" in name for name in report["arguments"])


def test_double_underscore_property_keeps_its_wire_name(report: dict[str, Any]) -> None:
    assert report["sent"] == [{"message": "hi", "__token": "secret", "picture": "iVBORw0KGgo="}]


def test_properties_named_like_model_methods_get_their_own_names(report: dict[str, Any]) -> None:
    assert (report["to_dict_field"], report["to_json_field"]) == ("shadow", 7)


def test_model_methods_still_work_and_keep_wire_names(report: dict[str, Any]) -> None:
    wire = {"message": "hi", "to_dict": "shadow", "to_json": 7, "b64_json": "aGVsbG8="}
    assert report["to_dict"] == wire
    assert report["to_json"] == wire


def test_byte_format_in_a_response_stays_base64_text(report: dict[str, Any]) -> None:
    # pydantic's Base64Str would have handed back "hello".
    assert report["b64_json"] == "aGVsbG8="


def test_byte_format_is_str_in_the_model_and_the_params(generated: Path) -> None:
    model = (generated / "echosdk" / "types" / "echo.py").read_text(encoding="utf-8")
    assert "b64_json: Optional[str]" in model
    assert "Base64" not in model
    (params,) = (generated / "echosdk" / "types").glob("*_create_params.py")
    assert "    picture: str\n" in params.read_text(encoding="utf-8")


def test_generated_code_passes_mypy_strict(generated: Path) -> None:
    result = mypy("-p", "echosdk", cwd=generated)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("wire", "python"),
    [("__token", "_token"), ("___x", "_x"), ("_token", "_token"), ("__init__", "__init__")],
)
def test_python_name_never_makes_a_name_python_would_mangle(wire: str, python: str) -> None:
    assert python_name(wire) == python
