"""The build stage's shortcut: a method is taken as the last run built it when nothing it is
built from has changed, so that editing one schema rebuilds only the methods that reach it.

What a method is built from, and so its key: the generator itself (`Memo.key`), the whole
config (any edit of it builds every method again), what every method reads from the whole
document (its root apart from `paths`, `components` and the descriptive keys, the security
schemes, and the response models' class names, which are decided from every component's
name) and the method's own closure: its path item and everything reachable from there by
`$ref` or a discriminator's `mapping`, each with its place in the document.

Kept only: a method that built with no problem and no note (a diagnostic holds a line
number, which an edit elsewhere in the document moves), that no `poll:` ties to another
operation, and whose parts `value_codec` can write.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from .build import Context, MethodParts, MethodSkip
from .cache import Memo
from .config import MethodConfig, ResourceConfig
from .load import PathKey
from .value_codec import NotEncodable, dumps, loads

# Keys of the document's root that describe the API to people and that no method is
# built from (the README and the package metadata read `info`, after the build).
_DESCRIPTIVE = frozenset({"paths", "components", "info", "tags", "externalDocs"})
# A `$ref` as `json.dumps` writes it: a key inside a string is escaped, so it cannot match.
_REF = re.compile(r'"\$ref": ("(?:[^"\\]|\\.)*")')


class MethodCache:
    def __init__(self, memo: Memo, ctx: Context) -> None:
        self.memo = memo
        self.ctx = ctx
        self._common: str | None = None
        # Per place in the document: the digest of what is there and where it refers to.
        self._places: dict[PathKey, tuple[str, tuple[PathKey, ...]]] = {}
        self._polled = {p.get for p in ctx.config.polls} | {p.method for p in ctx.config.polls}

    def build(
        self,
        resource: ResourceConfig,
        method: MethodConfig,
        build: Callable[[], MethodParts | MethodSkip],
    ) -> MethodParts | MethodSkip:
        """The method as kept from the last run, or as `build` makes it (and then kept)."""
        qualified = f"{resource.name}.{method.name}"
        if qualified in self._polled:
            return build()
        key = self._key(qualified, method)
        kept = self.memo.get(key)
        if isinstance(kept, str):
            try:
                parts = loads(kept, self.ctx.spec)
            except NotEncodable:
                parts = None
            if isinstance(parts, MethodParts):
                self.memo.put(key, kept)
                return parts
        built = build()
        if isinstance(built, MethodParts) and not built.notes:
            # A part the codec cannot write: this method is built afresh every run.
            with contextlib.suppress(NotEncodable):
                self.memo.put(key, dumps(built))
        return built

    def _key(self, qualified: str, method: MethodConfig) -> str:
        closure = sorted(self._closure(("paths", method.path)).items(), key=lambda i: repr(i[0]))
        places = json.dumps([[list(path), digest] for path, digest in closure])
        return Memo.key(self._common_digest(), qualified, repr(method.where), places)

    def _common_digest(self) -> str:
        if self._common is None:
            spec, ctx = self.ctx.spec.root.value, self.ctx
            root = {k: v for k, v in spec.items() if k not in _DESCRIPTIVE}
            components = spec.get("components")
            schemes = components.get("securitySchemes") if isinstance(components, dict) else None
            names = ctx.names
            text = _dumps(
                [
                    ctx.config.document.data,
                    root,
                    schemes,
                    [names.components, sorted(names.taken), sorted(names.stems)],
                ]
            )
            self._common = hashlib.sha256(text.encode()).hexdigest()
        return self._common

    def _closure(self, start: PathKey) -> dict[PathKey, str]:
        found: dict[PathKey, str] = {}
        todo = [start]
        while todo:
            path = todo.pop()
            if path in found:
                continue
            digest, refs = self._place(path)
            found[path] = digest
            todo.extend(refs)
        return found

    def _place(self, path: PathKey) -> tuple[str, tuple[PathKey, ...]]:
        known = self._places.get(path)
        if known is None:
            value = _value_at(self.ctx.spec.root.value, path)
            text = _dumps(value)
            refs = [_pointer(json.loads(m)) for m in _REF.findall(text)]
            if '"discriminator"' in text:
                refs += _mapping_targets(value)
            known = (
                hashlib.sha256(text.encode()).hexdigest(),
                tuple(p for p in refs if p is not None),
            )
            self._places[path] = known
        return known


def _dumps(value: object) -> str:
    return json.dumps(value, sort_keys=True, default=str)


_MISSING = {"missing": True}  # what a reference pointing nowhere is keyed by


def _value_at(root: Any, path: PathKey) -> Any:
    value = root
    for part in path:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and isinstance(part, str) and part.isdigit():
            index = int(part)
            value = value[index] if index < len(value) else _MISSING
        else:
            return _MISSING
    return value


def _pointer(ref: object) -> PathKey | None:
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return None
    return tuple(unquote(p).replace("~1", "/").replace("~0", "~") for p in ref[2:].split("/"))


def _mapping_targets(value: object) -> list[PathKey | None]:
    """The schemas the discriminators in `value` map to (`#/...` or a bare schema name)."""
    found: list[PathKey | None] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            discriminator = item.get("discriminator")
            mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
            for target in mapping.values() if isinstance(mapping, dict) else ():
                if isinstance(target, str):
                    bare = ("components", "schemas", target)
                    found.append(_pointer(target) if target.startswith("#") else bare)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found
