"""A forked process that gets datamodel-code-generator ready while the generator reads the
spec and renders the templates.

Requests and answers are pickled: the two ends are the same program, one fork apart, and a
spec's values (dates, integer keys) must reach DCG exactly as they would in-process.

Importing DCG is about half of a cold generation, and it needs nothing from the spec. So
the command line forks first thing (before the rest of the generator is even imported): the
child imports DCG on another core, then waits for the schemas; the parent sends them when
it has them and reads back DCG's modules. A fork, not a new interpreter: the child starts
from the parent's running one and pays only for the import. A request may hold several sets
of schemas that do not reference one another (`model_reuse.Graph.split`): the child forks
again for each set after the first, with DCG imported, and the sets are made side by side.

The worker only ever makes the work faster, never different: where it cannot run (no fork,
a single core) or fails in any way, `generate` answers None and the caller runs DCG itself,
with the same code (`model_codegen`), which also turns DCG's errors into located ones.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
from typing import Any, NoReturn


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class ModelWorker:
    def __init__(self, pid: int, requests: int, results: int) -> None:
        self.finished: list[tuple[str, str | None, str, list[str]]] = []
        self._pid: int | None = pid
        self._requests = requests  # write end, parent -> child
        self._results = results  # read end, child -> parent

    @classmethod
    def start(cls) -> ModelWorker | None:
        """A running worker, or None where one would not help."""
        if not hasattr(os, "fork") or _cores() < 2:
            return None
        pipes: list[int] = []
        try:
            requests_read, requests_write = os.pipe()
            pipes += (requests_read, requests_write)
            results_read, results_write = os.pipe()
            pipes += (results_read, results_write)
            # Ctrl-C reaches the child too: held back across the fork, so that the child
            # never sees one before it ignores them (the parent stops it either way).
            interrupts = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                pid = os.fork()
            except OSError:
                signal.pthread_sigmask(signal.SIG_SETMASK, interrupts)
                raise
        except OSError:  # out of processes or file descriptors, or forking not allowed
            for fd in pipes:
                os.close(fd)
            return None
        if pid == 0:  # the child: never returns
            with contextlib.suppress(ValueError):  # forked from a thread: none come here
                signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.pthread_sigmask(signal.SIG_SETMASK, interrupts)
            os.close(requests_write)
            os.close(results_read)
            _serve(requests_read, results_write)
        worker = cls(pid, requests_write, results_read)
        os.close(requests_read)
        os.close(results_write)
        signal.pthread_sigmask(signal.SIG_SETMASK, interrupts)  # one held back arrives now
        return worker

    # How many DCG runs the worker makes side by side (it forks for the others).
    parallel = min(_cores(), 4)

    def generate(
        self, parts: list[dict[str, Any]], version: str, aliases: dict[str, str] | None = None
    ) -> list[dict[str, str]] | None:
        """DCG's modules for each set of schemas in `parts`, as `model_codegen.generate`
        makes them, the runs side by side; None when the worker has no answer (gone, or DCG
        failed there: it is stopped then). It answers as many requests as it gets
        (`--skip-unsupported` may ask twice)."""
        if self._pid is None:
            return None
        try:
            _send(self._requests, pickle.dumps((parts, version, aliases)))
            answer = pickle.loads(_receive(self._results) or b"")
        except Exception:  # any failure (the child died, a cut-off answer): no answer
            answer = None
        if not (isinstance(answer, list) and len(answer) == len(parts)) or not all(
            _is_made(made) for made in answer
        ):
            self.close()
            return None
        for modules, finished in answer:
            for stem, (primary, text, names) in finished.items():
                self.finished.append((modules[stem], primary, text, names))
        return [modules for modules, _ in answer]

    def take_finished(self) -> list[tuple[str, str | None, str, list[str]]]:
        """What `model_finish.finish` made of the modules of the answers so far, in the
        worker, as (module, its primary name, finished text, public names)."""
        finished, self.finished = self.finished, []
        return finished

    def close(self) -> None:
        """Stop the worker if it is still there (its models are made, or were not needed)."""
        if self._pid is not None:
            os.close(self._requests)
            os.close(self._results)
            self._stop()

    def _stop(self) -> None:
        """Kill and reap the child: it is done (idle, or no answer coming), and waiting for it
        to end on its own could mean waiting for its whole import."""
        pid, self._pid = self._pid, None
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)

    def __enter__(self) -> ModelWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve(requests: int, results: int) -> NoReturn:
    """The child's whole life; it ends in `os._exit`, whatever happens, so that nothing of
    the parent's (exit handlers, buffered output, a test runner) runs twice."""
    code = 1
    try:
        # Nothing the child does is the user's business: DCG's messages would interleave
        # with the parent's, and an error here is found again, and reported, by the parent.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        from . import model_codegen

        model_codegen.warm_up()
        # The child lives for one run of the model generator, and its cyclic garbage dies with
        # it: the collector's passes over DCG's own modules, which live as long, and its
        # frequent young-generation passes cost 8% of the time of 1,000 operations' models;
        # rare passes over the run's objects alone keep most of what it frees for 1% of that.
        gc.freeze()
        gc.set_threshold(100_000, 50, 100)
        while True:
            request = _receive(requests)
            if request is None:  # the parent closed the pipe: no more models are needed
                break
            parts, version, aliases = pickle.loads(request)
            del request  # its bytes are not needed while DCG runs
            _send(results, pickle.dumps(_side_by_side(parts, version, aliases)))
        code = 0
    finally:
        os._exit(code)


