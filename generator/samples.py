"""Sample values for the generated tests, as data: what to send for each field.

A sample is a Python expression except where it holds a file: the test template decides
how a file is written (its own helper), so a file is a kind of sample of its own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    kind: str  # 'code' | 'file' | 'list' | 'repeat' | 'object'
    code: str = ""  # the expression, for 'code'
    items: tuple[Sample, ...] = ()  # a list's items, an object's values, the repeated item
    keys: tuple[str, ...] = ()  # an object's keys, as literals
    count: int = 0  # how many times 'repeat' repeats its item

    def spell(self, file: str) -> str:
        """The expression, with `file` written for each file."""
        if self.kind == "file":
            return file
        if self.kind == "list":
            return "[" + ", ".join(item.spell(file) for item in self.items) + "]"
        if self.kind == "repeat":
            return f"[{self.items[0].spell(file)}] * {self.count}"
        if self.kind == "object":
            pairs = zip(self.keys, self.items, strict=True)
            return "{" + ", ".join(f"{key}: {value.spell(file)}" for key, value in pairs) + "}"
        return self.code


def code(expression: str) -> Sample:
    return Sample("code", expression)


FILE = Sample("file")
NONE = code("None")
