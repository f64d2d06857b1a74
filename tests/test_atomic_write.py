"""Writing is all or nothing, and only ever touches what the generator owns.

- A run that fails after rendering started, is interrupted, or is killed outright leaves
  the previous output byte for byte as it was, and `check` still finds it up to date.
- Files an earlier run wrote and this one no longer produces are removed; files the
  generator never wrote are kept untouched (same bytes, same inode).
- A directory of someone else's files (no manifest) is refused unless `--force`, and a file
  given as `--out` is refused.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sdkforge.cli import main

REPO_ROOT = Path(__file__).resolve().parent.parent

SPEC = """\
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
  /shout:
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
      required: [message]
      properties:
        message: {type: string, description: The text to send back.}
    Echo:
      type: object
      properties:
        message: {type: string}
"""

CONFIG = """\
package: echosdk
client: {sync: EchoClient, async: AsyncEchoClient, api_key_env: ECHO_API_KEY}
resources:
  echoes:
    singular: echo
    methods:
      create: post /echo
      shout: post /shout
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with the inputs; the output goes to `<folder>/out`."""
    (tmp_path / "openapi.yaml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "sdk.yaml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def _args(project: Path, command: str = "generate", *extra: str) -> list[str]:
    return [
        command,
        "--spec",
        str(project / "openapi.yaml"),
        "--config",
        str(project / "sdk.yaml"),
        "--out",
        str(project / "out"),
        *extra,
    ]


def _tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _generated(project: Path) -> dict[str, bytes]:
    assert main(_args(project)) == 0
    return _tree(project / "out")


def _change_the_spec(project: Path) -> None:
    """An edit that changes some generated files, so that a run has something to write."""
    spec = project / "openapi.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace(
            "The text to send back.", "The words to send back."
        ),
        encoding="utf-8",
    )


def _siblings(project: Path) -> list[str]:
    """What lies beside the output: staging directories would show up here."""
    return sorted(
        path.name for path in project.iterdir() if path.name not in ("openapi.yaml", "sdk.yaml")
    )


# -- failures and interruptions ---------------------------------------------------------------


def test_failure_after_rendering_keeps_the_previous_output(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _generated(project)
    _change_the_spec(project)

    def failing_format(files: dict[str, str]) -> dict[str, str]:
        assert files  # rendering happened
        raise RuntimeError("formatter crashed")

    monkeypatch.setattr("sdkforge.pipeline.format_tree", failing_format)
    assert main(_args(project)) == 3
    assert _tree(project / "out") == before
    assert _siblings(project) == ["out"]


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_failure_while_writing_keeps_the_previous_output(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    error: BaseException,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = _generated(project)
    _change_the_spec(project)
    staged: list[Path] = []

    def failing_swap(staging: Path, out: Path) -> None:
        # The new tree is complete in staging when this runs: fail at the last moment.
        staged.append(staging)
        assert (staging / ".sdkforge-manifest").is_file()
        raise error

    monkeypatch.setattr("sdkforge.write._swap_in", failing_swap)
    capsys.readouterr()
    code = main(_args(project))
    err = capsys.readouterr().err
    if isinstance(error, KeyboardInterrupt):
        assert code == 130
        assert "interrupted" in err
    else:
        assert code == 2
        assert err.startswith(
            f"{project / 'out'}:1:1: error: cannot write the output: No space left on device"
        )
    assert staged
    assert _tree(project / "out") == before
    assert _siblings(project) == ["out"]  # the staging directory was cleaned up


DRIVER = """\
import sys, time
from pathlib import Path

sys.path.insert(0, {repo!r})
import sdkforge.write as write

def stalled_swap(staging, out):
    Path({marker!r}).write_text(str(staging))
    time.sleep(120)

