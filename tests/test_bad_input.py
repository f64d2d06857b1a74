"""Invalid input: every case under tests/bad_specs/ must be refused cleanly.

A case is a folder with `openapi.yaml` and `sdk.yaml` (a small valid pair with one thing
broken, or several for the cases that test reporting many errors at once) and
`expected.txt`, the exact stderr of `sdkforge generate` run inside the folder.
Each case must end with exit code 2, exactly the expected lines, no traceback and no output
directory. The expected lines are written by hand-checked runs: when a message is improved,
rewrite the case's expected.txt and review the diff like any other change.

Also here: what must *not* be an error (a field called `from` works, as `from_`), and the
exit code 3 for a bug in sdkforge itself.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sdkforge.cli import main

CASES_DIR = Path(__file__).resolve().parent / "bad_specs"
CASES = sorted(path.name for path in CASES_DIR.iterdir() if path.is_dir())
REPO_ROOT = Path(__file__).resolve().parent.parent
DIAGNOSTIC_FORMAT = r"^[^:]+:\d+:\d+: error: .+"


@pytest.fixture
def in_case(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """cwd = the case's folder, so that file names in messages are the relative ones."""
    folder = CASES_DIR / request.param
    monkeypatch.chdir(folder)
    yield folder
    # Even when the test failed: a run must not leave its output in the corpus.
    assert not (folder / "out").exists(), f"{folder / 'out'} was created"


def test_corpus_is_large_enough() -> None:
    # The task asks for at least 30 cases; fewer means cases were lost.
    assert len(CASES) >= 30, CASES


