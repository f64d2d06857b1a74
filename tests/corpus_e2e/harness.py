"""What the corpus end-to-end tests share: each document of the shared corpus generated once
with our config, what we expect of it (`tests/corpus/<name>/expect.yaml`), a Steady mock
server, and the checks of a generated method's answer.

Nothing generated here is kept: every package goes to a pytest temporary folder.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import sys
import tempfile
import time
import types
import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import yaml
from sdkforge.build import MethodSkip, context
from sdkforge.config import read_config
from sdkforge.diagnostics import Reporter, SpecError
from sdkforge.merge import build_resources
from sdkforge.model import Method, Resource, Sdk
from sdkforge.pipeline import Inputs, load_inputs, run

ROOT = Path(__file__).resolve().parent.parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
CONFIGS = ROOT / "tests" / "corpus"
MOCK_SERVER = ROOT / "templates" / "tests" / "_mock_server.py"
STEADY = ROOT / "node_modules" / ".bin" / "steady"
KEY = "corpus-test-key"
# The merge's error when nothing is left to generate; the skipped methods are then all of them.
NOTHING_LEFT = "every configured method was skipped as unsupported"
# The smallest valid PNG, sent for every file argument.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
FILE = ("image.png", PNG, "image/png")


def documents() -> list[str]:
    """Every document we keep a config for, in name order."""
    return sorted(p.parent.name for p in CONFIGS.glob("*/sdk.yaml"))


@dataclass(frozen=True)
class Expect:
    """What `expect.yaml` says of one document's client."""

    auth_header: str | None  # the header each operation's credential goes in; None: no auth
    auth_value: str  # its value, `{key}` standing for the API key
    unsupported: dict[str, str]  # resource.method -> why it cannot be generated yet
    # test (lint, generated_tests, smoke) -> why it fails now: a strict xfail, so that it
    # fails again the day it passes and the entry is taken off
    known_failures: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, name: str) -> Expect:
        data = yaml.safe_load((CONFIGS / name / "expect.yaml").read_text(encoding="utf-8"))
        auth = data.get("auth") or {}
        return cls(
            auth.get("header"),
            auth.get("value", "{key}"),
            data.get("unsupported") or {},
            data.get("known_failures") or {},
        )


def configured_methods(config: dict[str, Any], parent: str = "") -> list[str]:
    """`resource.method` of every method a config names, nested resources' too."""
    found = []
    for name, body in (config.get("resources") or {}).items():
        found += [f"{parent}{name}.{method}" for method in body.get("methods") or {}]
        found += configured_methods(body, f"{parent}{name}.")
    return found


@dataclass
class Generated:
    """One document generated with our config, the unsupported methods left out."""

    name: str
    expect: Expect
    configured: list[str]
    skipped: dict[str, str]  # resource.method -> the first reason, as the generator says it
    seconds: float  # the generator's run
    out: Path | None = None  # None when no method could be generated
    sdk: Sdk | None = None  # the generator's model of it
    numbers: dict[str, str] = field(default_factory=dict)  # for the summary table

    def __post_init__(self) -> None:
        self.numbers["configured"] = str(len(self.configured))
        self.numbers["generated"] = str(len(self.configured) - len(self.skipped))
        self.numbers["generation"] = f"{self.seconds:.1f} s"

    @property
    def methods(self) -> list[tuple[Resource, Method]]:
        if self.sdk is None:
            return []
        return [(r, m) for r in self.sdk.resources for m in r.methods]

    @property
    def spec(self) -> Path:
        return CORPUS / f"{self.name}.openapi.yaml"


def generate_document(name: str, folder: Path) -> Generated:
    """Generate `name` under --skip-unsupported, recording which methods were left out, so
    that the tests can hold that list against the expected one."""
    spec, config = CORPUS / f"{name}.openapi.yaml", CONFIGS / name / "sdk.yaml"
    configured = configured_methods(yaml.safe_load(config.read_text(encoding="utf-8")))
    inputs = Inputs(spec, config, skip_unsupported=True)
    started = time.perf_counter()
    try:
        output = run(inputs)
        files, skipped, sdk = output.files, output.skipped, output.sdk
    except SpecError as error:
        if not any(d.message == NOTHING_LEFT for d in error.diagnostics):
            raise AssertionError(f"{name} does not generate:\n{error}") from None
        seconds = time.perf_counter() - started
        return Generated(name, Expect.read(name), configured, _build_skips(inputs), seconds)
    seconds = time.perf_counter() - started
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")
    reasons = {s.method: s.reasons[0].message if s.reasons else "" for s in skipped}
    return Generated(name, Expect.read(name), configured, reasons, seconds, folder, sdk)


def _build_skips(inputs: Inputs) -> dict[str, str]:
    """The methods the build stage skips, with their first reasons: what is left of them when
    the run as a whole fails because nothing is left to generate."""
    spec, config_document = load_inputs(inputs)
    ctx = context(spec, read_config(config_document, Reporter()))
    return {
        result.qualified: result.reasons[0].message
        for resource in build_resources(ctx)
        for result in resource.methods
        if isinstance(result, MethodSkip)
    }


