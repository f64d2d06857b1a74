"""The class names of the response models, for the whole SDK at once.

A class name is decided before any method is built, from the document and the config
alone, so that every method (and the model stage after them) agrees on it:

- a component whose name is a PascalCase class name already keeps it (`ImagesResponse`);
- then, in document order, the other components take their PascalCase form
  (`file_response` -> `FileResponse`, `Foo.Bar` -> `FooBar`, `my-schema` -> `MySchema`,
  `Error-2` -> `Error2`; one that starts with a digit is prefixed: `2fa` -> `Schema2fa`).
  datamodel-code-generator names its classes so too: a name it would change is never one
  a method is told to return;
- an inline response schema is named after where it stands (`<Singular><Method>Response`,
  its array items `...ResponseItem`).

A name that is taken (by a component named before it, by a class of a resource module such
as a resource `credits` with its class `Credits`, by a name those modules import, or whose
module file another class or a params module already has) gets the smallest number from 2 up that frees it:
`Credits2`. No name is ever handed to two classes.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from .naming import (
    IMPORTED_TYPE_NAMES,
    RESOURCE_MODULE_NAMES,
    class_name,
    is_identifier,
    pascal_case,
    resource_class_names,
)
from .naming import safe_module_name as _stem
from .resolve import Spec
from .resource_config import ResourceConfig

# What the generated modules themselves define or import beside the models.
_RESERVED = frozenset(
    {
        *RESOURCE_MODULE_NAMES,
        *IMPORTED_TYPE_NAMES,
        *("Annotated", "Any", "BaseModel", "BinaryResponse", "Field", "List", "RootModel"),
        *("None", "True", "False"),
        # ruff refuses these as class names (E742: they read like 1 and 0).
        *("I", "O", "l"),
    }
)


@dataclass(frozen=True)
class ModelNames:
    """Component name -> class name, and every class name and module stem taken."""

    components: tuple[tuple[str, str], ...]
    taken: frozenset[str]
    stems: frozenset[str]

    def component(self, raw: str) -> str:
        """The class of the component `raw` ('' for a name that makes no class name)."""
        return self._by_raw.get(raw, "")

    @functools.cached_property
    def classes(self) -> set[str]:
        """Every component's class name."""
        return set(self._by_raw.values())

    @functools.cached_property
    def _by_raw(self) -> dict[str, str]:
        # Asked once per `$ref` of every response schema: a lookup, not a scan.
        return dict(self.components)

    def inline(self, base: str) -> str:
        """The class name of an inline schema whose place gives `base`."""
        return _free(base, set(self.taken), set(self.stems))


def model_names(spec: Spec, resources: Iterable[ResourceConfig]) -> ModelNames:
    taken = set(_RESERVED)
    stems: set[str] = set()
    for resource in resources:
        sync_class = class_name(resource.name.replace(".", "_"))
        if sync_class:
            taken.update(resource_class_names(sync_class))
        # The params modules' files, beside the models' in types/.
        stems.update(_stem(f"{resource.singular}_{m.name}_params") for m in resource.methods)
    components = spec.root.get("components")
    schemas = components.get("schemas") if components else None
    raw_names = [n for n in (schemas.value if schemas else {}) if isinstance(n, str)]
    chosen: dict[str, str] = {}
    # Names that are already class names first: a converted name never takes one of those.
    own = [n for n in raw_names if is_identifier(n) and pascal_case(n) == n]
    for raw in (*own, *(n for n in raw_names if n not in own)):
        base = pascal_case(raw)
        if not is_identifier(base):
            base = pascal_case(f"schema_{raw}")
        if is_identifier(base):
            chosen[raw] = _free(base, taken, stems)
    return ModelNames(tuple(chosen.items()), frozenset(taken), frozenset(stems))


def _free(base: str, taken: set[str], stems: set[str]) -> str:
    """`base`, or `base` numbered from 2 up, whichever is free first; marked taken."""
    name, number = base, 1
    while name in taken or _stem(name) in stems:
        number += 1
        name = f"{base}{number}"
    taken.add(name)
    stems.add(_stem(name))
    return name
