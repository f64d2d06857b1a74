"""Where every generated file goes, and the import lines the generated modules open with.

Paths under the package are relative to it (`types/image_model.py`); `output` puts them under
the package's folder. Import lines are computed from what a module uses, in the order and
form ruff's isort writes them, so that the output needs formatting only.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable

from .model import (
    ChildResource,
    Method,
    Module,
    Resource,
    ResponseSchema,
    ResponseType,
    Sdk,
    Signature,
    TypeAlias,
    TypedDictClass,
)
from .shape import KeyMap
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
MANIFEST_IN = "MANIFEST.in"  # what the sdist holds besides the package: the tests
API_REFERENCE = "api.md"
TESTS_INIT = "tests/__init__.py"
TESTS_CONFTEST = "tests/conftest.py"
TESTS_SPEC = "tests/openapi.yaml"
TESTS_MOCK_SERVER = "tests/_mock_server.py"
TESTS_EXAMPLES = "tests/test_examples.py"


def output(package: str, path: str) -> str:
    """A path under the package, relative to the output directory."""
    return f"{package}/{path}"


def package_only(files: dict[str, str], package: str) -> dict[str, str]:
    """The `package` layout (for vendoring): the package's own files, relative to its folder;
    the project around it (pyproject, README, tests) is left out."""
    prefix = f"{package}/"
    return {
        name.removeprefix(prefix): text for name, text in files.items() if name.startswith(prefix)
    }


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
    """Where each name a method's field types may use comes from, as (module relative to a
    resource module, name): the typing and runtime names, the aliases and the params module's
    nested TypedDicts."""
    names = {
        (f"..types.{source[1:]}" if _is_sibling(source) else source, name)
        for source, name in types.imports
    }
    names.update((f"..{params.dotted}", name) for name in types.classes)
    return tuple(sorted(names))


def _is_sibling(module: str) -> bool:
    return module.startswith(".") and not module.startswith("..")


# What every resource module's code itself runs.
_RESOURCE_BASE = (
    ("functools", "cached_property"),
    (".._resource", "AsyncAPIResource"),
    (".._resource", "SyncAPIResource"),
)
# What a resource's methods add: a resource may hold nested resources only (`client.v1`).
_RESOURCE_METHODS = (
    (".._response", "async_to_raw_response_wrapper"),
    (".._response", "async_to_streamed_response_wrapper"),
    (".._response", "to_raw_response_wrapper"),
    (".._response", "to_streamed_response_wrapper"),
)
# Where the names the signatures spell around the field types come from.
_SIGNATURE_NAMES = {
    "httpx": ("httpx", ""),
    "Optional": ("typing", "Optional"),
    "Literal": ("typing_extensions", "Literal"),
    "Stream": (".._streaming", "Stream"),
    "AsyncStream": (".._streaming", "AsyncStream"),
    "SyncPage": (".._pages", "SyncPage"),
    "AsyncPage": (".._pages", "AsyncPage"),
    "AsyncPageRequest": (".._pages", "AsyncPageRequest"),
    **{name: (".._types", name) for name in ("Body", "Headers", "NotGiven", "Omit", "Query")},
    **{name: (".._types", name) for name in ("not_given", "omit")},
}
# The runtime, httpx and the typing names the stream overloads spell are imported for the
# code, as in the reference SDK; the API's own types (there may be many) and other typing
# names only for type checking.
_FOR_THE_CODE = frozenset(
    {"functools", "typing", "typing_extensions", "httpx", ".._types", ".._resource", ".._response"}
)
_FOR_THE_CODE_TYPING = frozenset(
    {"TYPE_CHECKING", "Optional", "Union", "Literal", "cast", "overload"}
)
# Runtime classes the code makes, not only names: an async list method returns one.
_FOR_THE_CODE_NAMES = frozenset({(".._pages", "AsyncPageRequest")})
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def resource_imports(
    methods: Iterable[Method],
    sources: Iterable[tuple[str, str]],
    children: Iterable[ChildResource] = (),
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The import lines of a resource module: (at module level, under `if TYPE_CHECKING:`).
    `sources` says where the names of the field types come from (`annotation_names`); the
    classes of nested resources are imported for their properties' annotations."""
    methods = tuple(methods)
    known = {name: (module, name) for module, name in sources}
    known.update(_SIGNATURE_NAMES)
    used = {*_RESOURCE_BASE, *(_RESOURCE_METHODS if methods else ())}
    for child in children:
        used.update((f".{child.module}", name) for name in (child.sync_class, child.async_class))
    for method in methods:
        known.update((name, (module, name)) for module, name in method.response.names)
        if method.stream is not None:
            event = method.stream.event_type
            known[event] = (f"..{method.stream.event_module}", event)
        signatures = (*method.signatures, *method.async_signatures, *method.extra_signatures)
        for signature in signatures:
            used.update(known[n] for n in _identifiers(signature) if n in known)
            if signature.is_overload:
                used.add(("typing", "overload"))
            elif signature.casts:
                used.add(("typing", "cast"))
    checking = {
        (module, name)
        for module, name in used
        if (module, name) not in _FOR_THE_CODE_NAMES
        and (
            module not in _FOR_THE_CODE
            or (module in (TYPING, TYPING_EXTENSIONS) and name not in _FOR_THE_CODE_TYPING)
        )
    }
    code = used - checking
    if checking:
        code.add(("typing", "TYPE_CHECKING"))
    return import_lines(code), import_lines(checking)


