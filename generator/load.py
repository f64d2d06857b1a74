"""Stage 1: read a YAML file into plain Python data, remembering where every node came from.

PyYAML's `safe_load` forgets positions, so the document is composed into nodes first and
then built by hand, recording the line and column of every mapping key and list item under
its JSON-pointer-like path (a tuple of keys and indices).
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, Location, SpecError
from .load_build import MAX_DEPTH, Builder, TooDeep
from .load_build import PathKey as PathKey  # where every stage finds it

# What YAML counts as a line break, for finding the character at a mark.
_YAML_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


@dataclass(frozen=True)
class Document:
    """A loaded YAML file: its data and the source position of each node."""

    file: str
    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(repr=False)
    text: str = field(default="", repr=False)

    def locate(self, path: PathKey) -> Location:
        """The position of `path`, or of its nearest ancestor that has one."""
        probe = path
        while probe not in self.positions and probe:
            probe = probe[:-1]
        line, column = self.positions.get(probe, (1, 1))
        return Location(self.file, line, column)


# libyaml's parser, where PyYAML was built with it, reads a large spec ten times faster; its
# nodes carry the same marks.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_NO_TIMESTAMPS = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader with no implicit timestamps: a date in a spec is text, not a `datetime`."""

    yaml_implicit_resolvers = _NO_TIMESTAMPS

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._tags: dict[tuple[str, bool, bool], str] = {}

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        """A plain scalar's tag depends on its text alone (no path resolvers are set), and
        a spec repeats the same few words thousands of times: each is matched once."""
        if kind is not yaml.ScalarNode:
            return str(super().resolve(kind, value, implicit))
        key = (value, *implicit)
        tag = self._tags.get(key)
        if tag is None:
            tag = self._tags[key] = str(super().resolve(kind, value, implicit))
        return tag


class _ExactLoader(yaml.SafeLoader):
    """The pure-Python parser, for what libyaml refuses and YAML allows: a surrogate pair
    written as two escapes (`"\\ud83e\\udd8a"`), as `json.dumps` writes any character
    beyond U+FFFF."""

    yaml_implicit_resolvers = _NO_TIMESTAMPS


def _too_deep(name: str, mark: yaml.Mark) -> SpecError:
    return SpecError(
        [
            Diagnostic(
                Location(name, mark.line + 1, mark.column + 1),
                f"YAML nested deeper than {MAX_DEPTH} levels",
                "flatten the document: move nested schemas to components and $ref them",
            )
        ]
    )


def load_yaml(path: Path, display_name: str | None = None) -> Document:
    name = display_name or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError(
            [
                Diagnostic(
                    Location(name, 1, 1), f"cannot read file: {exc.strerror}", "check the path"
                )
            ]
        ) from None
    return parse_yaml(decode_utf8(raw, name), name)


def decode_utf8(raw: bytes, name: str) -> str:
    """`raw` as text, or a SpecError at the line and column of the first byte that is not
    UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise SpecError(
            [
                Diagnostic(
                    Location(name, line, column),
                    f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                    "save it as UTF-8",
                )
            ]
        ) from None


def parse_yaml(text: str, name: str) -> Document:
    # Loading allocates an object or more per node and frees none: the garbage collector's
    # passes over them found nothing and were more than half the time of a 10 MB spec.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parse_yaml(text, name)
    finally:
        if collecting:
            gc.enable()


def _parse_yaml(text: str, name: str) -> Document:
    try:
        return _parse_with(_Loader, text, name)
    except SpecError as error:
        if _BaseLoader is yaml.SafeLoader or not any(
            "invalid Unicode character escape" in d.message for d in error.diagnostics
        ):
            raise
    return _parse_with(_ExactLoader, text, name)


def _parse_with(loader_class: type[yaml.SafeLoader], text: str, name: str) -> Document:
    loader: yaml.SafeLoader | None = None
    try:
        # The reader checks every character up front, so even this can raise a YAMLError.
        loader = loader_class(text)
        builder = Builder(loader, name)
        found, data = builder.document()
        if not found:
            raise SpecError(
                [Diagnostic(Location(name, 1, 1), "document is empty", "write the YAML content")]
            )
    except TooDeep as exc:
        raise _too_deep(name, exc.mark) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        context = exc.context_mark
        if (
            exc.problem
            and exc.context
            and context
            and (context.line, context.column) != (line - 1, column - 1)
        ):
            # e.g. where the quoted string that never ends begins.
            problem += f", {exc.context} at line {context.line + 1}, column {context.column + 1}"
        lines = _YAML_LINE_BREAK.split(text)
        if 0 < line <= len(lines) and lines[line - 1][column - 1 : column] == "\t":
            # The most common cause by far, and neither parser names the character.
            raise SpecError(
                [
                    Diagnostic(
                        Location(name, line, column),
                        "YAML syntax: a tab character cannot indent YAML",
                        "indent with spaces",
                    )
                ]
            ) from None
        raise SpecError(
            [Diagnostic(Location(name, line, column), f"YAML syntax: {problem}", "fix the YAML")]
        ) from None
    except yaml.reader.ReaderError as exc:
        # A character YAML does not allow (NUL, other C0 controls, ...): say which and where.
        before = text[: exc.position]
        line = before.count("\n") + 1
        column = exc.position - (before.rfind("\n") + 1) + 1
        raise SpecError(
            [
                Diagnostic(
                    Location(name, line, column),
                    f"YAML does not allow the character U+{exc.character:04X}",
                    "remove it, or write it as an escape in a double-quoted string",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise SpecError(
            [Diagnostic(Location(name, 1, 1), f"YAML: {exc}", "fix the YAML")]
        ) from None
    finally:
        if loader is not None:
            loader.dispose()
    builder.raise_if_errors()
    return Document(name, data, builder.positions, text)