def _side_by_side(
    parts: list[dict[str, Any]], version: str, aliases: dict[str, str] | None
) -> list[Any] | None:
    """DCG's modules for each part, and each module finished, the first part made here and
    each other one in a fork of this process (DCG is imported already); None when any run
    fails (the parent runs them again and reports where the spec is wrong)."""
    forks: list[tuple[int, int]] = []  # (pid, read end of its answer)
    for part in parts[1:]:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.close(read)
                _send(write, pickle.dumps(_made(part, version, aliases)))
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        forks.append((pid, read))
    answers = [_made(parts[0], version, aliases)] if parts else []
    for pid, read in forks:
        try:
            answers.append(pickle.loads(_receive(read) or b""))
        except Exception:  # the fork died or cut its answer off
            answers.append(None)
        os.close(read)
        os.waitpid(pid, 0)
    made = [answer for answer in answers if answer is not None]
    return made if len(made) == len(parts) else None


def _made(part: dict[str, Any], version: str, aliases: Any) -> Any:
    """DCG's modules of `part`, and what `finish` makes of each (the parent would do it one
    module after the other once all runs are back; here it is done side by side too)."""
    from .model_codegen import generate
    from .model_finish import finish

    try:
        modules = generate(part, version, aliases)
    except Exception:  # found again, and located, by the parent
        return None
    # The parent finishes a component's module under the component's own name.
    primaries = {key.partition(".")[0]: key.partition(".")[2] for key in part}
    finished: dict[str, tuple[str | None, str, list[str]]] = {}
    for stem, code in modules.items():
        primary = primaries.get(stem)
        with contextlib.suppress(Exception):  # the parent finds it, and says where
            finished[stem] = (primary, *finish(code, primary))
    return modules, finished


def _is_made(made: Any) -> bool:
    if not (isinstance(made, tuple) and len(made) == 2):
        return False
    modules, finished = made
    return (
        isinstance(modules, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in modules.items())
        and isinstance(finished, dict)
        and all(
            stem in modules
            and isinstance(entry, tuple)
            and len(entry) == 3
            and isinstance(entry[0], (str, type(None)))
            and isinstance(entry[1], str)
            and isinstance(entry[2], list)
            for stem, entry in finished.items()
        )
    )


def _send(fd: int, data: bytes) -> None:
    """`data` with its length in front, so that the other end knows where it ends."""
    view = memoryview(len(data).to_bytes(8, "big") + data)
    while view:
        view = view[os.write(fd, view) :]


def _receive(fd: int) -> bytes | None:
    """One message `_send` wrote; None when the pipe is closed before one begins."""
    head = _read_exactly(fd, 8)
    if not head:
        return None
    if len(head) < 8:
        raise EOFError("cut-off message")
    size = int.from_bytes(head, "big")
    body = _read_exactly(fd, size)
    if len(body) < size:
        raise EOFError("cut-off message")
    return body


def _read_exactly(fd: int, size: int) -> bytes:
    parts: list[bytes] = []
    left = size
    while left:
        part = os.read(fd, min(left, 1 << 20))
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)
