"""How close the SDK generated from examples/openai/sdk.yaml is to the installed OpenAI SDK.

Generates the package into bench/.work/openai_tree (with `--skip-unsupported`: a method whose
operation sdkforge cannot build yet is left out and counted as missing), imports both, and
walks the OpenAI SDK's tree. For every method whose endpoint is in the document it reports
whether the generated client has a method at the same dotted path, and whether its params
are field-exact: the same argument names, the same required-ness, roughly the same types
(the outer kind: str, int, float, bool, list, dict, file, a literal's values), path
parameters by position. A difference the document itself causes counts as exact: a field
or enum value the SDK has and the document lacks (listed). Everything else is a difference,
grouped by its cause.

    .venv/bin/python bench/openai_tree.py [--config examples/openai/sdk.yaml] [--no-generate]
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import json
import re
import shutil
import subprocess
import sys
import textwrap
import typing
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import openai_config
import openai_walk
from make_specs import load

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / ".work" / "openai_tree"
_CALL_ARGUMENTS = {"self", "extra_headers", "extra_query", "extra_body", "timeout"}
_LISTS = ("Iterable", "SequenceNotStr", "List", "Sequence", "list")
_DICTS = ("Dict", "Mapping", "dict", "object")


@dataclass
class SdkField:
    name: str
    required: bool
    annotation: str
    path: bool = False  # a path parameter (compared by position)


@dataclass
class Compared:
    method: str
    at_path: bool = False
    skipped: str = ""  # why the generator left it out, when it did
    # (the SDK's, ours) for: pages, returns binary content, streams
    shapes: dict[str, tuple[bool, bool]] = field(default_factory=dict)
    media: str = ""  # the media types of the document's success response
    renamed: list[str] = field(default_factory=list)  # path parameters the document names otherwise
    differences: list[tuple[str, str]] = field(default_factory=list)  # (cause, detail)
    document_lacks: list[str] = field(default_factory=list)  # SDK has, document lacks

    @property
    def exact(self) -> bool:
        return self.at_path and not self.differences


def sdk_fields(method: openai_walk.SdkMethod) -> list[SdkField]:
    """The SDK method's arguments: names from its signature, required-ness and types from
    the `*Params` TypedDicts its body or query is checked against, when it has them; the
    path parameters are the names its path template spells, in order."""
    function = inspect.unwrap(method.function)
    module = sys.modules[function.__module__]
    params: dict[str, tuple[str, bool]] = {}
    for cls in _params_classes(function, module):
        for name, annotation in cls.__annotations__.items():
            text = getattr(annotation, "__forward_arg__", str(annotation))
            required = text.startswith("Required[")
            if name in params and params[name][0] != text:
                # Streaming and NonStreaming variants: `stream` is a bool, required only
                # when every variant says so.
                before, was_required = params[name]
                text = f"Union[{_strip(before)},{_strip(text)}]"
                required = required and was_required
            params[name] = (text, required)
    path_names = re.findall(r"\{([^}]*)\}", method.path)
    found = [SdkField(name, True, "str", path=True) for name in path_names]
    for parameter in inspect.signature(function).parameters.values():
        if parameter.name in _CALL_ARGUMENTS or parameter.name in path_names:
            continue
        if parameter.name in params:
            annotation, required = params[parameter.name]
        else:
            annotation = str(parameter.annotation)
            required = parameter.default is inspect.Parameter.empty
        found.append(SdkField(parameter.name, required, annotation))
    return found


def _params_classes(function: Any, module: Any) -> list[Any]:
    """The TypedDicts named `x_params.XParams...` in the method's source."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    classes = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id.endswith("_params")
            and "Params" in node.attr
        ):
            holder = getattr(module, node.value.id, None)
            found = getattr(holder, node.attr, None)
            # A union of TypedDicts (`XParams = Union[XParamsA, XParamsB]`): its members.
            members = typing.get_args(found) if not hasattr(found, "__annotations__") else (found,)
            for cls in members:
                if hasattr(cls, "__annotations__") and cls not in classes:
                    classes.append(cls)
    return classes


