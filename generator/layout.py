"""Where every generated file goes, and the import lines the generated modules open with.

Paths under the package are relative to it (`types/image_model.py`); `output` puts them under
the package's folder. Import lines are computed from what a module uses, in the order and
form ruff's isort writes them, so that the output needs formatting only.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Module
from .typemap import TYPING, TYPING_EXTENSIONS, TypeContext

# The package's files whose names do not depend on the spec.
PACKAGE_INIT = "__init__.py"
CLIENT = "_client.py"
PY_TYPED = "py.typed"
RESOURCES_INIT = "resources/__init__.py"
TYPES_INIT = "types/__init__.py"
# Files of the output tree beside the package.
PYPROJECT = "pyproject.toml"
README = "README.md"
TESTS_INIT = "tests/__init__.py"
TESTS_CONFTEST = "tests/conftest.py"
TESTS_SPEC = "tests/openapi.yaml"
TESTS_MOCK_SERVER = "tests/_mock_server.py"


def output(package: str, path: str) -> str:
    """A path under the package, relative to the output directory."""
    return f"{package}/{path}"


def type_path(stem: str) -> str:
    return f"types/{stem}.py"


params_path = type_path


def types_module(stem: str) -> str:
    """The dotted name, relative to the package, of the module at `type_path(stem)`."""
    return f"types.{stem}"


def resource_path(module: str) -> str:
    return f"resources/{module}.py"


def resource_test_path(module: str) -> str:
    """Relative to the output directory: the tests live beside the package."""
    return f"tests/test_{module}.py"


def runtime_path(template: str) -> str:
    """Where a runtime module (`runtime/_types.py`) goes in the package."""
    return template.removeprefix("runtime/")


def annotation_names(types: TypeContext, params: Module) -> tuple[tuple[str, str], ...]:
    """What a method's signatures import from outside the resource template's own list:
    aliases and nested TypedDicts from `types`, and typing names such as `Dict`; as
    (module relative to a resource module, name)."""
    names = {
        (f"..types.{source[1:]}", name)
        for source, name in types.imports
        if source.startswith(".") and not source.startswith("..")
    }
    names.update((f"..{params.dotted}", name) for name in types.classes)
    names.update(
        (source, name)
        for source, name in types.imports
        if source in (TYPING, TYPING_EXTENSIONS) and name not in _RESOURCE_TEMPLATE_NAMES
    )
    return tuple(sorted(names))


# What the resource template imports for its signatures itself.
_RESOURCE_TEMPLATE_NAMES = frozenset(
    {"Optional", "Union", "Literal", "FileTypes", "SequenceNotStr"}
)


def plain_lines(names: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    return tuple(sorted({f"from {module} import {name}" for module, name in names}))