def method_body_imports(
    response: ResponseType,
    event: ResponseSchema | None,
    *page_item: ResponseSchema,
    also: Iterable[tuple[str, str]] = (),
) -> tuple[str, ...]:
    """What a method's body imports when it runs: its models, and `also` (the key maps of
    its arguments)."""
    models = (event, *page_item) if event is not None else page_item
    names = [*response.names, *((f"..{types_module(m.module)}", m.name) for m in models)]
    if page_item:
        names.append((".._pages", "PageScheme"))
    if response.cast == "NoneType":
        names.append((".._types", "NoneType"))
    return import_lines([*names, *also])


def _identifiers(signature: Signature) -> set[str]:
    texts = [signature.returns]
    for argument in signature.arguments:
        texts += [argument.annotation, argument.default]
    return _names_in(texts)


def _names_in(code: Iterable[str]) -> set[str]:
    """The names pieces of code use, string literals left out (`Literal['Dict']`)."""
    return {name for text in code for name in _IDENTIFIER.findall(_STRING.sub("", text))}


def used_imports(
    imports: Iterable[tuple[str, str]],
    classes: Iterable[TypedDictClass],
    aliases: Iterable[TypeAlias],
    key_maps: Iterable[KeyMap] = (),
    always: Iterable[tuple[str, str]] = (),
) -> tuple[str, ...]:
    """The import lines of a params or alias module: those of `imports` its code uses (a
    nullable alias target needs `Optional` while mapped, not once the alias drops it), and
    `always`."""
    code = [f"{c.bases} {f.annotation}" for c in classes for f in c.fields]
    code += [c.bases for c in classes]
    code += [a.value for a in aliases]
    code += [m.expression for m in key_maps]
    if any(a.annotated for a in aliases):
        code.append("TypeAlias")
    used = _names_in(code)
    return import_lines([*((m, name) for m, name in imports if name in used), *always])


# -- import lines ------------------------------------------------------------------------------

_FUTURE, _STDLIB, _THIRD_PARTY, _FIRST_PARTY, _LOCAL = range(5)
_DIGITS = re.compile(r"(\d+)")


def import_lines(names: Iterable[tuple[str, str]], first_party: str = "") -> tuple[str, ...]:
    """`from module import a, b` lines (`import module` for a name of ''), grouped and
    ordered as ruff's isort does: future, standard library, third party, `first_party`,
    relative; a blank line ('') between groups. A name `X as X` gets a line of its own."""
    by_section: dict[int, dict[str, set[str]]] = {}
    for module, name in names:
        by_section.setdefault(_section(module, first_party), {}).setdefault(module, set()).add(name)
    lines: list[str] = []
    for section in sorted(by_section):
        modules = by_section[section]
        if lines:
            lines.append("")
        straight = sorted((m for m, found in modules.items() if "" in found), key=_module_key)
        lines += [f"import {module}" for module in straight]
        for module in sorted(modules, key=_module_key):
            members = sorted((n for n in modules[module] if n), key=_member_key)
            plain = [n for n in members if " as " not in n]
            if plain:
                lines.append(f"from {module} import {', '.join(plain)}")
            lines += [f"from {module} import {n}" for n in members if " as " in n]
    return tuple(lines)