@pytest.mark.parametrize("in_case", CASES, indirect=True)
def test_bad_input_is_refused_with_located_errors(
    in_case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = (in_case / "expected.txt").read_text(encoding="utf-8")
    code = main(["generate", "--spec", "openapi.yaml", "--config", "sdk.yaml", "--out", "out"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert captured.err == expected
    assert code == 2
    assert captured.out == ""
    assert not (in_case / "out").exists()
    # `check` reads the same inputs and must refuse them the same way.
    assert main(["check", "--spec", "openapi.yaml", "--config", "sdk.yaml", "--out", "out"]) == 2
    assert capsys.readouterr().err == expected


@pytest.mark.parametrize("case", CASES)
def test_expected_lines_are_well_formed_and_sorted(case: str) -> None:
    """A guard on the corpus itself: an expected.txt written by mistake (say, empty, or with
    a traceback in it) would make its case pass for the wrong reason."""
    lines = (CASES_DIR / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert lines, "a bad case must expect at least one error"
    for line in lines:
        assert re.match(DIAGNOSTIC_FORMAT, line), line
        assert line.split(":", 1)[0] in ("openapi.yaml", "sdk.yaml"), line

    def place(line: str) -> tuple[str, int, int]:
        file, row, column = line.split(":")[:3]
        return file, int(row), int(column)

    assert [place(line) for line in lines] == sorted(place(line) for line in lines)


def test_the_unbroken_pair_generates(tmp_path: Path) -> None:
    """The cases break a valid pair: this is that pair, so each case fails for its own
    reason, not for one they all share."""
    spec = CASES_DIR / "ref_points_nowhere" / "openapi.yaml"
    fixed = spec.read_text(encoding="utf-8").replace("EchoRequst", "EchoRequest")
    (tmp_path / "openapi.yaml").write_text(fixed, encoding="utf-8")
    config = (CASES_DIR / "ref_points_nowhere" / "sdk.yaml").read_text(encoding="utf-8")
    (tmp_path / "sdk.yaml").write_text(config, encoding="utf-8")
    code = main(
        [
            "generate",
            "--spec",
            str(tmp_path / "openapi.yaml"),
            "--config",
            str(tmp_path / "sdk.yaml"),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 0
    assert (tmp_path / "out" / "echosdk" / "resources" / "echoes.py").is_file()


# -- a Python keyword as a field name is not an error -----------------------------------------

KEYWORD_SPEC = """\
openapi: 3.1.0
info: {title: Echo API, version: 1.0.0}
servers: [{url: 'https://echo.example.test/v2'}]
paths:
  /echo:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/EchoRequest'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Echo'}
components:
  schemas:
    EchoRequest:
      type: object
      required: [message, from]
      properties:
        message: {type: string}
        from: {type: string, description: Who sends the message.}
        class: {type: integer}
        thumbUrl: {type: string}
        image_url: {type: string}
    Echo:
      type: object
      properties:
        message: {type: string}
"""

KEYWORD_CONFIG = """\
package: echosdk
client: {sync: EchoClient, async: AsyncEchoClient, api_key_env: ECHO_API_KEY}
resources:
  echoes:
    methods:
      create: post /echo
"""

# Runs in a fresh interpreter inside the generated tree: calls the method through a mock
# transport and prints the JSON body that went on the wire.
KEYWORD_DRIVER = """\
import asyncio, inspect, json
import httpx
from echosdk import AsyncEchoClient, EchoClient

bodies = []

def handler(request):
    bodies.append(json.loads(request.content))
    return httpx.Response(200, json={"message": "hi"})

client = EchoClient(api_key="k", base_url="https://echo.test",
                    http_client=httpx.Client(transport=httpx.MockTransport(handler)))
client.echoes.create(message="hi", from_="me", class_=3, thumb_url="a", image_url="b")
client.echoes.create(message="hi", from_="you")

async def main():
    async_client = AsyncEchoClient(
        api_key="k", base_url="https://echo.test",
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)))
    await async_client.echoes.create(message="hi", from_="them")

asyncio.run(main())
print(json.dumps({"bodies": bodies,
                  "arguments": list(inspect.signature(client.echoes.create).parameters)}))
"""


def test_keyword_field_names_work_as_trailing_underscore_arguments(tmp_path: Path) -> None:
    (tmp_path / "openapi.yaml").write_text(KEYWORD_SPEC, encoding="utf-8")
    (tmp_path / "sdk.yaml").write_text(KEYWORD_CONFIG, encoding="utf-8")
    out = tmp_path / "out"
    assert (
        main(
            [
                "generate",
                "--spec",
                str(tmp_path / "openapi.yaml"),
                "--config",
                str(tmp_path / "sdk.yaml"),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    result = subprocess.run(
        [sys.executable, "-c", KEYWORD_DRIVER],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(out)},
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    # Python spells them `from_` and `class_`; the API still receives `from` and `class`.
    assert report["bodies"] == [
        {"message": "hi", "from": "me", "class": 3, "thumbUrl": "a", "image_url": "b"},
        {"message": "hi", "from": "you"},  # arguments left out are not sent at all
        {"message": "hi", "from": "them"},
    ]
    # `thumbUrl` is snake_cased like any camelCase name; `image_url` is snake_case already.
    assert {"from_", "class_", "thumb_url", "image_url", "message"} <= set(report["arguments"])
    assert "from" not in report["arguments"]


# -- a bug in sdkforge is exit code 3, not a traceback ----------------------------------------


def _break_build(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("simulated bug\nsecond line")

    monkeypatch.setattr("sdkforge.pipeline.build_resources", broken)


def test_unexpected_exception_is_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _break_build(monkeypatch)
    monkeypatch.delenv("SDKFORGE_DEBUG", raising=False)
    (tmp_path / "openapi.yaml").write_text(KEYWORD_SPEC, encoding="utf-8")
    (tmp_path / "sdk.yaml").write_text(KEYWORD_CONFIG, encoding="utf-8")
    code = main(
        [
            "generate",
            "--spec",
            str(tmp_path / "openapi.yaml"),
            "--config",
            str(tmp_path / "sdk.yaml"),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 3
    # One line, whatever the exception's text held.
    assert err == (
        "error: internal error: ValueError: simulated bug second line; please report "
        f"(run `SDKFORGE_DEBUG=1 sdkforge generate --spec {tmp_path / 'openapi.yaml'} "
        f"--config {tmp_path / 'sdk.yaml'} --out {tmp_path / 'out'}` for the traceback)\n"
    )
    assert not (tmp_path / "out").exists()


def test_debug_variable_lets_the_traceback_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_build(monkeypatch)
    monkeypatch.setenv("SDKFORGE_DEBUG", "1")
    (tmp_path / "openapi.yaml").write_text(KEYWORD_SPEC, encoding="utf-8")
    (tmp_path / "sdk.yaml").write_text(KEYWORD_CONFIG, encoding="utf-8")
    with pytest.raises(ValueError, match="simulated bug"):
        main(
            [
                "generate",
                "--spec",
                str(tmp_path / "openapi.yaml"),
                "--config",
                str(tmp_path / "sdk.yaml"),
                "--out",
                str(tmp_path / "out"),
            ]
        )


def test_invalid_input_from_the_command_line_has_no_traceback(tmp_path: Path) -> None:
    """The same contract through a real process: stderr holds the error lines only."""
    case = CASES_DIR / "several_errors_one_file"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sdkforge",
            "generate",
            "--spec",
            "openapi.yaml",
            "--config",
            "sdk.yaml",
            "--out",
            str(tmp_path / "out"),
        ],
        cwd=case,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    assert result.returncode == 2
    assert result.stderr == (case / "expected.txt").read_text(encoding="utf-8")
    assert not (tmp_path / "out").exists()


def test_unwritable_output_is_a_located_error_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "openapi.yaml").write_text(KEYWORD_SPEC, encoding="utf-8")
    (tmp_path / "sdk.yaml").write_text(KEYWORD_CONFIG, encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    # The output's parent is a file: creating it fails with an OSError.
    code = main(
        [
            "generate",
            "--spec",
            str(tmp_path / "openapi.yaml"),
            "--config",
            str(tmp_path / "sdk.yaml"),
            "--out",
            str(blocker / "out"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"{blocker / 'out'}:1:1: error: cannot write the output: ")
    assert "Traceback" not in err
    assert blocker.read_text(encoding="utf-8") == "not a directory"
