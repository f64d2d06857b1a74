"""Running measured processes, and describing the machine they ran on.

Each run is one new process, started by a tiny wrapper process. Its wall time is taken in the
wrapper around `Popen` .. `wait4`; its peak memory is the `ru_maxrss` that `wait4` reports for
it, which covers the process and every child it waited for (ruff, for instance): the largest of
them, not their sum.
"""

from __future__ import annotations

import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_kb: int
    returncode: int
    stdout: str
    stderr: str


@dataclass
class Series:
    """The runs of one command."""

    runs: list[Run] = field(default_factory=list)
    timed_out: bool = False
    note: str = ""  # why the runs do not count, when they do not

    def discard(self, why: str) -> None:
        self.runs, self.note = [], why

    @property
    def ok(self) -> bool:
        return bool(self.runs) and not self.timed_out and all(r.returncode == 0 for r in self.runs)

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return statistics.median(r.peak_kb for r in self.runs) / 1024

    @property
    def spread(self) -> tuple[float, float]:
        times = [r.seconds for r in self.runs]
        return min(times), max(times)

    def failure(self) -> str:
        """Why the series is not ok, in one line."""
        if self.timed_out:
            return "timed out"
        if self.note or not self.runs:
            return self.note or "not run"
        bad = next((r for r in self.runs if r.returncode != 0), None)
        if bad is None:
            return ""
        lines = [line for line in (bad.stderr or bad.stdout).splitlines() if line.strip()]
        tail = lines[-1].strip() if lines else "no output"
        return f"exit {bad.returncode}: {tail[:200]}"


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of every measured process.

    The venv's bin comes first on PATH (openapi-python-client looks for `ruff` there), and
    bytecode caches may be written, so that the warm-up run leaves them for the measured ones,
    as on any machine where a tool was run before.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("PYTHONHASHSEED", "0")
    env.update(extra or {})
    return env


# The tiny process that starts each measured one (`python -S`: no site, about 10 MB). A child
# starts with its parent's peak resident size on Linux, so measuring children of run.py itself
# would report run.py's own peak; under this wrapper the floor is the wrapper's few MB.
_WRAPPER = """\
import json, os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
seconds = time.perf_counter() - start
with open(sys.argv[1], "w") as report:
    json.dump({"seconds": seconds, "peak_kb": usage.ru_maxrss,
               "returncode": os.waitstatus_to_exitcode(status)}, report)
"""


def run_once(
    command: Sequence[str], *, cwd: Path, env: dict[str, str], timeout: float
) -> Run | None:
    """One run; None when it outlived `timeout` (then it is killed with its children)."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory(prefix="sdkforge-bench-") as scratch,
    ):
        figures = Path(scratch) / "run.json"
        process = subprocess.Popen(
            [sys.executable, "-S", "-c", _WRAPPER, str(figures), *command],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        killer = threading.Timer(timeout, os.killpg, (process.pid, signal.SIGKILL))
        killer.start()
        try:
            process.wait()
        finally:
            killer.cancel()
        if not figures.exists():  # killed, or the wrapper could not start the command
            if process.returncode == -signal.SIGKILL:
                return None
            err.seek(0)
            return Run(0.0, 0, process.returncode or 127, "", err.read().decode(errors="replace"))
        result = json.loads(figures.read_text())
        out.seek(0)
        err.seek(0)
        return Run(
            result["seconds"],
            result["peak_kb"],
            result["returncode"],
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
        )


@dataclass(frozen=True)
class Command:
    """A command to measure; `setup` runs before each run, untimed (e.g. clears the output)."""

    argv: Sequence[str]
    cwd: Path = ROOT
    env: dict[str, str] | None = None
    setup: Callable[[], None] | None = None


def measure(
    commands: dict[str, Command],
    repeats: int,
    *,
    warmup: bool = True,
    timeout: float = 900.0,
    progress: Callable[[str], None] = print,
) -> dict[str, Series]:
    """Run every command `repeats` times, interleaved (one of each, then again), so that a
    noisy moment on the machine falls on all of them alike. A command that fails or times out
    is not run again."""
    series = {name: Series() for name in commands}
    rounds = (["warm-up"] if warmup else []) + list(range(1, repeats + 1))
    for round_ in rounds:
        for name, command in commands.items():
            current = series[name]
            if current.timed_out or (current.runs and not current.ok):
                continue
            if command.setup is not None:
                command.setup()
            run = run_once(
                command.argv, cwd=command.cwd, env=environment(command.env), timeout=timeout
            )
            if run is None:
                current.timed_out = True
                progress(f"  {name}: timed out after {timeout:.0f} s")
                continue
            if round_ == "warm-up" and run.returncode == 0:
                continue
            current.runs.append(run)
            progress(
                f"  {name} [{round_}]: {run.seconds:.3f} s, {run.peak_kb / 1024:.0f} MB"
                + ("" if run.returncode == 0 else f", exit {run.returncode}")
            )
    return series


# -- the machine ----------------------------------------------------------------------------


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _cpu_model() -> str:
    for line in _read("/proc/cpuinfo").splitlines():
        if line.lower().startswith(("model name", "hardware", "cpu model")):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _memory() -> str:
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "unknown"


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git_revision() -> str:
    def git(*args: str) -> str:
        result = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        )
        return result.stdout.strip()

    revision = git("rev-parse", "--short", "HEAD") or "unknown"
    return revision + (" + uncommitted changes" if git("status", "--porcelain") else "")


PACKAGES = (
    "openapi-python-client",
    "datamodel-code-generator",
    "openai",
    "httpx",
    "httpx2",
    "pydantic",
    "pydantic-core",
    "ruff",
    "jinja2",
    "pyyaml",
)


def machine() -> dict[str, str]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "CPU": _cpu_model(),
        "cores": str(os.cpu_count()),
        "memory": _memory(),
        "OS": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "sdkforge": f"{_version('sdkforge')} at {_git_revision()}",
        "packages": ", ".join(f"{name} {_version(name)}" for name in PACKAGES),
        "load average at start": " ".join(f"{x:.2f}" for x in load),
    }
