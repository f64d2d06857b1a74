"""The full OpenAI document: which of its operations the generator supports, and why not the rest.

One generator run does it: `write_config` names every operation of the document in a config
(one method a line, as bench/make_specs.py makes it), and `sdkforge generate
--skip-unsupported` on that config leaves out every method whose operation uses something
unsupported, prints each on stderr as `FILE:LINE:COL: skipped RESOURCE.METHOD: reason` (one
line per reason, so several lines may name the same method), exits 0 and generates the rest.
`outcome` reads those lines back: each skipped method is mapped to its operation through the
config, with its reasons; every other operation is supported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from make_specs import config_text, load, operations

SKIPPED = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): skipped (?P<resource>\S+)\.(?P<method>[^.\s]+): "
    r"(?P<reason>.*)$"
)


@dataclass
class Outcome:
    supported: list[dict[str, str]] = field(default_factory=list)
    # (operation, its reasons: each with where in the spec it was found, in brackets)
    skipped: list[tuple[dict[str, str], list[str]]] = field(default_factory=list)
    unmatched: list[str] = field(
        default_factory=list
    )  # `skipped` lines naming no configured method
    error: str = ""  # why the run tells nothing (it failed or timed out)


def write_config(spec: Path, config: Path) -> list[dict[str, str]]:
    """Write a config naming every operation of `spec` to `config`; returns the operations."""
    ops = operations(load(spec))
    config.write_text(config_text(ops)[0], encoding="utf-8")
    return ops


def outcome(ops: list[dict[str, str]], run: Any) -> Outcome:
    """Supported and skipped operations of `ops` (the config's), from `run`: a measure.Run of
    the generator with `--skip-unsupported` on that config, or None when it timed out."""
    if run is None:
        return Outcome(error="the generator timed out")
    if run.returncode != 0:
        lines = [line for line in (run.stderr or run.stdout).splitlines() if line.strip()]
        return Outcome(
            error=f"exit {run.returncode}: " + (lines[-1].strip()[:300] if lines else "no output")
        )
    by_name = {(op["resource"], op["method"]): op for op in ops}
    # method -> reason -> file -> lines
    places: dict[tuple[str, str], dict[str, dict[str, list[str]]]] = {}
    result = Outcome()
    for raw in run.stderr.splitlines():
        match = SKIPPED.match(raw.strip())
        if not match:
            continue
        name = (match["resource"], match["method"])
        if name not in by_name:
            result.unmatched.append(raw.strip())
            continue
        files = places.setdefault(name, {}).setdefault(match["reason"].strip(), {})
        lines = files.setdefault(Path(match["file"]).name, [])
        if match["line"] not in lines:
            lines.append(match["line"])
    for op in ops:
        found = places.get((op["resource"], op["method"]))
        if found is None:
            result.supported.append(op)
        else:
            result.skipped.append(
                (
                    op,
                    [
                        f"{reason} ["
                        + "; ".join(f"{file}:{', '.join(lines)}" for file, lines in files.items())
                        + "]"
                        for reason, files in found.items()
                    ],
                )
            )
    return result
