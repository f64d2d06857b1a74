"""The `layout:` and `keep:` keys of `sdk.yaml`: what the output tree holds, and which of its
files a team has taken over.

layout: package        # project (default): the package with its pyproject, README and
                       # tests; package: the package's own files only, to vendor it
keep:                  # generated files the team edits: written once, then left alone
  - imagesdk/resources/images.py
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .load import PathKey

if TYPE_CHECKING:
    from .config import _ConfigReader

LAYOUTS = ("project", "package")
# Never the team's: sdkforge's records of what it wrote and of the SDK's surface, which
# `check`, `generate` and `diff` read.
_NOT_KEEPABLE = frozenset({".sdkforge-manifest", ".sdkforge-surface.json"})


@dataclass(frozen=True)
class KeepEntry:
    path: str  # relative to the output directory, as the manifest lists it
    where: PathKey  # its entry in the config


def read_layout(reader: _ConfigReader, top: dict[str, Any]) -> str:
    layout = reader.text(top, "layout", (), required=False) or "project"
    if layout not in LAYOUTS:
        close = difflib.get_close_matches(layout, LAYOUTS, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "use project or package"
        reader.error(("layout",), f"unknown layout '{layout}'", hint)
        return "project"
    return layout


def read_keep(reader: _ConfigReader, top: dict[str, Any]) -> tuple[KeepEntry, ...]:
    raw = top.get("keep", [])
    if not isinstance(raw, list):
        reader.error(
            ("keep",),
            "'keep' must be a list of paths",
            "write e.g. `keep: [imagesdk/resources/images.py]`",
        )
        return ()
    entries: list[KeepEntry] = []
    seen: set[str] = set()
    for index, value in enumerate(raw):
        where: PathKey = ("keep", index)
        if not isinstance(value, str) or not value.strip():
            reader.error(where, "a keep entry must be a path", "write the file's path")
            continue
        path = value.strip().removeprefix("./")
        problem = _path_problem(path)
        if problem:
            reader.error(where, f"keep entry '{value}' {problem}", _KEEP_HINT)
        elif path in seen:
            reader.error(where, f"'{path}' is kept twice", "remove one of the entries")
        else:
            seen.add(path)
            entries.append(KeepEntry(path, where))
    return tuple(entries)


_KEEP_HINT = "name a file as `sdkforge check` lists it, relative to --out"


def _path_problem(path: str) -> str:
    parts = path.split("/")
    if path.startswith("/") or "\\" in path or any(p in ("", ".", "..") for p in parts):
        return "is not a plain path relative to the output directory"
    if any(char in path for char in "*?["):
        return "is a pattern; keep names files one by one"
    if path in _NOT_KEEPABLE:
        return "is one of sdkforge's own records"
    return ""
