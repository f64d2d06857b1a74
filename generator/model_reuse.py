"""Reusing datamodel-code-generator's output module by module, so that a change to one
response schema runs DCG only on what depends on it.

DCG writes one module per component (`treat_dot_as_module`). What it writes for a component
depends on the component's own schema, on every schema that schema references (their
classes are imported, an enum is inlined into the fields that use it), and on where other
schemas reference the component (an enum or scalar alias that something references is
inlined there and gets no module; one that nothing references keeps its module). So each
module's key hashes exactly that: the schemas of its closure, the `$ref` places that point
at it, the field aliases its closure can use, and the generator's own fingerprint (DCG's
version and options included).

On the next run the modules whose key is unchanged come from the cache; DCG runs once, on
the changed ones together with everything they reference and every schema that references
them (with what those reference), so that each changed module is made from the same
surroundings it has in a whole run. Whatever DCG writes beyond the components' own modules
(its `_internal` module for classes that reference each other across modules) depends on
the whole set, so such output is never taken apart: those runs are whole runs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any

REF_PREFIX = "#/components/schemas/"

# A module's code, or None where DCG wrote none (the component is inlined where it is used).
Modules = dict[str, str | None]
# DCG's modules by stem for each set of schemas given, the sets run side by side.
Dcg = Callable[[list[dict[str, Any]]], list[dict[str, str]]]


class Graph:
    """The `$ref`s between the schemas DCG is given (keyed `<stem>.<Name>`)."""

    def __init__(self, schemas: dict[str, Any]) -> None:
        self.schemas = schemas
        self.digest = {key: _hash(_dumps(schema)) for key, schema in schemas.items()}
        self.words: dict[str, set[str]] = {}
        # target -> [(referrer, the place of the `$ref` in the referrer)]
        self.places: dict[str, list[tuple[str, str]]] = {key: [] for key in schemas}
        self.targets: dict[str, set[str]] = {}
        for key, schema in schemas.items():
            found: list[tuple[str, str]] = []
            words: set[str] = set()
            _refs(schema, "", found, words)
            self.words[key] = words
            self.targets[key] = {target for _, target in found if target in schemas}
            for path, target in found:
                if target in self.places:
                    self.places[target].append((key, path))

    def closure(self, keys: Iterable[str]) -> set[str]:
        todo, seen = list(keys), set[str]()
        while todo:
            key = todo.pop()
            if key not in seen:
                seen.add(key)
                todo += self.targets[key]
        return seen

    def module_keys(self, base: str, aliases: dict[str, str]) -> dict[str, str]:
        """Each schema's cache key; `base` holds what every module depends on."""
        keys: dict[str, str] = {}
        for key in self.schemas:
            closure = sorted(self.closure([key]))
            # Only the aliases of names the closure holds (as a key or a value: a superset
            # is safe, a key only has to change whenever the module could).
            words = set().union(*(self.words[k] for k in closure))
            used = {wire: name for wire, name in aliases.items() if wire in words}
            parts = [base, key, _dumps(used)]
            parts += [f"{k}={self.digest[k]}" for k in closure]
            parts += [f"{r}:{p}" for r, p in sorted(self.places[key])]
            keys[key] = _hash("\n".join(parts))
        return keys

    def split(self, count: int) -> list[set[str]]:
        """The schemas in at most `count` sets of about one size, none referencing another:
        whole groups of schemas connected by `$ref`s (in either direction), so that each
        set holds the surroundings of every schema in it, and DCG run on each set alone
        writes what a whole run writes."""
        linked: dict[str, set[str]] = {key: set(targets) for key, targets in self.targets.items()}
        for key, targets in self.targets.items():
            for target in targets:
                linked[target].add(key)
        groups: list[list[str]] = []
        seen: set[str] = set()
        for start in self.schemas:
            if start in seen:
                continue
            group, todo = [], [start]
            seen.add(start)
            while todo:
                key = todo.pop()
                group.append(key)
                fresh = linked[key] - seen
                seen |= fresh
                todo += fresh
            groups.append(group)
        sets: list[set[str]] = [set() for _ in range(max(1, count))]
        for group in sorted(groups, key=len, reverse=True):  # the biggest first
            min(sets, key=len).update(group)
        return [found for found in sets if found]

    def surroundings(self, changed: Iterable[str]) -> set[str]:
        """What DCG needs to see to write the `changed` modules as a whole run would."""
        changed = set(changed)
        referrers = {r for key in changed for r, _ in self.places[key]}
        return self.closure(changed | referrers)


