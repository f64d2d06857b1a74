"""One generation per corpus document, shared by every test of it, and a table of what each
document reached, printed at the end of the run."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from _corpus_summary import print_rows, send_rows

from .harness import CORPUS, Generated, generate_document

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


def pytest_sessionfinish(session: pytest.Session) -> None:
    send_rows(session.config, {name: g.numbers for name, g in _generated.items()})


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    print_rows(terminalreporter.write_line, {n: g.numbers for n, g in _generated.items()})
