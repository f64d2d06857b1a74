"""The table of what each corpus document reached (tests/corpus_e2e/), printed at the end of
the run. Under pytest-xdist the tests run in worker processes: each worker sends its rows to
the controlling process (`send_rows`), which prints them (`keep_rows`, then `print_rows`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

COLUMNS = ["configured", "generated", "generated tests", "smoke calls", "generation"]
_KEY = "corpus_e2e_rows"
_from_workers: dict[str, dict[str, str]] = {}
_printed: list[bool] = []  # both conftests may ask: the table is printed once


def send_rows(config: pytest.Config, rows: Mapping[str, Mapping[str, str]]) -> None:
    """In an xdist worker, hand `rows` (document -> column -> text) to the controller."""
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput[_KEY] = {name: dict(row) for name, row in rows.items()}


def keep_rows(node: Any) -> None:
    """In the controller, keep the rows a finished worker sent."""
    _from_workers.update(getattr(node, "workeroutput", {}).get(_KEY, {}))


def print_rows(write: Callable[[str], None], rows: Mapping[str, Mapping[str, str]]) -> None:
    """The table, a document a line in name order; nothing when no document ran."""
    rows = {**_from_workers, **rows}
    if not rows or _printed:
        return
    _printed.append(True)
    write("")
    write("corpus: " + " | ".join(["document", *COLUMNS]))
    for name in sorted(rows):
        write("corpus: " + " | ".join([name, *(rows[name].get(c, "-") for c in COLUMNS)]))