def _strip(annotation: str) -> str:
    text = annotation.replace(" ", "")
    changed = True
    while changed:
        changed = False
        for wrapper in ("Required[", "NotRequired[", "Optional[", "Annotated["):
            if text.startswith(wrapper) and text.endswith("]"):
                text = text[len(wrapper) : -1]
                if wrapper == "Annotated[":
                    text = _split(text)[0]
                changed = True
        for tail in (",None]", "|None", "|Omit", ",Omit]"):
            if text.endswith(tail) and text.startswith("Union["):
                text = text[: -len(tail)] + "]" if tail.endswith("]") else text[: -len(tail)]
                changed = True
            elif tail.startswith("|") and text.endswith(tail):
                text = text[: -len(tail)]
                changed = True
        if text.startswith("Union[") and len(_split(text[6:-1])) == 1:
            text = text[6:-1]
            changed = True
    return text


def _split(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += char in "[(" or 0
        depth -= char in "])" or 0
        current += char
    parts.append(current)
    return [p for p in parts if p]


def kind(annotation: str) -> str:
    text = _strip(annotation)
    head = text.split("[", 1)[0]
    if head == "Literal":
        return "literal"
    if head in _LISTS:
        return "list"
    if head in _DICTS:
        return "dict"
    if head in ("FileTypes", "FileContent"):
        return "file"
    if head in ("str", "int", "float", "bool"):
        return head
    return "other"  # a named TypedDict, model, alias or union: not compared further


def literal_values(annotation: str) -> set[str]:
    match = re.search(r"Literal\[([^\]]*)\]", annotation)
    return set(re.findall(r"'([^']*)'|\"([^\"]*)\"", match.group(1))[0:]) if match else set()


def _values(annotation: str) -> set[str]:
    match = re.search(r"Literal\[([^\]]*)\]", annotation)
    if not match:
        return set()
    return {a or b for a, b in re.findall(r"'([^']*)'|\"([^\"]*)\"", match.group(1))}


def document_fields(doc: dict[str, Any], op: openai_config.Operation) -> dict[str, Any]:
    """Every parameter and body property the document gives the operation, with its schema."""
    fields: dict[str, Any] = {}
    for parameter in op.node.get("parameters", []):
        parameter = openai_config._deref(doc, parameter)
        fields[parameter.get("name", "")] = parameter.get("schema", {})
    body = openai_config._deref(doc, op.node.get("requestBody", {}))
    for media in (body.get("content") or {}).values():
        _collect(doc, media.get("schema"), fields, 0)
    return fields


def _collect(doc: dict[str, Any], schema: Any, fields: dict[str, Any], depth: int) -> None:
    schema = openai_config._deref(doc, schema)
    if not isinstance(schema, dict) or depth > 8:
        return
    for name, prop in schema.get("properties", {}).items():
        fields.setdefault(name, prop)
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key, []):
            _collect(doc, part, fields, depth + 1)


def _document_requires(doc: dict[str, Any], op: openai_config.Operation, name: str) -> bool:
    for parameter in op.node.get("parameters", []):
        parameter = openai_config._deref(doc, parameter)
        if parameter.get("name") == name:
            return bool(parameter.get("required"))
    body = openai_config._deref(doc, op.node.get("requestBody", {}))
    for media in (body.get("content") or {}).values():
        schema = openai_config._deref(doc, media.get("schema"))
        if isinstance(schema, dict) and name in schema.get("required", []):
            return True
    return False


