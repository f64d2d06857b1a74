"""Docstrings from spec text: wrapped for reading, escaped so that no text can break the code.

Whatever a description holds (triple quotes, backslashes, Jinja markers, control characters,
non-ASCII) comes out as a string literal whose value is the same words.
"""

from __future__ import annotations

import functools
import re
import textwrap

WIDTH = 80
_LIST_MARKERS = ("- ", "* ", "+ ")
_QUOTE_RUN = re.compile(r'"(?="|\Z)')


def wrap(text: str, width: int = WIDTH, first_width: int | None = None) -> list[str]:
    """Wrap each paragraph; keep blank lines between paragraphs and list items on their own line.

    `first_width`, when wider than `width`, is the room of the very first line: a hanging
    indent (`  name: text` continued on lines indented further) then fits one width.
    """
    lines: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            joined = " ".join(paragraph)
            hang = max(0, (first_width or width) - width) if not lines else 0
            wrapped = textwrap.wrap(
                joined,
                width + hang,
                subsequent_indent=" " * hang,
                break_long_words=False,
                break_on_hyphens=False,
            )
            lines.extend([line[hang:] if index else line for index, line in enumerate(wrapped)])
            if not wrapped:
                lines.append("")
            paragraph.clear()

    for raw in text.strip().splitlines():
        line = raw.strip()
        if not line:
            flush()
            if lines and lines[-1] != "":
                lines.append("")
        elif line.startswith(_LIST_MARKERS) or line[:2].rstrip(".").isdigit():
            flush()
            paragraph.append(line)
        else:
            paragraph.append(line)
    flush()
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def _escape_code(char: str) -> str:
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


# Escaped: the backslash itself, and what is either invisible or a line break to Python's
# str.splitlines; newlines and tabs stay as they are. One `str.translate` pass: a per-character
# loop was a tenth of the generation time of a large spec.
_ESCAPES = str.maketrans(
    {"\\": "\\\\"}
    | {char: _escape_code(char) for char in map(chr, range(0x20)) if char not in "\n\t"}
    | {char: _escape_code(char) for char in "\x7f\x85\u2028\u2029"}
)


def _escape(text: str) -> str:
    # A quote followed by another quote, or ending the text, is escaped: then no two raw
    # quotes ever stand together, so the text can neither close the literal nor run into
    # the closing quotes.
    return _QUOTE_RUN.sub(r'\\"', text.translate(_ESCAPES))


def literal(lines: list[str], indent: str) -> str:
    """A triple-quoted literal of `lines`, continuation lines indented by `indent`."""
    if not lines:
        return ""
    body = [_escape(line) for line in lines]
    if len(body) == 1:
        return f'"""{body[0]}"""'
    joined = ("\n").join(f"{indent}{line}" if line else "" for line in body[1:])
    return f'"""{body[0]}\n{joined}\n{indent}"""'


# The same descriptions come back for every method that shares a schema, and wrapping is most
# of the cost of a docstring.
@functools.lru_cache(maxsize=4096)
def field_docstring(text: str, indent: str = "    ") -> str:
    return literal(wrap(text, WIDTH - len(indent)), indent)
