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
from collections.abc import Collection
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


def change_one_response_schema(spec: Path, changed: Path, skip: Collection[str] = ()) -> str:
    """Write `spec` to `changed` with the description of one response schema edited: the
    first component that a JSON response of an operation `$ref`s directly, whose
    description is one plain line, and that no method of `skip` (`resource.method`) needs.
    Only that line differs, so the rest of the document is byte for byte the same. Returns
    the schema's name."""
    text = spec.read_text(encoding="utf-8")
    document = load(spec)
    schemas = document.get("components", {}).get("schemas", {})
    for op in operations(document):
        if f"{op['resource']}.{op['method']}" in skip:
            continue
        operation = document["paths"][op["path"]][op["verb"]]
        for response in (operation.get("responses") or {}).values():
            for media in ((response or {}).get("content") or {}).values():
                ref = ((media or {}).get("schema") or {}).get("$ref", "")
                name = ref.removeprefix("#/components/schemas/")
                if ref.startswith("#/components/schemas/") and name in schemas:
                    edited = _edit_description(text, name)
                    if edited is not None:
                        changed.write_text(edited, encoding="utf-8")
                        return name
    raise ValueError(f"{spec}: no response schema with a one-line description")


def _edit_description(text: str, name: str) -> str | None:
    """`text` with " (edited)" added to the top-level description of schema `name`."""
    lines = text.splitlines(keepends=True)
    header = re.compile(rf"^(\s+){re.escape(name)}:\s*$")
    for index, line in enumerate(lines):
        match = header.match(line)
        if not match:
            continue
        indent = match.group(1)
        for inner in range(index + 1, len(lines)):
            body = lines[inner]
            if body.strip() and len(body) - len(body.lstrip()) <= len(indent):
                break  # the schema ended
            stripped = body.rstrip("\n")
            key = re.match(r"^(\s+)description: (.*)$", stripped)
            if key and len(key.group(1)) == len(indent) + 2:
                value = key.group(2)
                if not value or value[0] in "|>'\"&*!%@`{[" or value.endswith(":"):
                    return None
                lines[inner] = f"{stripped} (edited)\n"
                return "".join(lines)
    return None
