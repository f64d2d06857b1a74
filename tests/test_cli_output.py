"""What the command says besides its results: --version, -q, -v with the stages, the
progress display on a terminal, hints that repeat the user's options, `sdkforge schema`."""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sdkforge import __version__, cli_output
from sdkforge.cli import main as cli_main
from sdkforge.cli_output import NORMAL, QUIET, VERBOSE, Progress
from sdkforge.pipeline import Inputs

Run = Callable[..., Any]
STAGES = ["load", "resolve", "build", "merge", "response models", "render", "format", "write"]


@pytest.fixture(autouse=True)
def _capable_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake terminals below can erase a line, whatever terminal runs the tests."""
    monkeypatch.setenv("TERM", "xterm")


@pytest.fixture
def project(tmp_path: Path, project_inputs: Inputs, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder laid out like ours (spec/openapi.yaml, spec/sdk.yaml), the current one."""
    (tmp_path / "spec").mkdir()
    shutil.copy(project_inputs.spec, tmp_path / "spec" / "openapi.yaml")
    shutil.copy(project_inputs.config, tmp_path / "spec" / "sdk.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _reword(spec: Path) -> None:
    text = spec.read_text(encoding="utf-8")
    old = "Visual style of `dall-e-3` output."
    assert text.count(old) == 1
    spec.write_text(text.replace(old, "Reworded."), encoding="utf-8")


def test_version(run_cli: Run) -> None:
    result = run_cli("--version")
    assert (result.code, result.out.strip()) == (0, f"sdkforge {__version__}")


def test_help_names_the_command_and_its_options(run_cli: Run) -> None:
    result = run_cli("--help")
    assert result.code == 0
    assert result.out.startswith("usage: sdkforge ")
    for option in ("--version", "-q", "-v", "generate", "check", "schema"):
        assert option in result.out


def test_verbose_prints_every_stage_with_its_time_in_order(run_cli: Run, project: Path) -> None:
    result = run_cli("-v", "generate")
    assert result.code == 0, result.err
    assert "generated: written" in result.out
    timed = re.findall(r"^(\w[\w ]*?) +\d+ ms$", result.err, flags=re.MULTILINE)
    assert timed == ["cache", *STAGES, "total"], result.err


def test_verbose_may_follow_the_command(run_cli: Run, project: Path) -> None:
    assert run_cli("generate").code == 0
    cached = run_cli("check", "-v")
    assert cached.code == 0
    assert "inputs unchanged since the last generate" in cached.err
    _reword(project / "spec" / "openapi.yaml")
    result = run_cli("check", "--verbose")
    assert result.code == 1
    timed = re.findall(r"^(\w[\w ]*?) +\d+ ms$", result.err, flags=re.MULTILINE)
    assert timed == ["cache", *STAGES[:-1], "compare", "total"], result.err


def test_quiet_prints_nothing_but_errors(run_cli: Run, project: Path) -> None:
    for args in (("-q", "generate"), ("generate", "-q"), ("check", "-q")):
        result = run_cli(*args)
        assert (result.code, result.out, result.err) == (0, "", ""), args
    _reword(project / "spec" / "openapi.yaml")
    drift = run_cli("-q", "check")
    assert (drift.code, drift.out) == (1, "")
    assert drift.err == "generated has drifted from spec/openapi.yaml: run `sdkforge generate`\n"
    (project / "spec" / "sdk.yaml").write_text("package: [x]\n", encoding="utf-8")
    invalid = run_cli("-q", "generate")
    assert (invalid.code, invalid.out) == (2, "")
    assert "spec/sdk.yaml:1:1: error: 'package' must be a string" in invalid.err


def test_quiet_and_verbose_together_is_a_usage_error(run_cli: Run) -> None:
    result = run_cli("generate", "-q", "-v")
    assert result.code == 2
    assert "not allowed with argument" in result.err


def test_the_drift_hint_repeats_the_options_given(run_cli: Run, project: Path) -> None:
    (project / "api").mkdir()
    spec = project / "api" / "my spec.yaml"
    shutil.move(project / "spec" / "openapi.yaml", spec)
    options = ("--spec", spec, "--out", "sdk")
    assert run_cli("generate", *options, "--skip-unsupported").code == 0
    _reword(spec)
    drift = run_cli("check", *options, "--skip-unsupported")
    assert drift.code == 1
    assert f"run `sdkforge generate --spec '{spec}' --out sdk --skip-unsupported`" in drift.err


def test_the_force_hint_repeats_the_options_given(run_cli: Run, project: Path) -> None:
    (project / "app").mkdir()
    (project / "app" / "main.py").write_text("print('mine')\n", encoding="utf-8")
    config = project / "spec" / "sdk.yaml"
    refused = run_cli("generate", "--config", config, "--out", "app")
    assert refused.code == 2
    assert f"run `sdkforge generate --config {config} --out app --force`" in refused.err
    assert run_cli("generate", "--config", config, "--out", "app", "--force").code == 0


def test_schema_prints_the_config_schema(run_cli: Run) -> None:
    result = run_cli("schema")
    assert result.code == 0
    schema = json.loads(result.out)
    assert {"package", "client", "resources"} <= set(schema["properties"])
    assert result.out == Path(__file__).parent.parent.joinpath(
        "generator", "sdk.schema.json"
    ).read_text(encoding="utf-8")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, "the progress line never came"
        time.sleep(0.01)


def test_on_a_terminal_a_progress_line_names_the_stage_and_is_cleared() -> None:
    terminal = _Terminal()
    with Progress(NORMAL, terminal, delay=0) as progress, progress.stage("render"):
        progress.show()
        _wait_for(lambda: "render" in terminal.getvalue())
        progress.result("between")  # clears the line first, so the text starts a line
    written = terminal.getvalue()
    assert "\rsdkforge: render (" in written
    assert written.endswith("\r\x1b[K")


def test_a_run_on_a_terminal_shows_its_progress_and_erases_it(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(cli_output, "PROGRESS_DELAY", 0)
    monkeypatch.setattr(sys, "stderr", terminal)
    assert cli_main(["generate"]) == 0
    lines = re.findall(r"\rsdkforge: ([a-z ]+) \(\d+\.\d+s\)\x1b\[K", terminal.getvalue())
    assert lines and set(lines) <= {"cache", *STAGES}, terminal.getvalue()
    assert terminal.getvalue().endswith("\r\x1b[K")
    assert "generated: written" in capsys.readouterr().out


def test_no_progress_line_on_a_dumb_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "dumb")
    terminal = _Terminal()
    with Progress(NORMAL, terminal, delay=0) as progress, progress.stage("load"):
        progress.show()
        assert "progress" not in {thread.name for thread in threading.enumerate()}
    assert terminal.getvalue() == ""


def test_the_progress_line_waits_before_showing() -> None:
    terminal = _Terminal()
    with Progress(VERBOSE, terminal, delay=3600) as progress, progress.stage("load"):
        progress.show()
    assert terminal.getvalue().startswith("load ")
    assert "sdkforge:" not in terminal.getvalue()


@pytest.mark.parametrize(
    ("stream", "verbosity"), [(io.StringIO(), NORMAL), (_Terminal(), QUIET)], ids=["pipe", "-q"]
)
def test_no_progress_line_off_a_terminal_or_under_quiet(
    stream: io.StringIO, verbosity: int
) -> None:
    with Progress(verbosity, stream, delay=0) as progress, progress.stage("load"):
        progress.show()
        assert "progress" not in {thread.name for thread in threading.enumerate()}
    assert stream.getvalue() == ""