def reuse(
    graph: Graph,
    keys: dict[str, str],
    cached: dict[str, str | None] | None,
    dcg: Dcg,
    parallel: int = 1,
) -> tuple[dict[str, str], dict[str, str | None] | None]:
    """DCG's modules by stem, made by `dcg` only where `cached` (key -> module) lacks them;
    and what to cache for the next run (None: this output cannot be reused). `parallel`:
    how many runs `dcg` makes side by side, to split a whole run among."""
    schemas = graph.schemas
    stems = {key: key.partition(".")[0] for key in schemas}
    changed = [key for key in schemas if cached is None or keys[key] not in cached]
    if cached is not None and len(changed) < len(schemas):
        part = graph.surroundings(changed)
        if len(part) < len(schemas):
            fresh = _made(Graph({k: schemas[k] for k in schemas if k in part}), dcg, parallel)
            if set(fresh) <= {stems[key] for key in part}:  # nothing but components' modules
                made = {key: fresh.get(stems[key]) for key in changed}
                modules = {key: made[key] if key in made else cached[keys[key]] for key in schemas}
                return _written(modules, stems), {keys[k]: code for k, code in modules.items()}
    raw = _made(graph, dcg, parallel)
    if not set(raw) <= set(stems.values()):
        return raw, None
    return raw, {keys[key]: raw.get(stem) for key, stem in stems.items()}


def _made(graph: Graph, dcg: Dcg, parallel: int) -> dict[str, str]:
    """DCG's modules for all of `graph`'s schemas: from runs on unconnected sets side by
    side when each wrote only its components' modules; else (DCG's `_internal`, say) from
    one run on them all."""
    schemas = graph.schemas
    sets = graph.split(parallel) if parallel > 1 and schemas else []
    if len(sets) > 1:
        made = dcg([{key: schemas[key] for key in schemas if key in part} for part in sets])
        own = [{key.partition(".")[0] for key in part} for part in sets]
        if all(set(out) <= stems for out, stems in zip(made, own, strict=True)):
            return {stem: code for out in made for stem, code in sorted(out.items())}
    return dcg([schemas])[0] if schemas else {}


def _written(modules: dict[str, str | None], stems: dict[str, str]) -> dict[str, str]:
    return {stems[key]: code for key, code in modules.items() if code is not None}


def _refs(value: Any, path: str, found: list[tuple[str, str]], words: set[str]) -> None:
    """Every `$ref` (and discriminator mapping) string in `value`, with its place: its JSON
    path and the object that holds it (what stands beside a `$ref` may change how DCG uses
    its target); and every key and string in `value`."""
    if isinstance(value, dict):
        for key, item in value.items():
            words.add(str(key))
            step = str(key).replace("~", "~0").replace("/", "~1")  # a JSON pointer's
            if isinstance(item, str) and item.startswith(REF_PREFIX):
                words.add(item)
                found.append((f"{path}/{step} {_dumps(value)}", item.removeprefix(REF_PREFIX)))
                continue
            _refs(item, f"{path}/{step}", found, words)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refs(item, f"{path}/{index}", found, words)
    elif isinstance(value, str):
        words.add(value)
        if value.startswith(REF_PREFIX):
            found.append((path, value.removeprefix(REF_PREFIX)))


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
