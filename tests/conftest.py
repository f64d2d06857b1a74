"""Shared fixtures for the generator's own tests.

Everything here is about running sdkforge itself; tests of a generated package live beside
that package (`generated/tests/`) and bring their own conftest.
"""

from __future__ import annotations

import ast
import contextlib
import io
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from _corpus_summary import keep_rows, print_rows
from _generate import FullOpenAI, use_mypy_cache_root
from _trees import read_tree
from sdkforge.cli import main as cli_main
from sdkforge.pipeline import Inputs, generate_files

REPO_ROOT = Path(__file__).resolve().parent.parent

# The expected trees are generator output, not tests: pytest must not collect the
# generated packages' own tests and conftests found inside them.
collect_ignore = ["golden"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite tests/golden/<case>/expected/ from the current generator instead of "
        "comparing against it",
    )


# The corpus end-to-end module parametrizes every test by document; under --dist loadscope
# its tests would all be one unit of work, a document after another on one worker.
_BY_DOCUMENT = "tests/corpus_e2e/test_corpus_e2e.py::"


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """pytest-xdist's loadscope, but a corpus document's tests are a unit of their own: they
    share that document's generation (tests/corpus_e2e/conftest.py), not one another's."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class _Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = str(super()._split_scope(nodeid))
            if nodeid.startswith(_BY_DOCUMENT) and nodeid.endswith("]") and "[" in nodeid:
                return f"{scope}[{nodeid.rpartition('[')[2]}"
            return scope

    return _Scheduling(config, log)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """A pytest-xdist worker finished: keep the corpus rows it sent."""
    keep_rows(node)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Under pytest-xdist, the corpus table the workers sent (tests/corpus_e2e/conftest.py
    prints it in a run without workers)."""
    print_rows(terminalreporter.write_line, {})


