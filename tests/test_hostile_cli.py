"""The command line against hostile templates, a full disk and Ctrl-C.

Each is the user's problem or the user's wish, never a bug: a located error and exit code 2
(the template's own file and line for a template), or exit code 130 for an interrupt, and
never a traceback or a half-written output.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import sdkforge.format
import sdkforge.write
import yaml
from sdkforge.cli import main

REPO_ROOT = Path(__file__).resolve().parent.parent
PAIR = REPO_ROOT / "tests" / "bad_specs" / "ref_points_nowhere"
INTERRUPTED = "interrupted; the output directory was left as it was\n"


@pytest.fixture
def case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """cwd = a folder with a valid echo API pair, so that messages name relative files."""
    spec = (PAIR / "openapi.yaml").read_text(encoding="utf-8")
    (tmp_path / "openapi.yaml").write_text(spec.replace("EchoRequst", "EchoRequest"))
    (tmp_path / "sdk.yaml").write_text((PAIR / "sdk.yaml").read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SDKFORGE_DEBUG", raising=False)
    return tmp_path


ARGUMENTS = ["--spec", "openapi.yaml", "--config", "sdk.yaml", "--out", "out"]


def _generate(*extra: str) -> int:
    return main(["generate", *ARGUMENTS, *extra])


def _override(case: Path, name: str, content: bytes) -> None:
    path = case / "mine" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def _refused(capsys: pytest.CaptureFixture[str], case: Path, *extra: str) -> str:
    code = _generate(*extra)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    assert not (case / "out").exists()
    return err


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (
            b"# {{ sdk.package.name }}\n{{ 1 // 0 }}\n",
            2,
            "template raised ZeroDivisionError: integer division or modulo by zero",
        ),
        (
            b"a\nb\nc\n{{ 'x' + 1 }}\n",
            4,
            'template raised TypeError: can only concatenate str (not "int") to str',
        ),
        (
            b"{{ '%d' % 'x' }}\n",
            1,
            "template raised TypeError: %d format: a real number is required, not str",
        ),
        (
            b"{% for i in [1] %}\n\n{{ [][i] }}\n{% endfor %}\n",
            3,
            "template error: list object has no element 1",
        ),
        (
            b"one\n{{ sdk.no_such_field }}\n",
            2,
            "template error: 'sdkforge.model.Sdk object' has no attribute 'no_such_field'",
        ),
    ],
)
def test_override_template_that_raises_is_located_at_its_line(
    case: Path, capsys: pytest.CaptureFixture[str], content: bytes, line: int, message: str
) -> None:
    _override(case, "project/README.md.jinja", content)
    err = _refused(capsys, case, "--templates", "mine")
    assert err == f"mine/project/README.md.jinja:{line}:1: error: {message} (fix the template)\n"


def test_raising_macro_is_located_in_the_file_that_defines_it(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _override(case, "macros.jinja", b"{% macro boom() %}\n{{ 1 // 0 }}\n{% endmacro %}\n")
    _override(
        case,
        "project/README.md.jinja",
        b"{% from 'macros.jinja' import boom %}\n{{ boom() }}\n",
    )
    err = _refused(capsys, case, "--templates", "mine")
    assert err.startswith("mine/macros.jinja:2:1: error: template raised ZeroDivisionError")


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        ("project/README.md.jinja", b"caf\xe9\n", "1:4"),
        ("project/README.md.jinja", b"ok\nok\n  \xff\xfe\n", "3:3"),
        ("runtime/_constants.py", b"X = 1\n# \x80\n", "2:3"),
    ],
)
def test_override_that_is_not_utf8_is_located(
    case: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, where: str
) -> None:
    _override(case, name, content)
    err = _refused(capsys, case, "--templates", "mine")
    assert err.startswith(f"mine/{name}:{where}: error: file is not valid UTF-8 (byte 0x")


def test_override_naming_an_unknown_filter_is_located(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _override(case, "project/README.md.jinja", b"a\nb\n{{ sdk | nosuchfilter }}\n")
    err = _refused(capsys, case, "--templates", "mine")
    assert err == (
        "mine/project/README.md.jinja:3:1: error: template error: No filter named "
        "'nosuchfilter'. (fix the template)\n"
    )


def test_error_outside_override_templates_is_still_an_internal_error(
    case: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same exception, raised by sdkforge's own code, is a bug to report.
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("simulated")

    monkeypatch.setattr("sdkforge.pipeline.build_resources", broken)
    _override(case, "project/README.md.jinja", b"fine\n")
    assert _generate("--templates", "mine") == 3
    assert "please report" in capsys.readouterr().err


def _no_space(*args: object, **kwargs: object) -> str:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_full_temporary_folder_is_a_located_error(
    case: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sdkforge.format.tempfile, "mkdtemp", _no_space)
    err = _refused(capsys, case)
    assert err == (
        f"{tempfile.gettempdir()}:1:1: error: cannot write temporary files: No space left on "
        "device (free some space there, or set TMPDIR to a folder with room)\n"
    )


def test_read_only_temporary_folder_is_a_located_error(
    case: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(*args: object, **kwargs: object) -> str:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), "/scratch")

    monkeypatch.setattr(sdkforge.format.tempfile, "mkdtemp", read_only)
    err = _refused(capsys, case)
    assert err == (
        "/scratch:1:1: error: cannot write temporary files: Read-only file system "
        "(set TMPDIR to a folder you can write)\n"
    )


def test_full_disk_while_writing_keeps_the_previous_output(
    case: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _generate() == 0
    before = {p: p.read_bytes() for p in (case / "out").rglob("*") if p.is_file()}
    (case / "openapi.yaml").write_text(
        (case / "openapi.yaml").read_text().replace("Echo API", "Echo API, again")
    )
    capsys.readouterr()
    monkeypatch.setattr(sdkforge.write, "_write_file", _no_space)
    assert _generate() == 2
    err = capsys.readouterr().err
    assert err == (
        "out:1:1: error: cannot write the output: No space left on device "
        "(free some space on that disk)\n"
    )
    assert {p: p.read_bytes() for p in (case / "out").rglob("*") if p.is_file()} == before
    assert [p.name for p in case.iterdir() if p.name.startswith(".out")] == []


# -- Ctrl-C ------------------------------------------------------------------------------------

# Runs `python -m sdkforge` after arranging for SIGINT to arrive while one module is being
# imported: the moment a real Ctrl-C can hit that a timer can only hit by luck.
INTERRUPT_DURING_IMPORT = """\
import os, runpy, signal, sys
target = sys.argv.pop(1)

