"""Errors about the input, each pinned to FILE:LINE:COLUMN.

Every stage reports problems as `Diagnostic`s instead of raising on the first one, so that a
user sees all that is wrong with a spec in one run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{_printable(self.file)}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    location: Location
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.location}: error: {_printable(self.message)}"
        return f"{text} ({_printable(self.hint)})" if self.hint else text


def _printable(text: str) -> str:
    """`text` on one line: messages quote names from the input, which may hold control
    characters or line separators (U+2028, U+001C, ...) that would split the line."""
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


class SpecError(Exception):
    """The input is invalid; carries every problem found, sorted by place."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(set(diagnostics)))
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class Reporter:
    """Collects diagnostics during a stage; `raise_if_any` ends the stage when one was found."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def error(self, location: Location, message: str, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(location, message, hint))

    def raise_if_any(self) -> None:
        if self.diagnostics:
            raise SpecError(self.diagnostics)

    def absorb(self, error: SpecError) -> None:
        """Keep the diagnostics of an error raised for one part and go on with the next."""
        self.diagnostics.extend(error.diagnostics)

    def collect(self, compute: Callable[[], T], fallback: T) -> T:
        """`compute()`, or `fallback` once its errors are kept for the report."""
        try:
            return compute()
        except SpecError as error:
            self.absorb(error)
            return fallback
