"""The real documents of the shared corpus, end to end, with our configs (tests/corpus/).

For each document: the methods the generator cannot make yet are exactly those its
`expect.yaml` lists (so the list only shrinks: a listed method that now generates fails the
test too); the package passes `ruff check` and `mypy --strict`; its own generated tests pass
against Steady; and every generated method, sync and async, called against Steady with the
generated tests' samples, answers with a value of its annotated return type, sends the
document's credential in the declared header and nowhere else, and a binary answer written
to a file holds the bytes the server sent.

`wait` and `<method>_and_wait` are not called here: a mock server answers a job's status at
random; the functional tests (tests/functional/test_jobs.py) run them against local servers.
"""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio
import httpx
import pytest
from sdkforge.model import Sdk

from .harness import (
    KEY,
    STEADY,
    AsyncRecorder,
    Expect,
    Generated,
    Recorder,
    awaited,
    bound_method,
    documents,
    imported,
    matches,
    return_annotation,
    sample_arguments,
    steady,
)

GENERATED_TESTS_TIMEOUT = 600  # seconds for one package's generated tests
LINT_TIMEOUT = 600

pytestmark = pytest.mark.parametrize("name", documents())

Corpus = Callable[[str], Generated]


def _generated_or_skip(
    corpus: Corpus, name: str, request: pytest.FixtureRequest, test: str
) -> Generated:
    generated = corpus(name)
    known = generated.expect.known_failures.get(test)
    if known:
        request.applymarker(pytest.mark.xfail(reason=f"{name}: {known}", strict=True))
    if generated.out is None:
        # test_unsupported_methods_are_the_listed_ones holds the list to the truth.
        pytest.skip(f"{name}: every configured method is listed unsupported in its expect.yaml")
    return generated


def test_unsupported_methods_are_the_listed_ones(corpus: Corpus, name: str) -> None:
    generated = corpus(name)
    listed = generated.expect.unsupported
    assert not listed.keys() - set(generated.configured), "listed but not configured"
    new = {m: r for m, r in generated.skipped.items() if m not in listed}
    fixed = sorted(listed.keys() - generated.skipped.keys())
    assert not new, f"{name}: unsupported, and not listed in expect.yaml: {new}"
    assert not fixed, f"{name}: generates now, take it off expect.yaml's list: {fixed}"


def test_package_passes_ruff_and_mypy_strict(
    corpus: Corpus,
    name: str,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> None:
    generated = _generated_or_skip(corpus, name, request, "lint")
    assert generated.out is not None and generated.sdk is not None
    package = generated.sdk.package.name
    # The package and its tests, under the package's own settings.
    lint = _run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], generated.out)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    # One cache for every document: the third-party modules are read once a run.
    cache = tmp_path_factory.getbasetemp() / "corpus-mypy-cache"
    mypy = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), package, "tests"]
    types = _run(mypy, generated.out)
    assert types.returncode == 0, types.stdout + types.stderr


def test_generated_tests_pass_against_steady(
    corpus: Corpus, name: str, request: pytest.FixtureRequest
) -> None:
    generated = _generated_or_skip(corpus, name, request, "generated_tests")
    assert generated.out is not None
    report = generated.out / "generated-tests.xml"
    command = [sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider"]
    command += ["-o", "addopts=", f"--junitxml={report}"]
    env = {**os.environ, "PYTHONPATH": str(generated.out), "STEADY_BIN": str(STEADY)}
    started = time.perf_counter()
    result = subprocess.run(
        command,
        cwd=generated.out,
        env=env,
        capture_output=True,
        text=True,
        timeout=GENERATED_TESTS_TIMEOUT,
        check=False,
    )
    seconds = time.perf_counter() - started
    suite = ElementTree.parse(report).getroot().find("testsuite")
    assert suite is not None, result.stdout + result.stderr
    total, failed = int(suite.get("tests", 0)), int(suite.get("failures", 0))
    failed += int(suite.get("errors", 0))
    skipped = int(suite.get("skipped", 0))
    generated.numbers["generated tests"] = f"{total - failed - skipped}/{total} ({seconds:.0f} s)"
    assert total > 0 and skipped == 0
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]


