"""How a change of one annotation affects the code that uses it, read from the annotation
text the surface records (`Optional[Literal['a', 'b']]`, `Union[str, int]`, `A | B`).

A value the caller sends may widen (more members, more enum values) without breaking anyone;
a value the caller reads may narrow. Anything else is a change the caller's code may trip on.
"""

from __future__ import annotations

from dataclasses import dataclass

SENT, READ = "sent", "read"


@dataclass(frozen=True)
class TypeChange:
    breaking: bool
    detail: str


def type_change(old: str, new: str, direction: str) -> TypeChange | None:
    """`None` when the two spell the same type; `direction` is `SENT` for arguments and
    params fields, `READ` for response fields and return types."""
    if _normal(old) == _normal(new):
        return None
    old_shape, old_values = literal_values(old)
    new_shape, new_values = literal_values(new)
    if old_shape == new_shape and old_values != new_values:
        return _enum_change(old_values, new_values, direction)
    old_members, new_members = members(old), members(new)
    widened = old_members < new_members
    narrowed = new_members < old_members
    if (direction == SENT and widened) or (direction == READ and narrowed):
        return TypeChange(False, f"type {'widened' if widened else 'narrowed'}: {old} -> {new}")
    return TypeChange(True, f"type changed: {old} -> {new}")


def _enum_change(old: frozenset[str], new: frozenset[str], direction: str) -> TypeChange:
    added, removed = sorted(new - old), sorted(old - new)
    parts = []
    if added:
        parts.append(f"enum value{'s' * (len(added) > 1)} {', '.join(added)} added")
    if removed:
        parts.append(f"enum value{'s' * (len(removed) > 1)} {', '.join(removed)} removed")
    # A caller who sends a value the API dropped fails; one who reads a value it never saw
    # gets it from lenient models, and a value no longer sent breaks no reader.
    breaking = bool(removed) and direction == SENT
    return TypeChange(breaking, "; ".join(parts))


def _normal(text: str) -> str:
    """`text` without the spaces outside string literals."""
    kept, quote, escaped = [], "", False
    for char in text:
        if quote:
            if char == quote and not escaped:
                quote = ""
            escaped = char == "\\" and not escaped
        elif char in "'\"":
            quote = char
        elif char.isspace():
            continue
        kept.append(char)
    return "".join(kept)


def literal_values(text: str) -> tuple[str, frozenset[str]]:
    """The annotation with every `Literal[...]` emptied, and the values they held."""
    shape: list[str] = []
    values: set[str] = set()
    rest = _normal(text)
    while (start := rest.find("Literal[")) >= 0:
        end = _closing(rest, start + len("Literal["))
        shape.append(rest[: start + len("Literal[")] + "]")
        values.update(_split(rest[start + len("Literal[") : end], ","))
        rest = rest[end + 1 :]
    shape.append(rest)
    return "".join(shape), frozenset(values)


def members(text: str) -> frozenset[str]:
    """The members of a union annotation, each enum value as a member of its own; `None`
    for `Optional`."""
    text = _normal(text)
    found: set[str] = set()
    parts = _split(text, "|")
    if len(parts) > 1:
        for part in parts:
            found |= members(part)
        return frozenset(found)
    for wrapper, extra in (("Optional[", {"None"}), ("Union[", set())):
        if text.startswith(wrapper) and _closing(text, len(wrapper)) == len(text) - 1:
            for part in _split(text[len(wrapper) : -1], ","):
                found |= members(part)
            return frozenset(found | extra)
    if text.startswith("Literal[") and _closing(text, len("Literal[")) == len(text) - 1:
        return frozenset(f"Literal[{v}]" for v in _split(text[len("Literal[") : -1], ","))
    return frozenset({text})


def _closing(text: str, start: int) -> int:
    """The index of the `]` that closes the bracket opened just before `start`."""
    depth, quote, index = 0, "", start
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            if depth == 0:
                return index
            depth -= 1
        index += 1
    return len(text) - 1


def _split(text: str, separator: str) -> list[str]:
    """`text` split at the separators outside brackets and string literals."""
    parts, depth, quote, current = [], 0, "", []
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\" and index + 1 < len(text):
                current.append(char)
                index += 1
                char = text[index]
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append("".join(current))
            current = []
            index += 1
            continue
        current.append(char)
        index += 1
    parts.append("".join(current))
    return [part for part in parts if part]
