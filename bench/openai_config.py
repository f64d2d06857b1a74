"""Write examples/openai/sdk.yaml: our config for the whole OpenAI document, every resource and
method named at the installed OpenAI SDK's dotted path.

Each public HTTP method of the SDK (openai_walk.py reads its verb and path from its source) is
matched to the document's operation of the same verb and path template (parameter names may
differ: `{}` matches `{}` by position). Pages, binary responses and the client's optional
headers follow what the SDK does; operations no SDK method covers are named too, under the
resource whose paths they extend, so that every operation of the document is configured.

    .venv/bin/python bench/openai_config.py [--spec DOC] [--out examples/openai/sdk.yaml]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import openai_walk
from make_specs import _snake, load

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT.parent / "shared" / "corpus" / "openai-full.openapi.yaml"
OUT = ROOT / "examples" / "openai" / "sdk.yaml"
VERBS = ("get", "put", "post", "delete", "patch")
# How each page class of the SDK asks for the next page, in our `pagination:` terms: where
# the next cursor is (the last item's id, or a response field) and the query parameter it
# sets.
PAGE_SCHEMES = {
    "SyncCursorPage": {"style": "cursor", "param": "after", "item_cursor": "id"},
    "SyncConversationCursorPage": {"style": "cursor", "param": "after", "field": "last_id"},
    "SyncNextCursorPage": {"style": "cursor", "param": "after", "field": "next"},
    "SyncTokenPage": {"style": "cursor", "param": "page", "field": "next"},
}
OPTIONAL_HEADERS = (
    {"header": "OpenAI-Organization", "argument": "organization", "env": "OPENAI_ORG_ID"},
    {"header": "OpenAI-Project", "argument": "project", "env": "OPENAI_PROJECT_ID"},
)
# The names the SDK gives a method by what it does, for operations it does not cover.
_VERB_NAMES = {("get", True): "retrieve", ("get", False): "list", ("post", False): "create"}
_VERB_NAMES |= {("post", True): "update", ("delete", True): "delete", ("patch", True): "update"}


def template(path: str) -> str:
    """The path with every parameter's name left out: `/files/{}`."""
    return re.sub(r"\{[^}]*\}", "{}", path)


@dataclass
class Operation:
    verb: str
    path: str
    node: dict[str, Any]


@dataclass
class Configured:
    resource: str
    name: str
    op: Operation
    page: dict[str, str] | None = None
    binary: bool = False
    from_sdk: bool = True


def operations(doc: dict[str, Any]) -> dict[tuple[str, str], Operation]:
    found = {}
    for path, item in doc["paths"].items():
        for verb, node in item.items():
            if verb in VERBS and isinstance(node, dict):
                found[(verb, template(path))] = Operation(verb, path, node)
    return found


def _deref(doc: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = doc
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _success(doc: dict[str, Any], op: Operation) -> dict[str, Any]:
    responses = op.node.get("responses", {})
    for status in ("200", "201", "202", "204"):
        if status in responses:
            return _deref(doc, responses[status]).get("content") or {}
    return {}


def _properties(doc: dict[str, Any], schema: Any) -> set[str]:
    schema = _deref(doc, schema)
    if not isinstance(schema, dict):
        return set()
    found = set(schema.get("properties", {}))
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key, []):
            found |= _properties(doc, part)
    return found


def _page(doc: dict[str, Any], op: Operation, page_class: str) -> dict[str, str] | None:
    """Our scheme for the SDK's page class, when the operation's response can hold it."""
    scheme = PAGE_SCHEMES.get(page_class)
    if scheme is None:
        return None  # SyncPage: the whole list in one answer, nothing to page
    schema = (_success(doc, op).get("application/json") or {}).get("schema")
    fields = _properties(doc, schema)
    if "data" not in fields or scheme.get("field", "data") not in fields:
        return None
    scheme = {"style": scheme["style"], "items": "data", **scheme}
    if "has_more" in fields:
        scheme["has_more"] = "has_more"
    return scheme


def _binary(doc: dict[str, Any], op: Operation, sdk_binary: bool) -> bool:
    """Listed under binary_responses: the SDK reads bytes where the document offers JSON too."""
    media = set(_success(doc, op))
    return sdk_binary and "application/json" in media and len(media) > 1


def match(doc: dict[str, Any]) -> tuple[list[Configured], list[openai_walk.SdkMethod]]:
    """The configured methods (the SDK's, then the document's other operations), and the SDK
    methods whose endpoint the document lacks."""
    ops = operations(doc)
    configured: list[Configured] = []
    missing = []
    for method in openai_walk.methods():
        op = ops.get((method.verb, template(method.path)))
        if op is None:
            missing.append(method)
            continue
        page = _page(doc, op, method.page) if method.page else None
        binary = _binary(doc, op, method.binary)
        configured.append(Configured(method.resource, method.name, op, page, binary))
    covered = {(c.op.verb, template(c.op.path)) for c in configured}
    resources = {c.resource for c in configured}
    taken = {(c.resource, c.name) for c in configured}
    for key, op in ops.items():
        if key not in covered:
            resource, name = _place(op, configured, resources, taken)
            taken.add((resource, name))
            configured.append(Configured(resource, name, op, from_sdk=False))
    return configured, missing


