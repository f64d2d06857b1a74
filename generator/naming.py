"""Turning names from the spec into safe Python names."""

from __future__ import annotations

import functools
import keyword
import re

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_WORD = re.compile(r"[^0-9A-Za-z]+")
# Names that would shadow builtins the generated code itself relies on, and those the
# generated package's lint refuses as too easily misread (E741: `l`, `O`, `I`).
_RESERVED_EXTRA = frozenset({"self", "cls", "l", "O", "I"})


def words(name: str) -> list[str]:
    spaced = _WORD_BOUNDARY.sub(" ", name)
    return [word for word in _NOT_WORD.split(spaced) if word]


def snake_case(name: str) -> str:
    return "_".join(word.lower() for word in words(name))


def pascal_case(name: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in words(name))


def is_identifier(name: str) -> bool:
    return name.isidentifier() and name.isascii()


# `naming:` in sdk.yaml: Python names in snake_case (the default), or the wire names kept
# wherever they are identifiers.
NAMING_STYLES = ("snake", "wire")


# Asked of the same few thousand names tens of thousands of times on a large document.
@functools.lru_cache(maxsize=16384)
def python_name(wire_name: str, style: str = "snake") -> str:
    """A usable Python identifier for a field or argument called `wire_name` on the wire.

    In the `snake` style a name with capitals is converted to snake_case (`cfgScale` ->
    `cfg_scale`, `HTTPHeader` -> `http_header`); in the `wire` style an identifier is kept as
    it is. In both, keywords get a trailing underscore (`from` -> `from_`), like the standard
    library does; anything else that is not an identifier is converted to snake_case, and a
    leading digit is prefixed. Two leading underscores become one: in a class body (a
    method's arguments, a TypedDict) Python would mangle `__token` into `_Echoes__token`,
    which no caller can pass.
    """
    if not is_identifier(wire_name):
        name = snake_case(wire_name)
    elif style == "wire" or wire_name == wire_name.lower():
        name = wire_name
    else:
        # Leading underscores say something (`_links`); snake_case alone would drop them.
        rest = wire_name.lstrip("_")
        name = "_" * (len(wire_name) - len(rest)) + snake_case(rest)
    if not name:
        return ""
    if name[0].isdigit():
        name = f"n{name}"
    if name.startswith("__") and not name.endswith("__"):
        name = "_" + name.lstrip("_")
    if keyword.iskeyword(name) or name in _RESERVED_EXTRA:
        name = f"{name}_"
    return name


def clash_hint(first: str, second: str, style: str) -> str:
    """What to do about two wire names that get one Python name: `naming: wire` helps when
    snake-casing made the clash."""
    if style == "snake" and any(python_name(n, "wire") != python_name(n) for n in (first, second)):
        return "rename one of them, or keep wire names with `naming: wire` in sdk.yaml"
    return "rename one of them"


def safe_module_name(name: str) -> str:
    """A module file stem: snake_case, ASCII only, so that no spec name can leave the folder."""
    stem = snake_case(name)
    if not stem:
        return ""
    if stem[0].isdigit():
        stem = f"m{stem}"
    if keyword.iskeyword(stem):
        stem = f"{stem}_"
    return stem


# Names the generated type modules import; a class of the same name would shadow them.
IMPORTED_TYPE_NAMES = frozenset(
    {
        "Dict",
        "FileTypes",
        "Literal",
        "Optional",
        "Required",
        "SequenceNotStr",
        "TypeAlias",
        "TypedDict",
        "Union",
    }
)


def class_name(name: str) -> str:
    """`name` in PascalCase if that makes a usable class name, else ''.

    '' for names with no ASCII letters or digits, names that start with a digit, keywords
    (`none` -> `None`) and the names a generated module imports: the caller reports those.
    """
    result = pascal_case(name)
    if not is_identifier(result) or keyword.iskeyword(result) or result in IMPORTED_TYPE_NAMES:
        return ""
    return result


# Names every resource module imports (the runtime's and typing's) or defines: a response
# model is imported into that module by its own name, so it cannot be called one of these.
RESOURCE_MODULE_NAMES = frozenset(
    {
        "APIResponse",
        "AsyncAPIResource",
        "AsyncAPIResponse",
        "AsyncResponseContextManager",
        "AsyncStream",
        "Body",
        "FileTypes",
        "Headers",
        "Literal",
        "NotGiven",
        "Omit",
        "Optional",
        "Query",
        "ResponseContextManager",
        "SequenceNotStr",
        "Stream",
        "SyncAPIResource",
        "TYPE_CHECKING",
        "Union",
        "cached_property",
        "cast",
        "httpx",
        "not_given",
        "omit",
        "overload",
    }
)


def resource_class_names(sync_class: str) -> tuple[str, ...]:
    """The classes a resource's module defines, from the name of its sync class."""
    return tuple(
        f"{prefix}{sync_class}{suffix}"
        for prefix in ("", "Async")
        for suffix in ("", "WithRawResponse", "WithStreamingResponse")
    )