def _section(module: str, first_party: str) -> int:
    top = module.split(".", 1)[0]
    if module.startswith("."):
        return _LOCAL
    if top == "__future__":
        return _FUTURE
    if first_party and top == first_party:
        return _FIRST_PARTY
    return _STDLIB if top in sys.stdlib_module_names else _THIRD_PARTY


def _natural(text: str) -> tuple[tuple[int, int, str], ...]:
    """Digits compared as numbers, as ruff does: `image2` before `image10`."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in _DIGITS.split(text)
        if part
    )


def _module_key(module: str) -> tuple[object, ...]:
    # Relative imports from the furthest (`..`) to the closest (`.`).
    level = len(module) - len(module.lstrip("."))
    name = module.lstrip(".")
    return (-level, _natural(name.lower()), name)


def _member_key(member: str) -> tuple[object, ...]:
    """Constants, then classes, then everything else, each case-insensitively."""
    name = member.split(" as ", 1)[0]
    if len(name) > 1 and name.isupper():
        kind = 0
    elif name[:1].isupper():
        kind = 1
    else:
        kind = 2
    return (kind, _natural(name.lower()), member)


# -- the import lines of the package-wide modules ----------------------------------------------


def types_init_imports(sdk: Sdk) -> tuple[str, ...]:
    """`types/__init__.py` re-exports each module's own names (params, aliases, models)."""
    modules = [(m.stem, m.reexports) for m in sdk.type_modules]
    modules += [(m.stem, m.exports) for m in sdk.models]
    return import_lines((f".{stem}", f"{n} as {n}") for stem, names in modules for n in names)


def resources_init_imports(sdk: Sdk) -> tuple[str, ...]:
    return import_lines(
        (f".{r.module}", f"{name} as {name}")
        for r in sdk.resources
        for name in (r.sync_class, r.async_class)
    )


def client_resource_imports(sdk: Sdk) -> tuple[str, ...]:
    """What `_client.py` imports for type checking: every resource class."""
    return import_lines(
        (f".resources.{r.module}", name)
        for r in sdk.resources
        if r.is_top
        for name in (r.sync_class, r.async_class)
    )


def conftest_imports(sdk: Sdk) -> tuple[str, ...]:
    pkg = sdk.package.name
    names = [
        ("collections.abc", "AsyncIterator"),
        ("collections.abc", "Iterator"),
        ("ssl", ""),
        ("httpx", ""),
        ("pytest", ""),
        (pkg, sdk.client.sync_name),
        (pkg, sdk.client.async_name),
        ("._mock_server", "mock_server_url"),
    ]
    return import_lines(names, pkg)


def test_imports(sdk: Sdk, resource: Resource) -> tuple[str, ...]:
    """A resource's test module: the clients, the response wrappers, the stream classes
    when a method streams, and every response model it checks for."""
    pkg = sdk.package.name
    names = [("pytest", "")]
    names += [(pkg, n) for n in (sdk.client.sync_name, sdk.client.async_name)]
    names += [(pkg, "APIResponse"), (pkg, "AsyncAPIResponse")]
    if any(method.stream is not None for method in resource.methods):
        names += [(pkg, "Stream"), (pkg, "AsyncStream")]
    if any(method.stream_flag for method in resource.methods):
        names.append((f"{pkg}._models", "BaseModel"))
    for method in resource.methods:
        if method.paging:
            # Every result of a list that pages is a page, a raw response's parsed one too.
            names += [(pkg, "SyncPage"), (pkg, "AsyncPage")]
            continue
        checked = _names_in([method.response.check])
        names += [
            (f"{pkg}.{module[2:]}", name)
            for module, name in method.response.names
            if module.startswith("..") and name in checked
        ]
        if "BaseModel" in method.response.check:
            names.append((f"{pkg}._models", "BaseModel"))
    return import_lines(names, pkg)


def examples_imports(sdk: Sdk) -> tuple[str, ...]:
    """The examples module: what its mypy run needs, and the sync client the examples use."""
    pkg = sdk.package.name
    names = [("os", ""), ("subprocess", ""), ("sys", ""), ("pathlib", "Path")]
    return import_lines([*names, (pkg, sdk.client.sync_name)], pkg)