def _place(
    op: Operation, configured: list[Configured], resources: set[str], taken: set[tuple[str, str]]
) -> tuple[str, str]:
    """Where an operation no SDK method covers goes: the resource whose methods' paths share
    the longest prefix with its path; its name its operationId less the resource's own words
    (`cancelEvalRun` in `evals.runs`: `cancel`), else the SDK's word for what the verb does."""
    segments = template(op.path.split("?")[0]).strip("/").split("/")

    def shared(c: Configured) -> int:
        theirs = template(c.op.path.split("?")[0]).strip("/").split("/")
        count = 0
        for a, b in zip(segments, theirs, strict=False):
            if a != b:
                break
            count += 1
        return count

    best = max(configured, key=shared, default=None)
    resource = best.resource if best is not None and shared(best) else _snake(segments[0])
    words = _snake(op.node.get("operationId") or "").split("_")
    own = {w.rstrip("s") for part in resource.split(".") for w in part.split("_")}
    name = "_".join(w for w in words if w and w.rstrip("s") not in own)
    if not name or (resource, name) in taken:
        name = _VERB_NAMES.get((op.verb, segments[-1] == "{}"), "") or "_".join(words)
    base, index = name, 2
    while (resource, name) in taken or name in {r.rpartition(".")[2] for r in resources}:
        name, index = f"{base}_{index}", index + 1
    return resource, name


def config_text(configured: list[Configured]) -> str:
    lines = [
        "# yaml-language-server: $schema=../../generator/sdk.schema.json",
        "# The whole OpenAI document, every method at the OpenAI Python SDK's dotted path.",
        "# Written by bench/openai_config.py from the installed SDK: regenerate, do not edit.",
        "package: openai_sdk",
        "version: 0.1.0",
        "client:",
        "  sync: OpenAIClient",
        "  async: AsyncOpenAIClient",
        "  api_key_env: OPENAI_API_KEY",
        "  base_url_env: OPENAI_BASE_URL",
        "  optional_headers:",
    ]
    for header in OPTIONAL_HEADERS:
        lines.append(
            f"    - {{header: {header['header']}, argument: {header['argument']}, "
            f"env: {header['env']}}}"
        )
    # Bearer auth as the document says it (ApiKeyAuth, AdminApiKeyAuth: http bearer).
    lines += [
        "multipart:",
        "  array_names: brackets",
        "resources:",
    ]
    tree: dict[str, Any] = {}
    for c in configured:
        node = tree
        for part in c.resource.split("."):
            node = node.setdefault(part, {"methods": {}, "resources": {}})["resources"]
        # `node` is now the resource's children; its own entry is one level up.
    for c in configured:
        entry = _entry(tree, c.resource)
        entry["methods"][c.name] = f"{c.op.verb} {c.op.path}"
    lines += _resource_lines(tree, 1)
    schemes: dict[tuple[tuple[str, str], ...], list[str]] = {}
    for c in configured:
        if c.page is not None:
            schemes.setdefault(tuple(c.page.items()), []).append(f"{c.resource}.{c.name}")
    if schemes:
        lines.append("pagination:")
        for scheme, methods in schemes.items():
            first = True
            for key, value in scheme:
                lines.append(f"  {'- ' if first else '  '}{key}: {value}")
                first = False
            lines.append("    methods:")
            lines += [f"      - {m}" for m in methods]
    binary = [f"{c.resource}.{c.name}" for c in configured if c.binary]
    if binary:
        lines.append("binary_responses:")
        lines += [f"  - {m}" for m in binary]
    return "\n".join(lines) + "\n"


def _entry(tree: dict[str, Any], resource: str) -> dict[str, Any]:
    parts = resource.split(".")
    node = tree[parts[0]]
    for part in parts[1:]:
        node = node["resources"][part]
    return node


def _resource_lines(tree: dict[str, Any], depth: int) -> list[str]:
    pad = "  " * depth
    lines = []
    for name, body in tree.items():
        lines.append(f"{pad}{name}:")
        if body["methods"]:
            lines.append(f"{pad}  methods:")
            for method, target in body["methods"].items():
                lines.append(f"{pad}    {method}: {json.dumps(target)}")
        if body["resources"]:
            lines.append(f"{pad}  resources:")
            lines += _resource_lines(body["resources"], depth + 2)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=SPEC)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    configured, missing = match(load(args.spec))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(config_text(configured), encoding="utf-8")
    from_sdk = sum(c.from_sdk for c in configured)
    print(
        f"{args.out}: {len(configured)} methods, {from_sdk} at the SDK's own path, "
        f"{len(configured) - from_sdk} for operations no SDK method covers; "
        f"{len(missing)} SDK methods have no operation in the document"
    )
    for c in configured:
        if not c.from_sdk:
            print(f"  not in the SDK: {c.resource}.{c.name}: {c.op.verb} {c.op.path}")


if __name__ == "__main__":
    main()