@pytest.fixture(scope="session", autouse=True)
def _mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The tests' mypy runs share caches in this session's (this worker's) temporary folder."""
    use_mypy_cache_root(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def project_inputs() -> Inputs:
    """The project's own spec and config (spec/openapi.yaml, spec/sdk.yaml)."""
    return Inputs(REPO_ROOT / "spec" / "openapi.yaml", REPO_ROOT / "spec" / "sdk.yaml")


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run `sdkforge ARGS` in-process; returns exit code and captured output."""

    def run(*args: str | Path) -> CliResult:
        capsys.readouterr()
        try:
            code = cli_main([str(arg) for arg in args])
        except SystemExit as exit_:  # argparse usage errors
            code = exit_.code if isinstance(exit_.code, int) else 2
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def write_inputs(tmp_path: Path) -> Callable[..., Inputs]:
    """Write an inline spec and config (dedented) into tmp_path; returns their Inputs."""

    def write(spec: str, config: str, name: str = "case") -> Inputs:
        folder = tmp_path / name
        folder.mkdir(parents=True, exist_ok=True)
        spec_path = folder / "openapi.yaml"
        config_path = folder / "sdk.yaml"
        spec_path.write_text(textwrap.dedent(spec), encoding="utf-8")
        config_path.write_text(textwrap.dedent(config), encoding="utf-8")
        return Inputs(spec_path, config_path)

    return write


@pytest.fixture(scope="session")
def project_output(
    tmp_path_factory: pytest.TempPathFactory, project_inputs: Inputs
) -> Iterator[Path]:
    """The project's spec generated once, with the real CLI, into a session tmp dir."""
    out = tmp_path_factory.mktemp("project") / "out"
    code = cli_main(
        [
            "generate",
            "--spec",
            str(project_inputs.spec),
            "--config",
            str(project_inputs.config),
            "--out",
            str(out),
        ]
    )
    assert code == 0, "generating the project's own spec failed"
    yield out


@pytest.fixture(scope="session")
def openai_full_every_method(tmp_path_factory: pytest.TempPathFactory) -> FullOpenAI:
    document = REPO_ROOT.parent / "shared" / "corpus" / "openai-full.openapi.yaml"
    if not document.exists():
        pytest.skip(f"{document} is not present on this machine")
    from sdkforge.naming import snake_case

    spec = yaml.load(document.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    resources: dict[str, dict[str, dict[str, str]]] = {}
    for path, item in spec["paths"].items():
        for verb, operation in item.items():
            if verb in ("get", "post", "put", "patch", "delete"):
                resource = snake_case(path.strip("/").split("/")[0])
                name = snake_case(operation["operationId"])
                resources.setdefault(resource, {"methods": {}})["methods"][name] = f"{verb} {path}"
    folder = tmp_path_factory.mktemp("openai-full")
    config = folder / "sdk.yaml"
    client = {"sync": "Client", "async": "AsyncClient", "api_key_env": "OPENAI_API_KEY"}
    config.write_text(
        yaml.safe_dump({"package": "openaisdk", "client": client, "resources": resources}),
        encoding="utf-8",
    )
    out = folder / "out"
    command = ["generate", "--spec", str(document), "--config", str(config)]
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = cli_main([*command, "--out", str(out), "--skip-unsupported"])
    assert code == 0, err.getvalue()[-2000:]
    return FullOpenAI(document, config, out, err.getvalue())


@pytest.fixture(scope="session")
def tree_reader() -> Callable[[Path], dict[str, str]]:
    return read_tree


@pytest.fixture(scope="session")
def files_for() -> Callable[[Inputs], dict[str, str]]:
    """The generator's in-process pipeline: Inputs -> {relative path: content}."""
    return generate_files


# -- TARGET.md's params modules, as data ---------------------------------------------------
# Copied from /work/shared/reference/TARGET.md ("Params TypedDicts" and "Field sets"); the
# value lists TARGET.md does not spell out (background, moderation, output_format) come from
# the reference document beside it. Fields are in TARGET's order: required first, then the
# optional ones alphabetically.

_SIZES_GENERATE = (
    '"auto", "1024x1024", "1536x1024", "1024x1536", "256x256", "512x512", "1792x1024", "1024x1792"'
)
_SIZES_EDIT = '"256x256", "512x512", "1024x1024", "1536x1024", "1024x1536", "auto"'
_MODEL = "Union[str, ImageModel, None]"
_RESPONSE_FORMAT = 'Optional[Literal["url", "b64_json"]]'
_BACKGROUND = 'Optional[Literal["transparent", "opaque", "auto"]]'
_OUTPUT_FORMAT = 'Optional[Literal["png", "jpeg", "webp"]]'


@dataclass(frozen=True)
class ParamsClass:
    bases: str  # as written in the class statement
    fields: tuple[tuple[str, str], ...]  # (name, annotation) in order


@dataclass(frozen=True)
class ParamsModule:
    path: str  # relative to the package
    classes: dict[str, ParamsClass]
    alias: tuple[str, str] | None  # (name, value) the module ends with


def _streaming(prefix: str, path: str, fields: tuple[tuple[str, str], ...]) -> ParamsModule:
    base = f"{prefix}ParamsBase"
    return ParamsModule(
        path=path,
        classes={
            base: ParamsClass("TypedDict, total=False", fields),
            f"{prefix}ParamsNonStreaming": ParamsClass(
                f"{base}, total=False", (("stream", "Optional[Literal[False]]"),)
            ),
            f"{prefix}ParamsStreaming": ParamsClass(base, (("stream", "Required[Literal[True]]"),)),
        },
        alias=(f"{prefix}Params", f"Union[{prefix}ParamsNonStreaming, {prefix}ParamsStreaming]"),
    )


TARGET_PARAMS = (
    _streaming(
        "ImageGenerate",
        "types/image_generate_params.py",
        (
            ("prompt", "Required[str]"),
            ("background", _BACKGROUND),
            ("model", _MODEL),
            ("moderation", 'Optional[Literal["low", "auto"]]'),
            ("n", "Optional[int]"),
            ("output_compression", "Optional[int]"),
            ("output_format", _OUTPUT_FORMAT),
            ("partial_images", "Optional[int]"),
            ("quality", 'Optional[Literal["standard", "hd", "low", "medium", "high", "auto"]]'),
            ("response_format", _RESPONSE_FORMAT),
            # an open enum: newer models also take free WIDTHxHEIGHT strings
            ("size", f"Union[str, Literal[{_SIZES_GENERATE}], None]"),
            ("style", 'Optional[Literal["vivid", "natural"]]'),
            ("user", "str"),  # may be absent, never null
        ),
    ),
    _streaming(
        "ImageEdit",
        "types/image_edit_params.py",
        (
            ("image", "Required[Union[FileTypes, SequenceNotStr[FileTypes]]]"),
            ("prompt", "Required[str]"),
            ("background", _BACKGROUND),
            ("input_fidelity", 'Optional[Literal["high", "low"]]'),
            ("mask", "FileTypes"),
            ("model", _MODEL),
            ("n", "Optional[int]"),
            ("output_compression", "Optional[int]"),
            ("output_format", _OUTPUT_FORMAT),
            ("partial_images", "Optional[int]"),
            ("quality", 'Optional[Literal["standard", "low", "medium", "high", "auto"]]'),
            ("response_format", _RESPONSE_FORMAT),
            # TARGET lists the values; the newest API (corpus) makes it open, as for generate
            ("size", f"Union[str, Literal[{_SIZES_EDIT}], None]"),
            ("user", "str"),
        ),
    ),
    ParamsModule(
        path="types/image_create_variation_params.py",
        classes={
            "ImageCreateVariationParams": ParamsClass(
                "TypedDict, total=False",
                (
                    ("image", "Required[FileTypes]"),
                    ("model", _MODEL),
                    ("n", "Optional[int]"),
                    ("response_format", _RESPONSE_FORMAT),
                    ("size", 'Optional[Literal["256x256", "512x512", "1024x1024"]]'),
                    ("user", "str"),
                ),
            )
        },
        alias=None,
    ),
)


@pytest.fixture(scope="session")
def target_params() -> tuple[ParamsModule, ...]:
    return TARGET_PARAMS


def normalise_annotation(annotation: str) -> str:
    """One spelling per annotation: quotes, spaces and line breaks do not matter."""
    return ast.unparse(ast.parse(annotation, mode="eval"))


@dataclass(frozen=True)
class ParsedModule:
    """What a generated params module defines, read with `ast` (never imported)."""

    classes: dict[str, ParamsClass]
    docstrings: dict[tuple[str, str], str | None]  # (class, field) -> the literal below it
    alias: tuple[str, str] | None  # a trailing `Name = value`, if the module ends with one
    imports: dict[str, str]  # imported name -> module ('.._types' for relative ones)
    future_annotations: bool


def parse_params_module(source: str) -> ParsedModule:
    tree = ast.parse(source)
    classes: dict[str, ParamsClass] = {}
    docstrings: dict[tuple[str, str], str | None] = {}
    imports: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            imports.update({alias.asname or alias.name: module for alias in node.names})
        if not isinstance(node, ast.ClassDef):
            continue
        bases = ", ".join([*map(ast.unparse, node.bases), *map(ast.unparse, node.keywords)])
        fields = []
        for index, statement in enumerate(node.body):
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                name = statement.target.id
                fields.append((name, normalise_annotation(ast.unparse(statement.annotation))))
                after = node.body[index + 1] if index + 1 < len(node.body) else None
                docstrings[(node.name, name)] = (
                    after.value.value
                    if isinstance(after, ast.Expr)
                    and isinstance(after.value, ast.Constant)
                    and isinstance(after.value.value, str)
                    else None
                )
        classes[node.name] = ParamsClass(bases, tuple(fields))
    last = tree.body[-1] if tree.body else None
    alias = None
    if (
        isinstance(last, ast.Assign)
        and len(last.targets) == 1
        and isinstance(last.targets[0], ast.Name)
    ):
        alias = (last.targets[0].id, normalise_annotation(ast.unparse(last.value)))
    future = any(
        isinstance(n, ast.ImportFrom)
        and n.module == "__future__"
        and any(a.name == "annotations" for a in n.names)
        for n in tree.body
    )
    return ParsedModule(classes, docstrings, alias, imports, future)


@pytest.fixture(scope="session")
def params_parser() -> Callable[[str], ParsedModule]:
    return parse_params_module


@pytest.fixture(scope="session")
def annotation_normaliser() -> Callable[[str], str]:
    return normalise_annotation
