"""Stage 3, for a list method that pages: where its items are and what it returns.

The `pagination:` config says how the API pages, once; here a configured list method is
checked against its response schema (an object whose items field is an array of a named
schema) and gets its `Paging` facts and its `SyncPage[Item]` / `AsyncPage[Item]` returns.
"""

from __future__ import annotations

from dataclasses import replace

from .diagnostics import Diagnostic
from .flow_config import PaginationConfig
from .model import Paging, Signature
from .resolve import Node, Spec

# Query parameters that, beside an array in the response, say a list comes a page at a time
# (`limit` alone does not: many lists take one and answer in full).
PAGE_PARAMETERS = frozenset(
    {
        "after",
        "before",
        "continuation_token",
        "cursor",
        "ending_before",
        "next_token",
        "offset",
        "page",
        "page_number",
        "page_token",
        "pagination_token",
        "skip",
        "starting_after",
    }
)


def item_schema(spec: Spec, config: PaginationConfig, response: Node) -> Node:
    """The schema of one item of the list `response` answers with."""
    body = spec.deref(response)
    props = body.get("properties")
    field = props.get(config.items) if props else None
    union = body.get("oneOf") or body.get("anyOf")
    for member in union.elements() if field is None and union is not None else []:
        # A response that is a page or something else (a plain list when paging is off):
        # the member that has the items field is the page.
        member_props = spec.deref(member).get("properties")
        field = member_props.get(config.items) if member_props else None
        if field is not None:
            break
    if field is None:
        raise spec.error(
            body,
            f"the list response has no '{config.items}' field for the page's items",
            "set `items:` under pagination to the field that holds them",
        )
    array = spec.deref(field)
    items = array.get("items") if isinstance(array.value, dict) else None
    if items is None or array.value.get("type") != "array":
        raise spec.error(
            field,
            f"the page's items field '{config.items}' is not an array",
            "describe it as `type: array` with `items: {$ref: ...}`",
        )
    return items


def paging(config: PaginationConfig, item_type: str) -> Paging:
    fields = (config.style, config.items, config.param, config.field, config.has_more)
    arguments = ", ".join(repr(value) for value in fields)
    if config.item_cursor:
        arguments += f", item_cursor={config.item_cursor!r}"
    return Paging(f"PageScheme({arguments})", item_type)


def paged_signatures(
    signatures: tuple[Signature, ...], page_class: str, item_type: str
) -> tuple[Signature, ...]:
    return tuple(replace(s, returns=f"{page_class}[{item_type}]") for s in signatures)


def unconfigured_hint(
    spec: Spec, parameters: tuple[Node, ...], response: Node | None, qualified: str
) -> Diagnostic | None:
    """A note on a method that looks like a list that pages but that `pagination:` does not
    name: detection only suggests, the config decides (a false guess costs nothing then)."""
    query = (p for p in parameters if p.get("in") is not None and p.value.get("in") == "query")
    parameter = next(
        (p for p in query if str(p.value.get("name")).lower() in PAGE_PARAMETERS), None
    )
    if response is None:
        return None
    body = spec.deref(response)
    properties = body.get("properties")
    arrays = [
        name
        for name, node in (properties.items() if properties is not None else [])
        if isinstance(spec.deref(node).value, dict)
        and spec.deref(node).value.get("type") == "array"
    ]
    if parameter is None or not arrays:
        return None
    return Diagnostic(
        spec.locate(parameter),
        f"{qualified} looks like a list that pages (query parameter "
        f"'{parameter.value.get('name')}', items in '{arrays[0]}'), but pagination: does not name it",
        "add it to pagination.methods for a SyncPage/AsyncPage result; a list that does not page "
        "can stay as it is",
    )
