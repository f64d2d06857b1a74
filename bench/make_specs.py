"""Make the inputs the benchmarks run on, in a work directory (default: bench/.work/specs).

- `ops<N>/openapi.yaml` + `ops<N>/sdk.yaml`: the image API scaled to N operations. Operation i
  is a copy of image endpoint i % 3 under its own path (/images<g>/generations, g = i // 3) with
  its own copies of every schema it reaches (ImagesResponse<g>, ...); the config maps group g
  to resource `images<g>`, so the N methods are spread over ceil(N / 3) resources.
- `changed/openapi.yaml`: spec/openapi.yaml with one field description changed.
- `full/sdk.yaml`: a config naming every operation of the full OpenAI document, one method a
  line.

Run on its own: `.venv/bin/python bench/make_specs.py [--work DIR] [--sizes 10 100 1000]`.
"""

from __future__ import annotations

import argparse
import copy
import json
import keyword
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "openapi.yaml"
CONFIG = ROOT / "spec" / "sdk.yaml"
WORK = ROOT / "bench" / ".work" / "specs"
SCHEMA_REF = "#/components/schemas/"
VERBS = ("get", "put", "post", "delete", "patch")

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)


def dump(data: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        yaml.dump(data, Dumper=Dumper, sort_keys=False, width=100, allow_unicode=True),
        encoding="utf-8",
    )


# -- scaled specs ---------------------------------------------------------------------------


def _refs(node: Any) -> Iterator[str]:
    """Every schema name `node` references directly."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(SCHEMA_REF):
                yield value[len(SCHEMA_REF) :]
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _closure(roots: list[Any], schemas: dict[str, Any]) -> list[str]:
    """The schema names reachable from `roots`, in the order of `schemas`."""
    seen: set[str] = set()
    todo = [name for root in roots for name in _refs(root)]
    while todo:
        name = todo.pop()
        if name not in seen and name in schemas:
            seen.add(name)
            todo.extend(_refs(schemas[name]))
    return [name for name in schemas if name in seen]


def _renamed(node: Any, rename: dict[str, str]) -> Any:
    """A deep copy of `node` with every schema reference renamed."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if (
                isinstance(value, str)
                and value.startswith(SCHEMA_REF)
                and value[len(SCHEMA_REF) :] in rename
            ):
                out[key] = SCHEMA_REF + rename[value[len(SCHEMA_REF) :]]
            else:
                out[key] = _renamed(value, rename)
        return out
    if isinstance(node, list):
        return [_renamed(item, rename) for item in node]
    return copy.deepcopy(node)


@dataclass(frozen=True)
class Endpoint:
    method: str  # the config's method name, e.g. "generate"
    verb: str
    path: str


def _endpoints(config: dict[str, Any]) -> tuple[str, str, list[Endpoint]]:
    """The one resource of spec/sdk.yaml: its name, singular and endpoints."""
    ((name, resource),) = config["resources"].items()
    endpoints = []
    for method, target in resource["methods"].items():
        verb, path = target.split()
        endpoints.append(Endpoint(method, verb.lower(), path))
    return name, resource.get("singular", name.rstrip("s")), endpoints


