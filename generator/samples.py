"""Sample values for the generated tests, as data: what to send for each field.

A sample is a Python expression except where it holds a file: the test template decides
how a file is written (its own helper), so a file is a kind of sample of its own.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    kind: str  # 'code' | 'file' | 'list' | 'repeat' | 'object'
    code: str = ""  # the expression, for 'code'; for 'file', the media type as a literal
    items: tuple[Sample, ...] = ()  # a list's items, an object's values, the repeated item
    keys: tuple[str, ...] = ()  # an object's keys, as literals
    count: int = 0  # how many times 'repeat' repeats its item

    def spell(self, file: str) -> str:
        """The expression, with `file` written for each file; a file of a named media type
        puts its literal where `file` says `{media}` (a caller that names no type gets a
        file of its own type)."""
        if self.kind == "file":
            return file.replace("{media}", self.code)
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


def typed_file(media: str) -> Sample:
    """A file that must be sent as `media`."""
    return Sample("file", repr(media))


# Longer samples are written as an expression.
INLINE_LIMIT = 64
NONE = code("None")


def int_or(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def number_sample(value: dict[str, object], integer: bool) -> str:
    low = value.get("minimum")
    high = value.get("maximum")
    sample: float = 1
    # `.inf` and `.nan` are YAML numbers too; neither is a sample a test can send.
    if isinstance(low, (int, float)) and not isinstance(low, bool) and math.isfinite(low):
        sample = max(sample, low)
    if isinstance(high, (int, float)) and not isinstance(high, bool) and math.isfinite(high):
        sample = min(sample, high)
    if integer:
        return str(math.ceil(sample))
    return repr(float(sample))


def string_sample(value: dict[str, object]) -> str:
    if value.get("format") == "uri":
        return repr("https://example.com/image.png")
    text = "string"
    low = int_or(value.get("minLength"), 0)
    high = int_or(value.get("maxLength"), len(text))
    if low > INLINE_LIMIT:
        # Written as an expression: a `minLength: 100000` must not become a 100 kB literal.
        return f'"s" * {low}'
    text = (text * (low // len(text) + 1))[: max(low, min(len(text), high))]
    return json.dumps(text)
