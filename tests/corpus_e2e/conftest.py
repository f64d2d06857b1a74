"""One generation per corpus document, shared by every test of it, and a table of what each
document reached, printed at the end of the run."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .harness import CORPUS, Generated, documents, generate_document

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


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _generated:
        return
    columns = ["configured", "generated", "generated tests", "smoke calls", "generation"]
    write = terminalreporter.write_line
    write("")
    write("corpus: " + " | ".join(["document", *columns]))
    for name in documents():
        if name in _generated:
            numbers = _generated[name].numbers
            write("corpus: " + " | ".join([name, *(numbers.get(c, "-") for c in columns)]))
