"""The model worker: a forked child that makes the response models while the parent goes on.

It may only ever change how fast the models come, never what they are: its answer equals
the in-process one, and every way it can fail ends in the parent doing the work itself.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sdkforge import model_codegen, model_worker
from sdkforge.model_worker import ModelWorker
from sdkforge.pipeline import Inputs, generate

SCHEMAS: dict[str, Any] = {
    "picture.Picture": {
        "type": "object",
        "description": "A picture.",
        "required": ["url"],
        "properties": {
            "url": {"type": "string"},
            "size": {"type": "string", "enum": ["small", "large"]},
        },
    },
    "album.Album": {
        "type": "object",
        "properties": {"cover": {"$ref": "#/components/schemas/picture.Picture"}},
    },
}

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the worker needs os.fork")


@pytest.fixture
def worker() -> Iterator[ModelWorker]:
    started = ModelWorker.start()
    if started is None:
        pytest.skip("one core: no worker is started")
    with started:
        yield started


def _gone(pid: int) -> bool:
    """True when `pid` is no child of ours any more (ended and reaped)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_answer_equals_the_in_process_models(worker: ModelWorker) -> None:
    answer = worker.generate([SCHEMAS], "3.1.0")
    assert answer is not None
    assert answer == [model_codegen.generate(SCHEMAS, "3.1.0")]
    assert set(answer[0]) == {"picture", "album"}


def test_runs_side_by_side_answer_as_each_alone(worker: ModelWorker) -> None:
    """Several parts in one request: each made in a fork of the worker, in order."""
    picture = {"picture.Picture": SCHEMAS["picture.Picture"]}
    tag = {"tag.Tag": {"type": "object", "properties": {"label": {"type": "string"}}}}
    parts = [SCHEMAS, picture, tag]
    answer = worker.generate(parts, "3.1.0")
    assert answer == [model_codegen.generate(p, "3.1.0") for p in parts]
    assert worker.generate([], "3.1.0") == []


def test_one_failing_part_gives_no_answer(worker: ModelWorker) -> None:
    broken = {"a.A": {"type": "object", "properties": {"x": {"$ref": "#/nowhere"}}}}
    assert worker.generate([SCHEMAS, broken], "3.1.0") is None


def test_answers_each_request_and_is_reaped_on_close(worker: ModelWorker) -> None:
    pid = worker._pid
    assert pid is not None
    first = worker.generate([SCHEMAS], "3.1.0")
    assert first is not None
    # A second request (the models made again without the methods that failed) is answered
    # by the same process: the parent never imports DCG itself.
    part = {"picture.Picture": SCHEMAS["picture.Picture"]}
    assert worker.generate([part], "3.1.0") == [model_codegen.generate(part, "3.1.0")]
    assert worker._pid == pid and not _gone(pid)
    worker.close()
    assert _gone(pid)
    assert worker.generate([SCHEMAS], "3.1.0") is None  # closed: the caller does it itself


def test_schemas_the_generator_rejects_give_no_answer(worker: ModelWorker) -> None:
    broken = {"a.A": {"type": "object", "properties": {"x": {"$ref": "#/nowhere"}}}}
    with pytest.raises(Exception):  # noqa: B017  (whatever DCG raises in-process)
        model_codegen.generate(broken, "3.1.0")
    assert worker.generate([broken], "3.1.0") is None


def test_a_dead_worker_gives_no_answer(worker: ModelWorker) -> None:
    pid = worker._pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    assert worker.generate([SCHEMAS], "3.1.0") is None
    assert _gone(pid)


def test_a_request_that_cannot_be_sent_gives_no_answer(worker: ModelWorker) -> None:
    pid = worker._pid
    assert pid is not None
    assert worker.generate([{"a.A": {"default": lambda: None}}], "3.1.0") is None
    assert _gone(pid)


def test_close_stops_an_unused_worker_at_once(worker: ModelWorker) -> None:
    pid = worker._pid
    assert pid is not None
    worker.close()  # while it is still importing: killed, not waited for
    assert _gone(pid)
    worker.close()  # twice is harmless


def test_no_worker_on_a_single_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_worker, "_cores", lambda: 1)
    assert ModelWorker.start() is None


def test_the_worker_keeps_quiet(capfd: pytest.CaptureFixture[str]) -> None:
    """DCG's messages and the child's errors never reach the user's terminal."""
    started = ModelWorker.start()
    if started is None:
        pytest.skip("one core: no worker is started")
    with started:
        assert (
            started.generate(
                [{"a.A": {"type": "object", "properties": {"x": {"$ref": "#/nowhere"}}}}], "3.1.0"
            )
            is None
        )
    assert capfd.readouterr() == ("", "")


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each question to a worker got an answer."""
    answered: list[bool] = []
    ask = ModelWorker.generate

    def recording(
        self: ModelWorker,
        parts: list[dict[str, Any]],
        version: str,
        aliases: dict[str, str] | None = None,
    ) -> list[dict[str, str]] | None:
        answer = ask(self, parts, version, aliases)
        answered.append(answer is not None)
        return answer

    monkeypatch.setattr(ModelWorker, "generate", recording)
    return answered


def test_pipeline_output_is_the_same_with_and_without_the_worker(
    project_inputs: Inputs, worker: ModelWorker, answers: list[bool]
) -> None:
    assert generate(project_inputs, None, worker) == generate(project_inputs)
    assert answers == [True]  # the worker's models were the ones used


def test_the_command_line_uses_the_worker(
    run_cli: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    project_inputs: Inputs,
    answers: list[bool],
) -> None:
    monkeypatch.setattr(model_worker, "_cores", lambda: 2)
    out = tmp_path / "out"
    result = run_cli(
        "generate", "--spec", project_inputs.spec, "--config", project_inputs.config, "--out", out
    )
    assert result.code == 0, result.err
    assert answers == [True]
    assert (out / "imagesdk" / "types" / "images_response.py").is_file()


def test_no_worker_when_the_system_refuses_a_process(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[int] = []
    pipe = os.pipe

    def tracked_pipe() -> tuple[int, int]:
        ends = pipe()
        opened.extend(ends)
        return ends

    def refuse() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "pipe", tracked_pipe)
    monkeypatch.setattr(os, "fork", refuse)
    monkeypatch.setattr(model_worker, "_cores", lambda: 2)
    assert ModelWorker.start() is None
    assert len(opened) == 4
    for fd in opened:  # nothing left open
        with pytest.raises(OSError):
            os.fstat(fd)