def compare(
    method: openai_walk.SdkMethod,
    ours: dict[str, Any] | None,
    doc: dict[str, Any],
    op: openai_config.Operation,
) -> Compared:
    result = Compared(method.dotted, at_path=ours is not None)
    if ours is None:
        return result
    returns = str(ours["returns"])
    result.media = ", ".join(sorted(openai_config._success(doc, op))) or "no content"
    result.shapes = {
        "pages": (method.page not in ("", "SyncPage"), returns.startswith("SyncPage[")),
        "binary": (method.binary, returns == "BinaryResponse"),
        "streams": (method.streams, bool(ours["streams"])),
    }
    theirs = sdk_fields(method)
    doc_fields = document_fields(doc, op)
    our_args = ours["arguments"]
    our_path = [n for n, a in our_args.items() if a["in"] == "path"]
    their_path = [f.name for f in theirs if f.path]
    if len(our_path) != len(their_path):
        result.differences.append(("path parameters", f"{their_path} vs {our_path}"))
    renamed = dict(zip(their_path, our_path, strict=False))
    result.renamed = [f"{a} -> {b}" for a, b in renamed.items() if a != b]
    for sdk_field in theirs:
        name = renamed.get(sdk_field.name, sdk_field.name) if sdk_field.path else sdk_field.name
        mine = our_args.get(name)
        if mine is None:
            wire = [n for n, a in our_args.items() if a["wire"] == sdk_field.name]
            mine = our_args[wire[0]] if wire else None
        if mine is None:
            if sdk_field.name not in doc_fields:
                result.document_lacks.append(f"field {sdk_field.name}")
            else:
                result.differences.append(("field the document has, ours lacks", sdk_field.name))
            continue
        if mine["required"] != sdk_field.required and not sdk_field.path:
            cause = "required in the SDK only" if sdk_field.required else "required here only"
            if _document_requires(doc, op, sdk_field.name) == mine["required"]:
                cause += " (as the document says)"
            result.differences.append((cause, sdk_field.name))
        theirs_kind, mine_kind = kind(sdk_field.annotation), kind(mine["type"])
        if "other" in (theirs_kind, mine_kind) or theirs_kind == mine_kind:
            extra = _values(sdk_field.annotation) - _values(mine["type"])
            if theirs_kind == mine_kind == "literal" and extra:
                schema_text = json.dumps(doc_fields.get(sdk_field.name, {}))
                for value in sorted(extra):
                    if f'"{value}"' in schema_text:
                        result.differences.append(("enum value lost", f"{sdk_field.name}={value}"))
                    else:
                        result.document_lacks.append(f"value {sdk_field.name}={value}")
            continue
        if {theirs_kind, mine_kind} <= {"int", "float"} or {theirs_kind, mine_kind} == {
            "literal",
            "str",
        }:
            result.differences.append(
                ("type: " + "/".join(sorted({theirs_kind, mine_kind})), sdk_field.name)
            )
            continue
        result.differences.append(
            (
                f"type: SDK {theirs_kind}, ours {mine_kind}",
                f"{sdk_field.name}: {sdk_field.annotation} vs {mine['type']}",
            )
        )
    known = {f.name for f in theirs} | set(renamed.values())
    for name, argument in our_args.items():
        if name not in known and argument["wire"] not in known:
            result.differences.append(("field the SDK lacks (in the document)", name))
    return result


