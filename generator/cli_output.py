"""What the command line says while it works, besides its results: `-q` (errors only), `-v`
(each stage with its time), a one-line progress display on a terminal, and the commands its
hints suggest, spelled with the options the user gave.

The stage lines and the progress display go to stderr, so that stdout holds only results
(`check`'s diff, `schema`'s JSON) and can be piped.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from time import perf_counter
from types import TracebackType
from typing import TextIO

QUIET, NORMAL, VERBOSE = 0, 1, 2
DEFAULT_SPEC = Path("spec/openapi.yaml")
DEFAULT_CONFIG = Path("spec/sdk.yaml")
DEFAULT_OUT = Path("generated")
# A run shorter than this shows no progress display: it would only flicker.
PROGRESS_DELAY = 1.0
_REDRAW = 0.1


def add_verbosity(parser: argparse.ArgumentParser, *, top_level: bool) -> None:
    """`-q`/`-v`, before the command (`sdkforge -v generate`) or after it. A subcommand's
    default must not overwrite what was given before it, hence SUPPRESS there."""
    default = NORMAL if top_level else argparse.SUPPRESS
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "-q",
        "--quiet",
        dest="verbosity",
        action="store_const",
        const=QUIET,
        default=default,
        help="print errors only",
    )
    group.add_argument(
        "-v",
        "--verbose",
        dest="verbosity",
        action="store_const",
        const=VERBOSE,
        default=default,
        help="also print each stage of the run with its time",
    )


def rerun(args: argparse.Namespace, command: str, *extra: str) -> str:
    """`sdkforge COMMAND` with the input and output options of this run (those that differ
    from their defaults), so that a hint can be pasted as it is."""
    words = ["sdkforge", command]
    for option, default in (
        ("spec", DEFAULT_SPEC),
        ("config", DEFAULT_CONFIG),
        ("out", DEFAULT_OUT),
        ("templates", None),
    ):
        value = getattr(args, option, None)
        if value is not None and value != default:
            words += [f"--{option}", shlex.quote(str(value))]
    if getattr(args, "skip_unsupported", False):
        words.append("--skip-unsupported")
    return " ".join([*words, *extra])


class Progress:
    """The run's voice: results (unless quiet), stage times (when verbose) and, on a
    terminal, a progress line once the run has taken longer than PROGRESS_DELAY."""

    def __init__(
        self, verbosity: int, stream: TextIO | None = None, delay: float | None = None
    ) -> None:
        self.verbosity = verbosity
        self.stream = stream if stream is not None else sys.stderr
        self.times: list[tuple[str, float]] = []
        self._delay = PROGRESS_DELAY if delay is None else delay
        self._stage = "starting"
        self._started = perf_counter()
        self._shown = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Progress:
        return self

    def show(self) -> None:
        """Start the progress display (on a terminal, unless quiet). Called once the model
        worker is forked: a process with a second thread is not safe to fork."""
        if self._thread is None and self.verbosity > QUIET and _is_terminal(self.stream):
            self._thread = threading.Thread(target=self._tick, name="progress", daemon=True)
            self._thread.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            self._clear()

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        with self._lock:
            self._stage = name
        start = perf_counter()
        yield
        elapsed = perf_counter() - start
        self.times.append((name, elapsed))
        if self.verbosity >= VERBOSE:
            self.note(f"{name:<16}{elapsed * 1000:8.0f} ms")

    def detail(self, text: str) -> None:
        """A line on stderr under -v only."""
        if self.verbosity >= VERBOSE:
            self.note(text)

    def total(self) -> None:
        """The whole run's time, when verbose."""
        if self.verbosity >= VERBOSE:
            self.note(f"{'total':<16}{(perf_counter() - self._started) * 1000:8.0f} ms")

    def note(self, text: str) -> None:
        """A line on stderr (never under -q): stage times, skipped methods."""
        if self.verbosity > QUIET:
            with self._lock:
                self._clear()
                print(text, file=self.stream, flush=True)

    def error(self, text: str) -> None:
        """A line on stderr, even under -q."""
        with self._lock:
            self._clear()
            print(text, file=self.stream, flush=True)

    def result(self, text: str) -> None:
        """A line on stdout saying what was done (never under -q)."""
        if self.verbosity > QUIET:
            with self._lock:
                self._clear()
                print(text, flush=True)

    def _tick(self) -> None:
        if self._stop.wait(self._delay):
            return
        while True:
            with self._lock:
                elapsed = perf_counter() - self._started
                self.stream.write(f"\rsdkforge: {self._stage} ({elapsed:.1f}s)\x1b[K")
                self.stream.flush()
                self._shown = True
            if self._stop.wait(_REDRAW):
                return

    def _clear(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False


def _is_terminal(stream: TextIO) -> bool:
    # A dumb terminal cannot erase a line: the display would pile up.
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stream
        return False
