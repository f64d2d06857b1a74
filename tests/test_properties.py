"""Property tests: whatever is done to a valid spec or config, the generator either reports
clean, located errors or writes code that compiles and lints.

Each example takes the project's own spec/openapi.yaml and spec/sdk.yaml, applies one to
three random mutations (delete a key, replace a node, rename a property, change a type, break
a `$ref`, insert text into a description, change enum values) and runs the in-process
pipeline. A run may end in exactly two ways:

- a `SpecError` whose every line reads `FILE:LINE:COLUMN: error: ...` and names one of the
  two input files (a `<generated>` location would mean the templates produced bad Python);
- output whose every .py file compiles and passes `ruff check --select E,F`.

Any other exception fails the example. Ruff runs once over all outputs of the run, since a
ruff process per example would cost more than the generation; every output directory holds
a `mutations.txt` that says how to reproduce it. Mutations that once found a bug are pinned
as explicit examples, so that they run every time.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from _generate import LINT_E_F, ruff
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sdkforge.diagnostics import SpecError
from sdkforge.pipeline import Inputs, generate_files

REPO_ROOT = Path(__file__).resolve().parent.parent
SPEC = yaml.safe_load((REPO_ROOT / "spec" / "openapi.yaml").read_text(encoding="utf-8"))
CONFIG = yaml.safe_load((REPO_ROOT / "spec" / "sdk.yaml").read_text(encoding="utf-8"))
DIAGNOSTIC = re.compile(r"^(?P<file>[^:]+):\d+:\d+: error: .+")

Key = tuple[str | int, ...]


def _paths(node: Any, prefix: Key = ()) -> list[Key]:
    """Every node's path below (not including) the root."""
    found: list[Key] = []
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else []
    )
    for key, child in children:
        path = (*prefix, key)
        found.append(path)
        found.extend(_paths(child, path))
    return found


def _pointer(name: str) -> str:
    """`name` as one segment of a JSON pointer."""
    return name.replace("~", "~0").replace("/", "~1")


SPEC_PATHS = _paths(SPEC)
CONFIG_PATHS = _paths(CONFIG)


def _ending(*lasts: str) -> list[Key]:
    return [p for p in SPEC_PATHS if p and p[-1] in lasts]


SPEC_PROPERTIES = [p for p in SPEC_PATHS if len(p) >= 2 and p[-2] == "properties"]

# Text that has broken code generators before: quotes, escapes, template syntax, line
# separators, control characters, non-ASCII.
NASTY_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            '"""',
            "'''",
            '"',
            "\\",
            "\\N{x}",
            "\\u12",
            "{{ x }}",
            "{% if %}",
            "\u2028",
            "\x00",
            "\x1c",
            "\r\n",
            "é\u0301",
            "🦊",
            "#",
            "\t",
            "x" * 300,
        ]
    ),
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), NASTY_TEXT)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
BROKEN_REFS = st.one_of(
    st.sampled_from(
        [
            "",
            "#",
            "#/",
            "#/nowhere",
            "other.yaml#/X",
            "#/components/schemas",
            "#/components/schemas/ImagesResponse/properties/data",
            "#/paths",
            "#/info/title",
            "#/components/schemas/ImageModel/anyOf/0",
        ]
    ),
    st.integers(),
    # A reference to any node of the document, whatever it is.
    st.sampled_from(SPEC_PATHS).map(lambda p: "#/" + "/".join(_pointer(str(k)) for k in p)),
)


@dataclass(frozen=True)
class Mutation:
    kind: str  # delete | set | rename | insert | rename_schema
    document: str  # spec | config
    path: Key
    value: Any = None
    at: int = 0  # insert: where in the text

    def apply(self, spec: Any, config: Any) -> None:
        doc = spec if self.document == "spec" else config
        try:
            parent = doc
            for key in self.path[:-1]:
                parent = parent[key]
            parent[self.path[-1]]
        except (KeyError, IndexError, TypeError):
            return  # an earlier mutation removed it
        key = self.path[-1]
        if self.kind == "delete":
            del parent[key]
        elif self.kind == "set":
            parent[key] = self.value
        elif self.kind == "rename" and self.value not in parent:
            # Rebuilt in place so that the key keeps its position: field order matters.
            items = [(self.value if k == key else k, v) for k, v in parent.items()]
            parent.clear()
            parent.update(items)
        elif self.kind == "rename_schema" and self.value not in parent:
            items = [(self.value if k == key else k, v) for k, v in parent.items()]
            parent.clear()
            parent.update(items)
            # Every reference follows, so the new name itself is what gets tested.
            _rewrite_refs(
                doc,
                f"#/components/schemas/{_pointer(str(key))}",
                f"#/components/schemas/{_pointer(self.value)}",
            )
        elif self.kind == "insert":
            text = parent[key] if isinstance(parent[key], str) else ""
            at = min(self.at, len(text))
            parent[key] = text[:at] + self.value + text[at:]


def _rewrite_refs(node: Any, old: str, new: str) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and value == old:
                node[key] = new
            else:
                _rewrite_refs(value, old, new)
    elif isinstance(node, list):
        for item in node:
            _rewrite_refs(item, old, new)


