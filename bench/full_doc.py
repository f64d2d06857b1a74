"""The full OpenAI document: which of its operations the generator supports, and why not the rest.

The generator stops with exit 2 when any configured operation is unsupported, after printing
every problem as `FILE:LINE:COL: error: ...`. So the config starts with every operation, and
each round drops the operations that the errors point at and runs again, until generation
succeeds (or an error points at no operation). An error is pinned to an operation when it is
located
- in the config: on that operation's line;
- in the spec, inside an operation (paths/<path>/<verb>): that operation;
- in the spec, inside a component (components/<kind>/<name>): every remaining operation that
  reaches that component through `$ref`s (they all fail on it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from make_specs import VERBS, Loader, config_text, operations

DIAGNOSTIC = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): error: (?P<message>.*)$")
COMPONENT_REF = re.compile(r"^#/components/([^/]+)/([^/]+)$")
Key = tuple[str, str]  # (verb, path) of an operation, or ("components/<kind>", name)


@dataclass
class Outcome:
    supported: list[dict[str, str]] = field(default_factory=list)
    skipped: list[tuple[dict[str, str], str]] = field(default_factory=list)  # (operation, reason)
    rounds: int = 0
    runs: int = 0
    stuck: list[str] = field(default_factory=list)  # errors that point at no operation
    undetermined: list[dict[str, str]] = field(default_factory=list)  # when the search gave up
    first_run: Any = None  # measure.Run of the run with every operation


class _Map:
    """Which source lines belong to which operation or component, and what each reaches."""

    def __init__(self, text: str, data: dict[str, Any]) -> None:
        root = yaml.compose(text, Loader=Loader)
        assert root is not None, "the document is empty"
        self.spans: list[tuple[int, int, Key]] = []
        for key_node, item in _pairs(root, "paths"):
            self._span(item, ("path", key_node.value))
            for verb_node, op in item.value if isinstance(item, yaml.MappingNode) else []:
                if verb_node.value in VERBS:
                    self._span(op, (verb_node.value, key_node.value))
        for kind_node, kind in _pairs(root, "components"):
            for name_node, node in kind.value if isinstance(kind, yaml.MappingNode) else []:
                self._span(node, (f"components/{kind_node.value}", name_node.value))
        self.components = {(f"components/{kind}", name): node
                           for kind, group in data.get("components", {}).items()
                           if isinstance(group, dict) for name, node in group.items()}
        self.data = data

    def _span(self, node: yaml.Node, key: Key) -> None:
        # As 1-based lines: a block node starts on the line after its key (0-based: the key's
        # own line) and ends where the next key starts (0-based: its own last line).
        self.spans.append((node.start_mark.line, node.end_mark.line, key))

    def owner(self, line: int) -> Key | None:
        """The innermost path item, operation or component holding 1-based `line`."""
        holding = [(start, key) for start, end, key in self.spans if start <= line <= end]
        return max(holding)[1] if holding else None

    def reaches(self, op: dict[str, str]) -> set[Key]:
        operation = self.data["paths"][op["path"]][op["verb"]]
        seen: set[Key] = set()
        todo = list(_refs(operation))
        while todo:
            key = todo.pop()
            if key not in seen and key in self.components:
                seen.add(key)
                todo.extend(_refs(self.components[key]))
        return seen


def _pairs(root: yaml.Node, key: str) -> list[tuple[yaml.Node, yaml.Node]]:
    for key_node, value in root.value if isinstance(root, yaml.MappingNode) else []:
        if key_node.value == key and isinstance(value, yaml.MappingNode):
            return list(value.value)
    return []


def _refs(node: Any) -> Iterator[Key]:
    if isinstance(node, dict):
        for key, value in node.items():
            match = COMPONENT_REF.match(value) if key == "$ref" and isinstance(value, str) else None
            if match:
                yield (f"components/{match[1]}", match[2].replace("~1", "/").replace("~0", "~"))
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


class _Search:
    def __init__(self, spec: Path, work: Path, run: Callable[[Path], Any],
                 progress: Callable[[str], None]) -> None:
        text = spec.read_text(encoding="utf-8")
        self.data = yaml.load(text, Loader=Loader)
        self.map = _Map(text, self.data)
        self.spec_name = spec.name
        self.work = work
        self.run = run
        self.progress = progress
        self.runs = 0
        self.first_run: Any = None
        self.reach: dict[Key, set[Key]] = {}

    def attempt(self, ops: list[dict[str, str]]) -> tuple[Any, dict[int, str], list[str]]:
        """Run the generator on `ops`: its run, index in `ops` -> reason, unpinned errors."""
        self.runs += 1
        config_path = self.work / f"sdk.run{self.runs}.yaml"
        config, lines = config_text(ops)
        config_path.write_text(config, encoding="utf-8")
        result = self.run(config_path)
        if self.first_run is None:
            self.first_run = result
        if result is None:
            return None, {}, ["the generator timed out"]
        if result.returncode == 0:
            return result, {}, []
        reasons: dict[int, str] = {}
        stuck: list[str] = []
        index_of = {id(op): i for i, op in enumerate(ops)}
        for raw in result.stderr.splitlines():
            match = DIAGNOSTIC.match(raw.strip())
            if not match:
                continue
            hit, message = self._pin(match, config_path, lines, ops, index_of)
            if not hit:
                stuck.append(match["message"].strip())
            for i in hit:
                reasons.setdefault(i, message)
        if not reasons and not stuck:
            output = (result.stderr or result.stdout).strip().splitlines()
            stuck.append(f"exit {result.returncode}: " + (output[-1] if output else "no output"))
        return result, reasons, stuck

    def _pin(self, match: re.Match[str], config_path: Path, lines: dict[int, dict[str, str]],
             ops: list[dict[str, str]], index_of: dict[int, int]) -> tuple[list[int], str]:
        line, message = int(match["line"]), match["message"].strip()
        if Path(match["file"]).name == config_path.name:
            return ([index_of[id(lines[line])]] if line in lines else []), message
        if Path(match["file"]).name != self.spec_name:
            return [], message
        owner = self.map.owner(line)
        if owner is None:
            return [], message
        if owner[0] == "path":
            return [i for i, op in enumerate(ops) if op["path"] == owner[1]], message
        if not owner[0].startswith("components/"):
            return [i for i, op in enumerate(ops) if (op["verb"], op["path"]) == owner], message
        hit = []
        for i, op in enumerate(ops):
            key = (op["verb"], op["path"])
            if key not in self.reach:
                self.reach[key] = self.map.reaches(op)
            if owner in self.reach[key]:
                hit.append(i)
        return hit, f"{message} [in {owner[0]}/{owner[1]}]"

    def culprits(self, ops: list[dict[str, str]], budget: list[int]) -> dict[int, str]:
        """Bisect `ops` for the operations behind errors that name no place in the inputs.

        Keys are indices in `ops`. Errors that appear only when two halves meet are not found.
        """
        if budget[0] <= 0:
            return {}
        budget[0] -= 1
        result, reasons, stuck = self.attempt(ops)
        if result is not None and result.returncode == 0:
            return {}
        if reasons:
            return reasons
        if len(ops) == 1:
            return {0: stuck[0] if stuck else "failed"}
        middle = len(ops) // 2
        left = self.culprits(ops[:middle], budget)
        right = self.culprits(ops[middle:], budget)
        return {**left, **{middle + i: reason for i, reason in right.items()}}


def find_supported(spec: Path, work: Path, run: Callable[[Path], Any],
                   progress: Callable[[str], None] = print, max_runs: int = 40) -> Outcome:
    """Drop unsupported operations until the rest generates. `run(config)` runs the generator
    once on `spec` with that config and returns a measure.Run (None when it timed out)."""
    search = _Search(spec, work, run, progress)
    remaining = operations(search.data)
    outcome = Outcome()
    while search.runs < max_runs and remaining:
        outcome.rounds += 1
        result, reasons, stuck = search.attempt(remaining)
        if result is not None and result.returncode == 0:
            outcome.supported = remaining
            outcome.stuck = []
            break
        how = "pinned by the errors' places"
        if not reasons and result is not None:
            # Errors that name no place (e.g. in the generated code): find their operations by
            # bisection.
            reasons = search.culprits(remaining, [max_runs - search.runs])
            how = "found by bisection"
        outcome.stuck = stuck
        if not reasons:
            break
        outcome.skipped += [(remaining[i], reason) for i, reason in sorted(reasons.items())]
        progress(f"  round {outcome.rounds}: {len(reasons)} operations skipped ({how}), "
                 f"{len(remaining) - len(reasons)} left")
        remaining = [op for i, op in enumerate(remaining) if i not in reasons]
    if not outcome.supported:
        outcome.undetermined = remaining
    outcome.first_run = search.first_run
    outcome.runs = search.runs
    return outcome