write._swap_in = stalled_swap
from sdkforge.cli import main
sys.exit(main({args!r}))
"""


def test_killed_run_keeps_the_previous_output(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _generated(project)
    _change_the_spec(project)
    marker = project.parent / f"{project.name}-staged"
    driver = DRIVER.format(repo=str(REPO_ROOT), marker=str(marker), args=_args(project))
    process = subprocess.Popen([sys.executable, "-c", driver])
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert process.poll() is None, "the driver ended before it reached the swap"
            assert time.monotonic() < deadline, "the driver never reached the swap"
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    staging = Path(marker.read_text(encoding="utf-8"))
    # Killed with the complete new tree staged: the kill really came mid-write.
    assert staging.is_dir() and (staging / ".sdkforge-manifest").is_file()
    assert staging.parent == project and staging.name.startswith(".out.new-")

    assert _tree(project / "out") == before
    # `check` looks at --out only: the leftover staging directory is invisible to it, and
    # the old output is still exactly what the old spec produces.
    capsys.readouterr()
    (project / "openapi.yaml").write_text(SPEC, encoding="utf-8")
    assert main(_args(project, "check")) == 0
    # The next run clears the dead run's staging directory.
    _change_the_spec(project)
    assert main(_args(project)) == 0
    assert not staging.exists()
    assert _siblings(project) == ["out"]


# -- what is removed, what is kept -------------------------------------------------------------


def test_files_no_longer_generated_are_removed(project: Path) -> None:
    before = _generated(project)
    assert "echosdk/types/echo_shout_params.py" in before
    config = project / "sdk.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("      shout: post /shout\n", ""),
        encoding="utf-8",
    )
    after = _generated(project)
    assert "echosdk/types/echo_shout_params.py" not in after
    assert not (project / "out/echosdk/types/echo_shout_params.py").exists()
    manifest = (project / "out/.sdkforge-manifest").read_text(encoding="utf-8")
    assert "echosdk/types/echo_shout_params.py" not in manifest
    assert "echosdk/types/echo_create_params.py" in manifest


def test_files_the_generator_never_wrote_are_kept_untouched(project: Path) -> None:
    _generated(project)
    out = project / "out"
    mine = {
        "NOTES.md": b"my notes\n",
        "echosdk/custom.py": b"EXTRA = 1\n",
        "echosdk/types/handwritten.py": b"# mine\n",
        "local/data.bin": b"\x00\x01",
    }
    for name, content in mine.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(content)
    (out / "echosdk/__pycache__").mkdir(exist_ok=True)
    (out / "echosdk/__pycache__/cache.pyc").write_bytes(b"cache")
    stats = {name: (out / name).stat() for name in mine}

    _change_the_spec(project)
    assert main(_args(project)) == 0
    for name, content in mine.items():
        assert (out / name).read_bytes() == content
        stat = (out / name).stat()
        assert (stat.st_ino, stat.st_mtime_ns) == (stats[name].st_ino, stats[name].st_mtime_ns)
    assert (out / "echosdk/__pycache__/cache.pyc").read_bytes() == b"cache"
    # They are not the generator's: not in the manifest, so never removed as stale.
    manifest = (out / ".sdkforge-manifest").read_text(encoding="utf-8")
    assert not any(name in manifest for name in mine)


def test_foreign_file_in_the_way_is_refused_without_force(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _generated(project)
    out = project / "out"
    # The user's own file where the next run wants to write a new module.
    config = project / "sdk.yaml"
    config.write_text(
        CONFIG.replace("      shout: post /shout\n", "      yell: post /shout\n"), encoding="utf-8"
    )
    (out / "echosdk/types/echo_yell_params.py").write_text("# mine\n", encoding="utf-8")
    before = _tree(out)
    capsys.readouterr()
    assert main(_args(project)) == 2
    err = capsys.readouterr().err
    assert (
        "generating would overwrite files sdkforge did not write: "
        "echosdk/types/echo_yell_params.py" in err
    )
    assert _tree(out) == before


# -- where --out points ------------------------------------------------------------------------


def test_directory_of_foreign_files_is_refused_unless_forced(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = project / "out"
    out.mkdir()
    (out / "README.md").write_text("someone else's project\n", encoding="utf-8")
    (out / "src").mkdir()
    (out / "src" / "main.py").write_text("print('hi')\n", encoding="utf-8")
    before = _tree(out)

    capsys.readouterr()
    assert main(_args(project)) == 2
    err = capsys.readouterr().err
    assert err == (
        f"{out}:1:1: error: the output directory holds files sdkforge did not write "
        "(README.md, src/main.py) (choose an empty or new directory, or run "
        f"`sdkforge {' '.join(_args(project))} --force` to generate into it)\n"
    )
    assert _tree(out) == before

    assert main(_args(project, "generate", "--force")) == 0
    assert (out / "src" / "main.py").read_text(encoding="utf-8") == "print('hi')\n"
    # README.md is one the generator writes too: --force lets it replace that one.
    assert (out / "echosdk" / "__init__.py").is_file()
    # From now on the manifest says what is whose: a plain run works again.
    assert main(_args(project)) == 0


def test_out_pointing_at_a_file_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = project / "out"
    out.write_text("a file\n", encoding="utf-8")
    for extra in ((), ("--force",)):
        capsys.readouterr()
        assert main(_args(project, "generate", *extra)) == 2
        assert capsys.readouterr().err == (
            f"{out}:1:1: error: --out is not a directory (point --out at a directory)\n"
        )
        assert out.read_text(encoding="utf-8") == "a file\n"


def test_empty_directory_is_fine(project: Path) -> None:
    (project / "out").mkdir()
    assert "echosdk/__init__.py" in _generated(project)


def test_check_reports_drift_and_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _generated(project)
    _change_the_spec(project)
    capsys.readouterr()
    assert main(_args(project, "check")) == 1
    captured = capsys.readouterr()
    assert "The words to send back." in captured.out  # the diff
    assert "has drifted" in captured.err
    assert _tree(project / "out") == before
    assert _siblings(project) == ["out"]