def scaled(
    spec: dict[str, Any], config: dict[str, Any], n: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The spec and config with `n` image-like operations."""
    resource, singular, endpoints = _endpoints(config)
    schemas = spec["components"]["schemas"]
    out_spec = {
        key: copy.deepcopy(value)
        for key, value in spec.items()
        if key not in ("paths", "components")
    }
    out_spec["paths"] = {}
    out_schemas: dict[str, Any] = {}
    out_spec["components"] = {
        **copy.deepcopy({k: v for k, v in spec["components"].items() if k != "schemas"}),
        "schemas": out_schemas,
    }
    resources: dict[str, Any] = {}
    aliases: list[str] = []
    for group in range((n + len(endpoints) - 1) // len(endpoints)):
        chosen = endpoints[: min(len(endpoints), n - group * len(endpoints))]
        operations = [spec["paths"][e.path][e.verb] for e in chosen]
        used = _closure(operations, schemas)
        rename = {name: f"{name}{group}" for name in used}
        for name in used:
            if rename[name] in out_schemas or rename[name] in schemas:
                raise SystemExit(f"make_specs: schema name clash on {rename[name]}")
            out_schemas[rename[name]] = _renamed(schemas[name], rename)
        methods = {}
        for endpoint, operation in zip(chosen, operations, strict=True):
            path = endpoint.path.replace(f"/{resource}/", f"/{resource}{group}/", 1)
            op = _renamed(operation, rename)
            if "operationId" in op:
                op["operationId"] = f"{op['operationId']}{group}"
            out_spec["paths"].setdefault(path, {})[endpoint.verb] = op
            methods[endpoint.method] = f"{endpoint.verb} {path}"
        resources[f"{resource}{group}"] = {"singular": f"{singular}{group}", "methods": methods}
        aliases += [rename[name] for name in config.get("aliases", []) if name in rename]
    out_config: dict[str, Any] = {
        key: copy.deepcopy(config[key]) for key in ("package", "version", "client") if key in config
    }
    if aliases:
        out_config["aliases"] = aliases
    out_config["resources"] = resources
    return out_spec, out_config


# -- one changed description ----------------------------------------------------------------


def changed_description(text: str) -> tuple[str, str]:
    """`text` with the description of the first body field of the first operation changed.

    Edits the scalar in place (by its position in the source), so everything else in the file
    stays byte for byte the same. Returns the new text and where the change is.
    """
    root = yaml.compose(text, Loader=Loader)
    assert root is not None, "the spec is empty"
    data = yaml.load(text, Loader=Loader)
    path, verb, operation = next(
        (p, v, o) for p, item in data["paths"].items() for v, o in item.items() if v in VERBS
    )
    content = operation["requestBody"]["content"]
    schema = next(iter(content.values()))["schema"]
    schema_name = schema["$ref"][len(SCHEMA_REF) :]
    field = next(
        name
        for name, prop in data["components"]["schemas"][schema_name]["properties"].items()
        if isinstance(prop, dict) and "description" in prop
    )
    node = _node(root, ["components", "schemas", schema_name, "properties", field, "description"])
    old = data["components"]["schemas"][schema_name]["properties"][field]["description"]
    new = json.dumps(f"{old.rstrip()} Changed by the benchmark.", ensure_ascii=False)
    start, end = node.start_mark.index, node.end_mark.index
    # A block scalar's span ends after its line break and the next line's indentation: keep them.
    span = text[start:end]
    return text[:start] + new + span[len(span.rstrip()) :] + text[
        end:
    ], f"{schema_name}.{field} ({verb.upper()} {path})"


def _node(root: yaml.Node, keys: list[str]) -> yaml.Node:
    node = root
    for key in keys:
        assert isinstance(node, yaml.MappingNode)
        node = next(value for k, value in node.value if k.value == key)
    return node


# -- a config for every operation of a big document -----------------------------------------


def _snake(text: str) -> str:
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    text = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower()
    if not text or text[0].isdigit():
        text = f"op_{text}"
    return f"{text}_" if keyword.iskeyword(text) else text


def operations(spec: dict[str, Any]) -> list[dict[str, str]]:
    """Every operation of `spec` as a config method: resource, method name, verb and path.

    The resource is the path's first segment; the method name is the operationId in snake case.
    """
    ops: list[dict[str, str]] = []
    taken: set[tuple[str, str]] = set()
    for path, item in spec["paths"].items():
        for verb, operation in item.items():
            if verb not in VERBS or not isinstance(operation, dict):
                continue
            resource = _snake(path.split("?")[0].strip("/").split("/")[0] or "root")
            method = _snake(operation.get("operationId") or f"{verb}_{path}")
            name, index = method, 2
            while (resource, name) in taken:
                name, index = f"{method}_{index}", index + 1
            taken.add((resource, name))
            ops.append(
                {
                    "resource": resource,
                    "method": name,
                    "verb": verb,
                    "path": path,
                    "operation_id": operation.get("operationId", ""),
                }
            )
    return ops


def config_text(ops: list[dict[str, str]]) -> tuple[str, dict[int, dict[str, str]]]:
    """A config naming `ops`, one method a line, and config line number -> operation."""
    lines = [
        "# Operations of a big document, one method a line: made by bench/make_specs.py.",
        "package: openai_full",
        "version: 0.1.0",
        "client:",
        "  sync: FullClient",
        "  async: AsyncFullClient",
        "  api_key_env: OPENAI_API_KEY",
        "resources:",
    ]
    where: dict[int, dict[str, str]] = {}
    by_resource: dict[str, list[dict[str, str]]] = {}
    for op in ops:
        by_resource.setdefault(op["resource"], []).append(op)
    for resource, methods in by_resource.items():
        lines += [f"  {resource}:", "    methods:"]
        for op in methods:
            lines.append(f"      {op['method']}: {json.dumps(op['verb'] + ' ' + op['path'])}")
            where[len(lines)] = op
    return "\n".join(lines) + "\n", where


# -- command line ---------------------------------------------------------------------------


def make_all(work: Path, sizes: list[int], full_spec: Path | None) -> dict[str, Any]:
    """Write every input; return what was written, for run.py."""
    spec, config = load(SPEC), load(CONFIG)
    made: dict[str, Any] = {"sizes": {}}
    for n in sizes:
        out_spec, out_config = scaled(spec, config, n)
        folder = work / f"ops{n}"
        dump(out_spec, folder / "openapi.yaml")
        dump(out_config, folder / "sdk.yaml")
        made["sizes"][n] = folder
    text, where = changed_description(SPEC.read_text(encoding="utf-8"))
    (work / "changed").mkdir(parents=True, exist_ok=True)
    (work / "changed" / "openapi.yaml").write_text(text, encoding="utf-8")
    made["changed"] = where
    if full_spec is not None and full_spec.is_file():
        ops = operations(load(full_spec))
        text, _ = config_text(ops)
        (work / "full").mkdir(parents=True, exist_ok=True)
        (work / "full" / "sdk.yaml").write_text(text, encoding="utf-8")
        made["full"] = len(ops)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=WORK)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument(
        "--full", type=Path, default=ROOT.parent / "shared" / "corpus" / "openai-full.openapi.yaml"
    )
    args = parser.parse_args()
    made = make_all(args.work, args.sizes, args.full)
    for n, folder in made["sizes"].items():
        print(f"{folder}: {n} operations")
    print(f"{args.work / 'changed'}: changed the description of {made['changed']}")
    if "full" in made:
        print(f"{args.work / 'full'}: a config with all {made['full']} operations of {args.full}")


if __name__ == "__main__":
    main()
