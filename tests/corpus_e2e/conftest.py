"""One generation per corpus document, shared by every test of it, and a table of what each
document reached, printed at the end of the run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from _corpus_summary import print_rows, send_rows
from sdkforge.pipeline import Inputs, run

from .harness import CORPUS, ROOT, Generated, generate_document

_generated: dict[str, Generated] = {}


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Generated]:
    """`name` -> that document generated with our config (once a session)."""

    def get(name: str) -> Generated:
        if not (CORPUS / f"{name}.openapi.yaml").is_file():
            pytest.skip(f"the shared corpus is not present at {CORPUS}")
        if name not in _generated:
            _generated[name] = generate_document(name, tmp_path_factory.mktemp(name))
        return _generated[name]

    return get


@pytest.fixture(scope="session")
def openai_full(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The whole OpenAI document generated with `examples/openai/sdk.yaml`, without
    `--skip-unsupported` (every operation must build): (output folder, package name)."""
    spec = CORPUS / "openai-full.openapi.yaml"
    if not spec.is_file():
        pytest.skip(f"the shared corpus is not present at {CORPUS}")
    out = tmp_path_factory.mktemp("openai-full") / "out"
    output = run(Inputs(spec, ROOT / "examples" / "openai" / "sdk.yaml"))
    for path, text in output.files.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(text, encoding="utf-8")
    assert output.sdk is not None
    return out, output.sdk.package.name


def pytest_sessionfinish(session: pytest.Session) -> None:
    send_rows(session.config, {name: g.numbers for name, g in _generated.items()})


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    print_rows(terminalreporter.write_line, {n: g.numbers for n, g in _generated.items()})
