"""What the client writes of parameters by itself.

A required header or query parameter that allows one value only (`const`, or an `enum` of
one value, e.g. an API-version header) is sent by the client: demanding it on every call
would only make the caller copy the document's one value. A query parameter's `style` and
`explode` say how a list or an object is written into the query.
"""

from __future__ import annotations

from dataclasses import dataclass

from .resolve import Node, Spec
from .typemap import python_literal

_PLACES = ("header", "query", "cookie")


@dataclass(frozen=True)
class FixedValue:
    location: str  # 'header', 'query' or 'cookie'
    wire_name: str
    literal: str  # the value as a Python literal

    @property
    def wire_literal(self) -> str:
        return repr(self.wire_name)


def fixed_value(spec: Spec, parameter: Node) -> FixedValue | None:
    """The one value of `parameter`, when it is required and allows no other."""
    value = parameter.value
    if value.get("in") not in _PLACES or value.get("required") is not True:
        return None
    schema = parameter.get("schema")
    target = spec.deref(schema).value if schema is not None else None
    if not isinstance(target, dict):
        return None
    if "const" in target:
        allowed = [target["const"]]
    elif isinstance(target.get("enum"), list):
        allowed = target["enum"]
    else:
        return None
    if len(allowed) != 1 or not isinstance(allowed[0], (str, int, bool)):
        return None
    return FixedValue(value["in"], value["name"], python_literal(allowed[0]))


# OpenAPI's query styles, by (style, explode), as the runtime's `styled_query` names them;
# `form` exploded, the default, is ''.
_QUERY_STYLES = {
    ("form", False): "form",
    ("spaceDelimited", False): "space",
    ("pipeDelimited", False): "pipe",
    ("deepObject", True): "deep",
}


def query_styles(parameters: tuple[Node, ...]) -> tuple[tuple[str, str], ...]:
    """(name, style) of each query parameter sent in another style than `form` exploded."""
    found = []
    for parameter in parameters:
        value = parameter.value
        if value.get("in") != "query":
            continue
        style = value.get("style", "form")
        explode = value.get("explode", style == "form")
        code = _QUERY_STYLES.get((style, explode is True))
        if code:
            found.append((value["name"], code))
    return tuple(found)