def generate(config: Path, spec: Path) -> dict[tuple[str, str], str]:
    """Generate the package; the methods left out, with their first reason."""
    # A run the cache answers prints no skipped methods: start cold.
    shutil.rmtree(OUT / ".sdkforge-cache", ignore_errors=True)
    run = subprocess.run(
        [
            str(Path(sys.executable).with_name("sdkforge")),
            "generate",
            "--spec",
            str(spec),
            "--config",
            str(config),
            "--out",
            str(OUT),
            "--skip-unsupported",
            "--force",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise SystemExit(f"generation failed:\n{run.stderr[-3000:]}")
    skipped: dict[tuple[str, str], str] = {}
    for line in run.stderr.splitlines():
        match = re.search(r" skipped (\S+)\.([^.\s]+): (.*)$", line)
        if match:
            skipped.setdefault((match[1], match[2]), match[3])
    return skipped


def generated_tree(package: str) -> Any:
    sys.path.insert(0, str(OUT))
    module = importlib.import_module(package)
    client_class = next(
        getattr(module, n) for n in module.__all__ if n.endswith("Client") and "Async" not in n
    )
    return client_class(api_key="sk-not-used", base_url="http://127.0.0.1:9/v1")


def _at(client: Any, dotted: str) -> Any:
    target = client
    for part in dotted.split("."):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=openai_config.OUT)
    parser.add_argument("--spec", type=Path, default=openai_config.SPEC)
    parser.add_argument("--no-generate", action="store_true", help="use bench/.work as it is")
    parser.add_argument("--details", action="store_true", help="print every difference")
    args = parser.parse_args()
    skipped = {} if args.no_generate else generate(args.config, args.spec)
    doc = load(args.spec)
    ops = openai_config.operations(doc)
    surface = json.loads((OUT / ".sdkforge-surface.json").read_text(encoding="utf-8"))
    client = generated_tree(surface["package"])
    sdk = openai_walk.methods()
    in_doc = [
        (m, ops[(m.verb, openai_config.template(m.path))])
        for m in sdk
        if (m.verb, openai_config.template(m.path)) in ops
    ]
    results = []
    for method, op in in_doc:
        ours = surface["resources"].get(method.resource, {}).get("methods", {}).get(method.name)
        present = ours is not None and callable(_at(client, method.dotted))
        result = compare(method, ours if present else None, doc, op)
        result.skipped = skipped.get((method.resource, method.name), "")
        results.append(result)
    _report(len(sdk), results, args.details)


def _report(total: int, results: list[Compared], details: bool) -> None:
    at_path = [r for r in results if r.at_path]
    exact = [r for r in at_path if r.exact]
    n = len(results)
    print(f"OpenAI SDK public HTTP methods: {total}; endpoint in the document: {n}")
    print()
    print("| measure | methods | share |")
    print("|---|---:|---:|")
    print(f"| endpoint in the document | {n} | 100% |")
    print(f"| generated method at the same dotted path | {len(at_path)} | {len(at_path) / n:.1%} |")
    print(
        f"| ... of those, params field-exact | {len(exact)} | {len(exact) / max(len(at_path), 1):.1%} |"
    )
    print(f"| field-exact, of all {n} | {len(exact)} | {len(exact) / n:.1%} |")
    for shape in ("pages", "binary", "streams"):
        sdk_does = [r for r in at_path if r.shapes[shape][0]]
        both = [r for r in sdk_does if r.shapes[shape][1]]
        only_ours = [r for r in at_path if r.shapes[shape][1] and not r.shapes[shape][0]]
        print(
            f"| {shape} where the SDK {shape.rstrip('s') if shape != 'binary' else 'is binary'}"
            f"{'s' if shape != 'binary' else ''} | {len(both)} of {len(sdk_does)} |"
            f" {len(both) / max(len(sdk_does), 1):.1%} |"
            + (f" (and {len(only_ours)} where it does not)" if only_ours else "")
        )
    for shape in ("pages", "binary", "streams"):
        unmatched = [
            f"{r.method} (the document answers {r.media})"
            for r in at_path
            if r.shapes[shape][0] and not r.shapes[shape][1]
        ]
        if unmatched:
            print(f"  not {shape} here: {', '.join(unmatched)}")
    missing = [r for r in results if not r.at_path]
    print()
    print(f"Not at their path ({len(missing)}):")
    reasons = Counter(r.skipped or "not generated" for r in missing)
    for reason, count in reasons.most_common():
        print(f"  {count:3}  {reason}")
    causes: dict[str, list[str]] = defaultdict(list)
    for r in at_path:
        for cause, detail in r.differences:
            causes[cause].append(f"{r.method}: {detail}")
    print()
    print(f"Differences of the {len(at_path) - len(exact)} methods not field-exact, by cause:")
    for cause, items in sorted(causes.items(), key=lambda kv: -len(kv[1])):
        methods = len({i.split(":")[0] for i in items})
        print(f"  {len(items):3} in {methods:3} methods  {cause}")
        for item in items if details else items[:3]:
            print(f"        {item[:150]}")
    renamed = [(r.method, x) for r in at_path for x in r.renamed]
    print()
    print(f"Path parameters the document names otherwise (compared by position): {len(renamed)}")
    for method, what in renamed[:5]:
        print(f"  {method}: {what}")
    lacks = [(r.method, x) for r in at_path for x in r.document_lacks]
    print()
    print(f"Counted exact, the document lacks what the SDK has ({len(lacks)}):")
    for method, what in lacks if details else lacks[:40]:
        print(f"  {method}: {what}")
    if not details and len(lacks) > 40:
        print(f"  ... {len(lacks) - 40} more (--details)")


if __name__ == "__main__":
    main()
