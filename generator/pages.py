"""Stage 3, for a list method that pages: where its items are and what it returns.

The `pagination:` config says how the API pages, once; here a configured list method is
checked against its response schema (an object whose items field is an array of a named
schema) and gets its `Paging` facts and its `SyncPage[Item]` / `AsyncPage[Item]` returns.
"""

from __future__ import annotations

from dataclasses import replace

from .flow_config import PaginationConfig
from .model import Paging, Signature
from .resolve import Node, Spec


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
    return Paging(f"PageScheme({arguments})", item_type)


def paged_signatures(
    signatures: tuple[Signature, ...], page_class: str, item_type: str
) -> tuple[Signature, ...]:
    return tuple(replace(s, returns=f"{page_class}[{item_type}]") for s in signatures)