@contextlib.contextmanager
def imported(generated: Generated) -> Iterator[ModuleType]:
    """The generated package, imported from its folder and forgotten afterwards, so that it
    never meets another test's package of the same name."""
    assert generated.out is not None and generated.sdk is not None
    package = generated.sdk.package.name
    root = generated.out / package
    found = importlib.util.spec_from_file_location(
        package, root / "__init__.py", submodule_search_locations=[str(root)]
    )
    assert found is not None and found.loader is not None
    saved = {n: m for n, m in sys.modules.items() if n == package or n.startswith(f"{package}.")}
    for name in saved:
        del sys.modules[name]
    module = importlib.util.module_from_spec(found)
    sys.modules[package] = module
    try:
        found.loader.exec_module(module)
        yield module
    finally:
        for name in [n for n in sys.modules if n == package or n.startswith(f"{package}.")]:
            del sys.modules[name]
        sys.modules.update(saved)


def _mock_server_module() -> ModuleType:
    found = importlib.util.spec_from_file_location("_corpus_mock_server", MOCK_SERVER)
    assert found is not None and found.loader is not None
    module = importlib.util.module_from_spec(found)
    found.loader.exec_module(module)
    return module


@contextlib.contextmanager
def steady(spec: Path) -> Iterator[str]:
    """A Steady mock server of `spec` on 127.0.0.1, started as the generated tests start
    theirs (the same arguments); yields its base URL."""
    server = _mock_server_module()
    with tempfile.TemporaryDirectory(prefix="corpus-steady-") as logs:
        process, url = server._start(STEADY, spec, Path(logs))
        try:
            yield url
        finally:
            server._stop(process)


class Recorder(httpx.BaseTransport):
    """A transport that keeps each request and the bytes the server answered with."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.exchanges: list[tuple[httpx.Request, bytes]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        body = response.read()
        response.close()
        self.exchanges.append((request, body))
        # read() undid any content encoding: the copy must not claim one.
        headers = [(k, v) for k, v in response.headers.multi_items() if k != "content-encoding"]
        return httpx.Response(response.status_code, headers=headers, content=body)

    def close(self) -> None:
        self.inner.close()


class AsyncRecorder(httpx.AsyncBaseTransport):
    """`Recorder` for the async client."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.exchanges: list[tuple[httpx.Request, bytes]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        await response.aclose()
        self.exchanges.append((request, body))
        headers = [(k, v) for k, v in response.headers.multi_items() if k != "content-encoding"]
        return httpx.Response(response.status_code, headers=headers, content=body)

    async def aclose(self) -> None:
        await self.inner.aclose()


def bound_method(client: object, resource: Resource, method: Method) -> Any:
    target = client
    for part in resource.name.split("."):
        target = getattr(target, part)
    return getattr(target, method.name)


def sample_arguments(method: Method) -> dict[str, Any]:
    """The required arguments with the samples the generated tests send."""
    call = method.required_call("FILE")
    return dict(eval(f"dict({call})", {"FILE": FILE}))  # our own sample code


def return_annotation(
    package: ModuleType, resource: Resource, method: Method, is_async: bool = False
) -> Any:
    """The method's return annotation, evaluated where the resource module defines it (with
    the names it imports only for type checking)."""
    module = importlib.import_module(f"{package.__name__}.resources.{resource.module}")
    owner = resource.async_class if is_async else resource.sync_class
    function = getattr(getattr(module, owner), method.name)
    annotation = function.__annotations__["return"]
    if not isinstance(annotation, str):
        return annotation
    namespace = dict(vars(module))
    source = Path(module.__file__ or "").read_text(encoding="utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            exec(compile(ast.Module(node.body, []), module.__file__ or "", "exec"), namespace)
    return eval(annotation, namespace)  # the generated code's annotation


def awaited(package: ModuleType, annotation: Any) -> Any:
    """What awaiting a value of `annotation` gives: an async method's result, or the first
    page of a list that pages (an `AsyncPageRequest[T]` gives an `AsyncPage[T]`)."""
    if typing.get_origin(annotation) is package.AsyncPageRequest:
        return package.AsyncPage[typing.get_args(annotation)]
    return annotation


def matches(value: object, annotation: Any) -> bool:
    """Whether `value` is of the annotated type, as far as a run-time check can tell: models
    by class, lists item by item, a page by its class and the items of its first page."""
    if annotation is None or annotation is type(None):
        return value is None
    if annotation is Any or annotation is object:
        return True
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(matches(value, arg) for arg in args)
    if origin is typing.Literal:
        return value in args
    if origin in (list, tuple, Sequence):
        return isinstance(value, (list, tuple)) and all(matches(i, args[0]) for i in value)
    if origin is dict:
        return isinstance(value, dict)
    if origin is not None:
        items = getattr(value, "data", [])
        return isinstance(value, origin) and all(matches(i, args[0]) for i in items)
    return isinstance(value, annotation)