def test_every_method_answers_its_type_with_the_declared_auth(
    corpus: Corpus, name: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Each method, sync and async, called once with its required arguments."""
    generated = _generated_or_skip(corpus, name, request, "smoke")
    # The spec copy the generated tests give their mock server (generator/mock_spec.py).
    assert generated.out is not None
    mock_spec = generated.out / "tests" / "openapi.yaml"
    with steady(mock_spec) as url, imported(generated) as package:
        failures = _sync_calls(generated, package, url, tmp_path)
        failures += anyio.run(_async_calls, generated, package, url, tmp_path)
    count = 2 * len(generated.methods)
    generated.numbers["smoke calls"] = f"{count - len(failures)}/{count}"
    assert not failures, "\n".join(failures)


def _client_arguments(sdk: Sdk, url: str) -> dict[str, Any]:
    headers = dict(eval(sdk.mock_server_headers or "{}"))  # our own literal
    return {"api_key": KEY, "base_url": url, "max_retries": 0, "default_headers": headers}


def _sync_calls(generated: Generated, package: ModuleType, url: str, folder: Path) -> list[str]:
    sdk = generated.sdk
    assert sdk is not None
    recorder = Recorder()
    failures = []
    client_class = getattr(package, sdk.client.sync_name)
    # The client leaves an http_client it was given open: closing it is ours to do.
    with (
        httpx.Client(transport=recorder) as http,
        client_class(**_client_arguments(sdk, url), http_client=http) as client,
    ):
        for resource, method in generated.methods:
            where = f"{resource.name}.{method.name}"
            try:
                annotation = return_annotation(package, resource, method)
                before = len(recorder.exchanges)
                result = bound_method(client, resource, method)(**sample_arguments(method))
                problem = _answer_problem(result, annotation, recorder, before, generated.expect)
                if not problem and hasattr(result, "write_to_file"):
                    result.write_to_file(folder / f"{where}.bin")
                    problem = _file_problem(folder / f"{where}.bin", recorder)
            except Exception as error:  # every method is tried; all failures reported
                problem = f"raised {type(error).__name__}: {error}"
            if problem:
                failures.append(f"{where}: {problem}")
    return failures


async def _async_calls(
    generated: Generated, package: ModuleType, url: str, folder: Path
) -> list[str]:
    sdk = generated.sdk
    assert sdk is not None
    recorder = AsyncRecorder()
    failures = []
    client_class = getattr(package, sdk.client.async_name)
    async with (
        httpx.AsyncClient(transport=recorder) as http,
        client_class(**_client_arguments(sdk, url), http_client=http) as client,
    ):
        for resource, method in generated.methods:
            where = f"async {resource.name}.{method.name}"
            try:
                annotation = awaited(package, return_annotation(package, resource, method, True))
                before = len(recorder.exchanges)
                result = await bound_method(client, resource, method)(**sample_arguments(method))
                problem = _answer_problem(result, annotation, recorder, before, generated.expect)
                if not problem and hasattr(result, "write_to_file"):
                    written = result.write_to_file(folder / f"{where}.bin")
                    if inspect.isawaitable(written):
                        await written
                    problem = _file_problem(folder / f"{where}.bin", recorder)
            except Exception as error:  # every method is tried; all failures reported
                problem = f"raised {type(error).__name__}: {error}"
            if problem:
                failures.append(f"{where}: {problem}")
    return failures


def _answer_problem(
    result: object, annotation: Any, recorder: Recorder | AsyncRecorder, before: int, expect: Expect
) -> str:
    """What is wrong with one call's answer and request ('' when nothing is)."""
    if len(recorder.exchanges) != before + 1:
        return f"made {len(recorder.exchanges) - before} requests, not 1"
    if not matches(result, annotation):
        return f"returned {type(result).__name__}, annotated {annotation}"
    return _auth_problem(recorder.exchanges[-1][0], expect)


def _file_problem(target: Path, recorder: Recorder | AsyncRecorder) -> str:
    if target.read_bytes() != recorder.exchanges[-1][1]:
        return "the file written does not hold the bytes served"
    return ""


def _auth_problem(request: httpx.Request, expect: Expect) -> str:
    carriers = [k for k, v in request.headers.items() if KEY in v]
    if KEY in str(request.url):
        carriers.append("the URL")
    if expect.auth_header is None:
        return f"sent the key in {carriers}, the document declares no auth" if carriers else ""
    sent = request.headers.get(expect.auth_header)
    wanted = expect.auth_value.format(key=KEY)
    if sent != wanted:
        return f"sent {expect.auth_header}: {sent!r}, not {wanted!r}"
    others = [c for c in carriers if c != expect.auth_header.lower()]
    return f"sent the key in {others} too" if others else ""


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=LINT_TIMEOUT, check=False
    )