class Interrupter:
    def find_spec(self, name, path=None, target_module=None):
        if name == target:
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, Interrupter())
sys.argv[0] = "sdkforge"
runpy.run_module("sdkforge", run_name="__main__", alter_sys=True)
"""


def _sdkforge(case: Path, *prefix: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *prefix, "generate", *ARGUMENTS],
        cwd=case,
        start_new_session=True,  # a process group of its own, as a terminal gives a command
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )


@pytest.mark.parametrize(
    "module",
    [
        "sdkforge.cli",
        "argparse",
        "sdkforge.cache",
        "sdkforge.model_worker",
        "sdkforge.pipeline",
        "yaml",
        "jinja2",
        "sdkforge.write",
    ],
)
def test_ctrl_c_while_modules_import_exits_130_quietly(case: Path, module: str) -> None:
    process = _sdkforge(case, "-c", INTERRUPT_DURING_IMPORT, module)
    _, err = process.communicate(timeout=120)
    assert (process.returncode, err) == (130, INTERRUPTED), (module, err)
    assert not (case / "out").exists()


# Says when sdkforge's package has loaded (its `__main__` is being looked for), then goes on
# with `python -m sdkforge`. What comes before is Python's own start-up (the `site` module,
# .pth files, finding the package), where no program can catch a SIGINT.
READY_THEN_RUN = """\
import os, runpy, sys

class Ready:
    def find_spec(self, name, path=None, target_module=None):
        if name == "sdkforge.__main__":
            os.write(1, b"ready\\n")
        return None

sys.meta_path.insert(0, Ready())
sys.argv[0] = "sdkforge"
runpy.run_module("sdkforge", run_name="__main__", alter_sys=True)
"""


@pytest.mark.parametrize("delay", [0.0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.4])
@pytest.mark.parametrize("group", [False, True], ids=["process", "process-group"])
def test_ctrl_c_at_any_moment_of_start_up_exits_130_quietly(
    case: Path, delay: float, group: bool
) -> None:
    """`group`: the way a terminal sends it, to the model worker's process too."""
    process = _sdkforge(case, "-c", READY_THEN_RUN)
    assert process.stdout is not None
    assert process.stdout.readline() == "ready\n"
    time.sleep(delay)
    if group:
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert (process.returncode, err) == (130, INTERRUPTED), err
    assert not (case / "out").exists()


def test_json_spec_written_by_json_dumps_with_an_emoji_generates(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = yaml.safe_load((case / "openapi.yaml").read_text(encoding="utf-8"))
    data["components"]["schemas"]["Echo"]["properties"]["message"]["description"] = (
        "The text that was sent, \U0001f98a included."
    )
    text = json.dumps(data)
    assert "\\ud83e\\udd8a" in text  # the escape pair, as json.dumps writes it
    (case / "openapi.json").write_text(text, encoding="ascii")
    code = main(["generate", "--spec", "openapi.json", "--config", "sdk.yaml", "--out", "out"])
    assert code == 0, capsys.readouterr().err
    models = "".join(p.read_text(encoding="utf-8") for p in (case / "out").rglob("*.py"))
    assert "The text that was sent, \U0001f98a included." in models
