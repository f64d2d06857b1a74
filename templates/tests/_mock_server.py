"""Session-scoped pytest fixture that runs the Steady OpenAPI mock server.

Steady (npm package ``@stdy/cli``) validates every request against the OpenAPI
document and answers from its schemas, so a request the spec does not allow
fails the test with HTTP 400 instead of passing silently.

This file is copied verbatim into generated packages: it depends on the
standard library and pytest only.

Environment variables:

``STEADY_BIN``
    Path to the ``steady`` executable. Default: ``node_modules/.bin/steady``
    found by walking up from this folder and from the current directory.
``MOCK_SPEC``
    Path to the OpenAPI document. Default: ``openapi.yaml`` beside this file.
``STEADY_EXTRA_ARGS``
    Extra command-line arguments (shell-quoted), e.g. ``--fail-on-warnings``.

Things the tests relying on this fixture must know (observed with 0.22.2):

* Paths are served at the root: a ``servers`` URL such as
  ``https://api.openai.com/v1`` does not add ``/v1``, so the yielded URL has no
  path prefix and is the client's ``base_url`` as it is.
* When a response has both ``application/json`` and ``text/event-stream``, the
  ``Accept`` header decides; without one, the first media type listed in the
  spec wins. A ``"stream": true`` body field alone changes nothing.
* A streamed response ends with an extra ``event: done`` / ``data: {}`` event
  (no ``[DONE]``); generated events carry ``event: message``, so dispatch on the
  payload's ``type``, not on the SSE event name.
* A rejected request gets 400 with a JSON body
  ``{"error": "Validation failed", "steady": {"valid": false, "errors": [...]}}``;
  an unknown path gets 404 with ``{"error": ..., "suggestion": ...}``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

__all__ = ["mock_server_url"]

_HOST = "127.0.0.1"
_HEALTH_PATH = "/_x-steady/health"
_STARTUP_TIMEOUT_S = 30.0
_STOP_TIMEOUT_S = 10.0
_POLL_INTERVAL_S = 0.05
_PORT_ATTEMPTS = 3
_OUTPUT_TAIL_CHARS = 4000

_STEADY_NAMES = ("steady.cmd", "steady.exe", "steady") if os.name == "nt" else ("steady",)

# Steady's error on a port taken between our probe and its bind; retrying with a
# new port is cheaper than reserving one across processes.
_PORT_IN_USE_MARKER = "address already in use"


def _steady_args(spec: Path, port: int) -> list[str]:
    return [
        str(spec),
        "--host",
        _HOST,
        "--port",
        str(port),
        # The API sends a list of files as repeated `image[]` multipart parts.
        "--validator-form-array-format=brackets",
        # Explicit because the README documents the opposite default of the CLI.
        "--reject-on-sdk-error",
        # The strictest oneOf reading on offer. Steady has no switch to reject
        # unknown fields or out-of-range values: it reports them only in
        # X-Steady-Error-* headers, so only the spec (additionalProperties:
        # false) can make them fail.
        "--validator-strict-oneof",
        # The default 100 ms between streamed events only slows the tests down.
        "--stream-interval=0",
        "--no-color",
        *shlex.split(os.environ.get("STEADY_EXTRA_ARGS", "")),
    ]


def _fail(message: str) -> NoReturn:
    pytest.fail(message, pytrace=False)


def _find_steady() -> Path:
    override = os.environ.get("STEADY_BIN")
    if override:
        path = Path(override).expanduser()
        if not path.is_file():
            _fail(f"STEADY_BIN is set to {override!r}, which is not a file.")
        return path

    starts = [Path(__file__).resolve().parent, Path.cwd().resolve()]
    searched: list[Path] = []
    for start in starts:
        for folder in (start, *start.parents):
            bin_dir = folder / "node_modules" / ".bin"
            if bin_dir in searched:
                continue
            searched.append(bin_dir)
            for name in _STEADY_NAMES:
                candidate = bin_dir / name
                if candidate.is_file():
                    return candidate
    _fail(
        "The Steady mock server (npm package @stdy/cli) is not installed: no "
        "node_modules/.bin/steady above "
        + " or ".join(str(s) for s in starts)
        + ". Run `npm ci` in the project root (where package-lock.json is), "
        "or set STEADY_BIN to the steady executable."
    )


def _find_spec() -> Path:
    override = os.environ.get("MOCK_SPEC")
    spec = (
        Path(override).expanduser()
        if override
        else Path(__file__).resolve().parent / "openapi.yaml"
    )
    if not spec.is_file():
        source = "MOCK_SPEC" if override else "the default location"
        _fail(f"OpenAPI spec for the mock server not found at {spec} ({source}).")
    return spec.resolve()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((_HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _read_tail(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return text[-_OUTPUT_TAIL_CHARS:].strip()


# Steady is a Node wrapper that spawns a native binary; giving it its own
# process group lets teardown stop both even if the wrapper dies first.
def _spawn(cmd: list[str], stdout: Path, stderr: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NO_COLOR": "1"}
    with stdout.open("wb") as out, stderr.open("wb") as err:
        try:
            if sys.platform == "win32":
                return subprocess.Popen(
                    cmd,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=err,
                    env=env,
                    creationflags=subprocess.CREATE_NEW_PROCESS_GROUP,
                )
            return subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env=env,
                start_new_session=True,
            )
        except OSError as exc:
            _fail(f"Could not start the Steady mock server ({shlex.join(cmd)}): {exc}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if sys.platform == "win32":
        if proc.poll() is not None:
            return
        # terminate() would leave the native child of the Node wrapper running.
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(proc.pid)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    else:
        # Wait on the whole group, not just the wrapper: if the wrapper died
        # first, the orphaned native server would keep running and hold the port.
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
            if _wait_group_gone(proc, _STOP_TIMEOUT_S):
                return
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=_STOP_TIMEOUT_S)


if sys.platform != "win32":

    def _wait_group_gone(proc: subprocess.Popen[bytes], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            # Reaping the wrapper is what lets its process group disappear.
            proc.poll()
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(_POLL_INTERVAL_S)


# An empty ProxyHandler stops HTTP(S)_PROXY from routing loopback polls elsewhere.
_NO_PROXY_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _is_healthy(base_url: str) -> bool:
    try:
        with _NO_PROXY_OPENER.open(base_url + _HEALTH_PATH, timeout=1.0) as resp:
            if resp.status != 200:
                return False
            body = json.loads(resp.read().decode("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(body, dict) and body.get("status") == "healthy"


def _describe_output(stdout: Path, stderr: Path) -> str:
    err = _read_tail(stderr) or "(empty)"
    out = _read_tail(stdout) or "(empty)"
    return f"--- Steady stderr ---\n{err}\n--- Steady stdout ---\n{out}"


def _start(steady: Path, spec: Path, log_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    for attempt in range(1, _PORT_ATTEMPTS + 1):
        port = _free_port()
        base_url = f"http://{_HOST}:{port}"
        cmd = [str(steady), *_steady_args(spec, port)]
        stdout = log_dir / f"steady-{attempt}.out.log"
        stderr = log_dir / f"steady-{attempt}.err.log"
        proc = _spawn(cmd, stdout, stderr)

        # Readiness is the health endpoint, not a log line: Steady changes its
        # log format when it sees CI=true.
        deadline = time.monotonic() + _STARTUP_TIMEOUT_S
        while True:
            if _is_healthy(base_url):
                return proc, base_url
            code = proc.poll()
            if code is not None:
                if _PORT_IN_USE_MARKER in _read_tail(stderr).lower() and attempt < _PORT_ATTEMPTS:
                    break
                _fail(
                    f"Steady exited with code {code} before it was ready.\n"
                    f"Command: {shlex.join(cmd)}\n{_describe_output(stdout, stderr)}"
                )
            if time.monotonic() > deadline:
                _stop(proc)
                _fail(
                    f"Steady was not ready at {base_url}{_HEALTH_PATH} after "
                    f"{_STARTUP_TIMEOUT_S:.0f} s.\nCommand: {shlex.join(cmd)}\n"
                    f"{_describe_output(stdout, stderr)}"
                )
            time.sleep(_POLL_INTERVAL_S)
    _fail(f"Steady could not bind a free port on {_HOST} in {_PORT_ATTEMPTS} attempts.")


@pytest.fixture(scope="session")
def mock_server_url() -> Iterator[str]:
    """Base URL (``http://127.0.0.1:PORT``, no path prefix) of a running Steady."""
    steady = _find_steady()
    spec = _find_spec()
    with tempfile.TemporaryDirectory(prefix="steady-") as tmp:
        proc, base_url = _start(steady, spec, Path(tmp))
        try:
            yield base_url
        finally:
            _stop(proc)