@st.composite
def mutations(draw: st.DrawFn) -> tuple[Mutation, ...]:
    done = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(
            st.sampled_from(
                [
                    "delete",
                    "replace",
                    "rename",
                    "type",
                    "ref",
                    "description",
                    "enum",
                    "config",
                    "schema name",
                ]
            )
        )
        if kind == "config":
            path = draw(st.sampled_from(CONFIG_PATHS))
            if draw(st.booleans()):
                done.append(Mutation("delete", "config", path))
            else:
                done.append(Mutation("set", "config", path, draw(VALUES)))
        elif kind == "delete":
            done.append(Mutation("delete", "spec", draw(st.sampled_from(SPEC_PATHS))))
        elif kind == "replace":
            done.append(Mutation("set", "spec", draw(st.sampled_from(SPEC_PATHS)), draw(VALUES)))
        elif kind == "rename":
            done.append(
                Mutation("rename", "spec", draw(st.sampled_from(SPEC_PROPERTIES)), draw(NASTY_TEXT))
            )
        elif kind == "type":
            value = draw(
                st.one_of(
                    st.sampled_from(
                        [
                            "string",
                            "integer",
                            "number",
                            "boolean",
                            "array",
                            "object",
                            "null",
                            "file",
                            "text",
                        ]
                    ),
                    st.lists(st.sampled_from(["string", "integer", "null", "object"]), max_size=3),
                    SCALARS,
                )
            )
            done.append(Mutation("set", "spec", draw(st.sampled_from(_ending("type"))), value))
        elif kind == "schema name":
            name = draw(st.sampled_from(sorted(SPEC["components"]["schemas"])))
            done.append(
                Mutation("rename_schema", "spec", ("components", "schemas", name), draw(NASTY_TEXT))
            )
        elif kind == "ref":
            done.append(
                Mutation("set", "spec", draw(st.sampled_from(_ending("$ref"))), draw(BROKEN_REFS))
            )
        elif kind == "description":
            done.append(
                Mutation(
                    "insert",
                    "spec",
                    draw(st.sampled_from(_ending("description", "summary"))),
                    draw(NASTY_TEXT),
                    draw(st.integers(0, 400)),
                )
            )
        else:
            done.append(
                Mutation(
                    "set",
                    "spec",
                    draw(st.sampled_from(_ending("enum"))),
                    draw(st.lists(SCALARS, max_size=4)),
                )
            )
    return tuple(done)


_GENERATE_REQUEST = ("components", "schemas", "ImageGenerateRequest")
_EDIT_PROMPT = ("components", "schemas", "ImageEditRequest", "properties", "prompt")
# Mutations that found bugs; kept so that every run tries them.
FOUND_BEFORE = [
    # A streaming method without required arguments: the generated tests called
    # `generate(, stream=True)`.
    (Mutation("delete", "spec", (*_GENERATE_REQUEST, "required", 0)),),
    # A free-form object argument: the resource module used `Dict` without importing it.
    (Mutation("set", "spec", (*_EDIT_PROMPT, "type"), ["null", "object"]),),
    # A method name holding a line separator split the error message over two lines.
    (Mutation("set", "config", ("resources", "images", "methods"), {"a\x1cb": 1}),),
    # A minLength so large that the test sample took gigabytes.
    (Mutation("set", "spec", (*_GENERATE_REQUEST, "properties", "prompt", "minLength"), 10**12),),
    # An infinite bound: int(inf) raised OverflowError.
    (Mutation("set", "spec", (*_GENERATE_REQUEST, "properties", "n", "minimum"), float("inf")),),
]


def _write(folder: Path, changes: tuple[Mutation, ...]) -> Inputs:
    spec, config = copy.deepcopy(SPEC), copy.deepcopy(CONFIG)
    for change in changes:
        change.apply(spec, config)
    folder.mkdir(parents=True)
    spec_path, config_path = folder / "openapi.yaml", folder / "sdk.yaml"
    for path, data in ((spec_path, spec), (config_path, config)):
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return Inputs(spec_path, config_path)


def _check_outcome(inputs: Inputs, folder: Path, changes: tuple[Mutation, ...]) -> bool:
    """Run the pipeline; True when it generated (into `folder`), False when it refused."""
    try:
        files = generate_files(inputs)
    except SpecError as error:
        assert error.diagnostics, "a SpecError must carry at least one diagnostic"
        for line in str(error).splitlines():
            match = DIAGNOSTIC.match(line)
            assert match, f"not FILE:LINE:COLUMN: error: ...: {line!r}"
            # Only the inputs may be blamed: anything else is the generator's own fault.
            assert match["file"] in (str(inputs.spec), str(inputs.config)), line
        return False
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if name.endswith(".py"):
            compile(text, str(path), "exec")
    (folder / "mutations.txt").write_text(repr(changes) + "\n", encoding="utf-8")
    return True


def _ruff_errors(root: Path) -> str:
    # E501 is left out: a 300-character word in a description makes a long line, not one
    # that breaks anything.
    result = ruff(*LINT_E_F, str(root), cwd=root)
    return "" if result.returncode == 0 else result.stdout + result.stderr


def test_mutated_inputs_give_located_errors_or_valid_code(tmp_path: Path) -> None:
    outputs = tmp_path / "outputs"
    outcomes = {"generated": 0, "refused": 0}

    def run(changes: tuple[Mutation, ...]) -> None:
        number = sum(outcomes.values())
        inputs = _write(tmp_path / "inputs" / str(number), changes)
        generated = _check_outcome(inputs, outputs / str(number), changes)
        outcomes["generated" if generated else "refused"] += 1

    explore = settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )(given(mutations())(run))
    for changes in FOUND_BEFORE:
        explore = example(changes)(explore)
    explore()

    # Both outcomes must have happened, or the mutations are too mild (or too harsh) to test
    # anything.
    assert outcomes["generated"] >= 5 and outcomes["refused"] >= 5, outcomes
    errors = _ruff_errors(outputs)
    assert not errors, errors
