"""Nested TypedDicts that several params modules need, defined once.

Each method is built on its own, so two methods whose bodies use one schema (`Point`) each
make its TypedDict. The merge keeps one: every class that two or more params modules define
alike moves to `types/shared_params.py`; each of those modules imports it from there (and
keeps it in its `__all__`, so `from ..._params import Point` still works), and the resource
modules import it from there too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from . import layout
from .model import Module, TypedDictClass

STEM = "shared_params"
PATH = layout.type_path(STEM)
_FROM_TYPES = f".{STEM}"  # as a module beside it under types/ imports it
FROM_RESOURCES = f"..{layout.types_module(STEM)}"


def shared_classes(modules: Iterable[Module]) -> dict[str, TypedDictClass]:
    """The nested classes that more than one module defines, alike, by name."""
    seen: dict[str, TypedDictClass] = {}
    count: Counter[str] = Counter()
    differ: set[str] = set()
    for module in modules:
        for cls in _nested(module):
            earlier = seen.setdefault(cls.name, cls)
            differ.update([cls.name] if earlier != cls else [])
            count[cls.name] += 1
    return {name: seen[name] for name in sorted(seen) if count[name] > 1 and name not in differ}


def share(modules: dict[str, Module], shared: dict[str, TypedDictClass]) -> dict[str, Module]:
    """`modules` with the shared classes moved into the shared module (added to them)."""
    if not shared:
        return modules
    result: dict[str, Module] = {}
    candidates: set[tuple[str, str]] = set()
    for path, module in modules.items():
        moved = [c.name for c in _nested(module) if c.name in shared]
        if not moved:
            result[path] = module
            continue
        candidates.update(module.import_candidates)
        kept = tuple(c for c in module.classes if c.name not in moved)
        # Imported whether or not this module's code uses them: its `__all__` names them.
        always = [(_FROM_TYPES, name) for name in moved]
        imports = layout.used_imports(
            module.import_candidates, kept, module.aliases, module.key_maps, always
        )
        result[path] = replace(module, classes=kept, imports=imports)
    classes = tuple(shared.values())
    result[PATH] = Module(
        path=PATH,
        imports=layout.used_imports(sorted(candidates), classes, ()),
        classes=classes,
        aliases=(),
        exports=tuple(shared),
    )
    return dict(sorted(result.items()))


def _nested(module: Module) -> list[TypedDictClass]:
    """A params module's nested classes: those it does not re-export from `types`."""
    if not module.reexports or module.path == PATH:
        return []
    return [c for c in module.classes if c.name not in module.reexports]
