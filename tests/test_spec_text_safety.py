"""Text from the spec is data, never code: no description, summary or enum value can break
the generated package, and no name can make the generator write outside `--out`.

One spec carries every kind of hostile text at once (quotes of each kind, backslash
escapes, Jinja markers, control characters, a 500-character word, emoji, right-to-left
text, combining marks, line separators) in field descriptions, a nested object's
description, response field descriptions, the operation summary and enum values. The
generated package must compile, lint clean, and say back exactly what the spec said: each
docstring, read with `ast`, equals its description once whitespace is normalised (docstrings
are wrapped), and each `Literal` value equals its enum value exactly.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml
from _generate import LINT_E_F, ruff
from sdkforge.cli import main
from sdkforge.format import scratch_parent
from sdkforge.pipeline import Inputs, generate_files

HOSTILE_TEXTS = [
    'Ends with a quote"',
    '"""Starts with triple quotes',
    "Has \"\"\"triple\"\"\" and '''single''' quotes, and a lone \" and '",
    "Backslash escapes that must stay text: \\N{BULLET} \\u2603 \\x41 \\n \\t \\",
    "Ends with a backslash \\",
    "Jinja: {{ sdk.package.name }} {% if true %}yes{% endif %} {# comment #} {{",
    "Control characters: \x00 \x01 \x07 \x08 \x1b \x7f end",
    "word " + "x" * 500 + " after",
    "Emoji 🦊🦊, RTL שלום עולם مرحبا, combining e\u0301 a\u0308 Z\u0335\u0321",
    "Line\u2028separator, paragraph\u2029separator, next line\x85and form\x0cfeed",
    "Windows\r\nline ends\rand tabs\there",
    '"',
    "\\",
    "Paragraph one.\n\nParagraph two:\n\n- item one\n- item two\n\n1. first",
    "    leading and trailing whitespace    ",
    "Percent %s %(name)s and format {0} {name} braces",
]

HOSTILE_ENUM = [
    'say "hi"',
    "it's",
    "back\\slash",
    "new\nline",
    "tab\there",
    "{{ x }}",
    "{% raw %}",
    "\u2028",
    "",
    "'''",
    '"""',
    "\x00",
    "🦊",
    "\\N{BULLET}",
    " ",
]

SUMMARY = 'Create an echo: """quoted""", {{ jinja }}, \\N{x}, 🦊, e\u0301\u2028 end "'


def _spec() -> dict[str, Any]:
    request_properties: dict[str, Any] = {
        f"req_{index}": {"type": "string", "description": text}
        for index, text in enumerate(HOSTILE_TEXTS)
    }
    request_properties["mood"] = {
        "type": "string",
        "enum": HOSTILE_ENUM,
        "description": HOSTILE_TEXTS[0],
    }
    request_properties["box"] = {
        "type": "object",
        "description": HOSTILE_TEXTS[2],
        "properties": {"side": {"type": "integer", "description": HOSTILE_TEXTS[3]}},
    }
    response_properties = {
        f"res_{index}": {"type": "string", "description": text}
        for index, text in enumerate(HOSTILE_TEXTS)
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Echo API", "version": "1.0.0", "description": HOSTILE_TEXTS[5]},
        "servers": [{"url": "https://echo.example.test/v2"}],
        "paths": {
            "/echo": {
                "post": {
                    "summary": SUMMARY,
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/EchoRequest"}
                            }
                        }
                    },
                    "responses": {
                        "200": {
                            "description": HOSTILE_TEXTS[1],
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Echo"}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "EchoRequest": {
                    "type": "object",
                    "description": HOSTILE_TEXTS[4],
                    "properties": request_properties,
                },
                "Echo": {
                    "type": "object",
                    "description": HOSTILE_TEXTS[6],
                    "properties": response_properties,
                },
            }
        },
    }


CONFIG = """\
package: echosdk
client: {sync: EchoClient, async: AsyncEchoClient, api_key_env: ECHO_API_KEY}
resources:
  echoes:
    singular: echo
    methods:
      create: post /echo
"""


def _normalise(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def hostile_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    # safe_dump writes every hostile character as a YAML escape where it must.
    (folder / "openapi.yaml").write_text(
        yaml.safe_dump(_spec(), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    (folder / "sdk.yaml").write_text(CONFIG, encoding="utf-8")
    out = folder / "out"
    code = main(
        [
            "generate",
            "--spec",
            str(folder / "openapi.yaml"),
            "--config",
            str(folder / "sdk.yaml"),
            "--out",
            str(out),
        ]
    )
    assert code == 0
    return out


def _python_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.py"))


def test_every_generated_file_compiles(hostile_output: Path) -> None:
    files = _python_files(hostile_output)
    assert len(files) > 10
    for path in files:
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_generated_code_lints_clean(hostile_output: Path) -> None:
    # E501 is left out on purpose: the 500-character word cannot be wrapped.
    result = ruff(*LINT_E_F, str(hostile_output), cwd=hostile_output)
    assert result.returncode == 0, result.stdout + result.stderr


def _attribute_docstrings(path: Path) -> dict[str, dict[str, str]]:
    """class name -> {attribute: the string literal right after its annotation}."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[str, dict[str, str]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        docs: dict[str, str] = {}
        for first, second in zip(node.body, node.body[1:], strict=False):
            if (
                isinstance(first, ast.AnnAssign)
                and isinstance(first.target, ast.Name)
                and isinstance(second, ast.Expr)
                and isinstance(second.value, ast.Constant)
                and isinstance(second.value.value, str)
            ):
                docs[first.target.id] = second.value.value
        found[node.name] = docs
    return found


def test_field_docstrings_say_what_the_spec_says(hostile_output: Path) -> None:
    params = _attribute_docstrings(hostile_output / "echosdk/types/echo_create_params.py")
    fields = params["EchoCreateParams"]
    for index, text in enumerate(HOSTILE_TEXTS):
        assert _normalise(fields[f"req_{index}"]) == _normalise(text), index
    assert _normalise(fields["mood"]) == _normalise(HOSTILE_TEXTS[0])
    assert _normalise(params["EchoCreateBox"]["side"]) == _normalise(HOSTILE_TEXTS[3])


def test_nested_class_docstring_says_what_the_spec_says(hostile_output: Path) -> None:
    tree = ast.parse(
        (hostile_output / "echosdk/types/echo_create_params.py").read_text(encoding="utf-8")
    )
    box = next(
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and node.name == "EchoCreateBox"
    )
    assert _normalise(ast.get_docstring(box, clean=False) or "") == _normalise(HOSTILE_TEXTS[2])


def test_response_model_docstrings_say_what_the_spec_says(hostile_output: Path) -> None:
    models = _attribute_docstrings(hostile_output / "echosdk/types/echo.py")
    fields = models["Echo"]
    for index, text in enumerate(HOSTILE_TEXTS):
        assert _normalise(fields[f"res_{index}"]) == _normalise(text), index


def test_method_docstring_holds_the_summary_and_every_description(hostile_output: Path) -> None:
    tree = ast.parse((hostile_output / "echosdk/resources/echoes.py").read_text(encoding="utf-8"))
    methods = [
        node
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "create"
    ]
    assert len(methods) == 2  # sync and async
    for method in methods:
        doc = _normalise(ast.get_docstring(method, clean=False) or "")
        assert doc.startswith(_normalise(SUMMARY))
        for index, text in enumerate(HOSTILE_TEXTS):
            assert f"req_{index}: {_normalise(text)}".strip() in doc, index


def _literal_values(annotation: ast.expr) -> list[object]:
    """The values of the Literal[...] inside `annotation` (under Optional/Union/Required)."""
    for node in ast.walk(annotation):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == "Literal"
        ):
            elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            return [ast.literal_eval(element) for element in elements]
    raise AssertionError(f"no Literal in {ast.unparse(annotation)}")


def test_enum_literals_hold_the_exact_values(hostile_output: Path) -> None:
    tree = ast.parse(
        (hostile_output / "echosdk/types/echo_create_params.py").read_text(encoding="utf-8")
    )
    annotations = [
        node.annotation
        for node in ast.walk(tree)
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.target.id == "mood"
    ]
    assert annotations
    for annotation in annotations:
        assert _literal_values(annotation) == HOSTILE_ENUM


def test_method_argument_literal_holds_the_exact_values(hostile_output: Path) -> None:
    tree = ast.parse((hostile_output / "echosdk/resources/echoes.py").read_text(encoding="utf-8"))
    found = [
        argument.annotation
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name == "create"
        for argument in node.args.kwonlyargs
        if argument.arg == "mood"
    ]
    assert found and all(annotation is not None for annotation in found)
    for annotation in found:
        assert annotation is not None
        assert _literal_values(annotation) == HOSTILE_ENUM


def test_hostile_package_imports_and_sends_the_values(hostile_output: Path) -> None:
    """Beyond parsing: the module runs, and an enum value full of escapes reaches the wire
    unchanged."""
    driver = (
        "import json, httpx\n"
        "from echosdk import EchoClient\n"
        "sent = []\n"
        "def handler(request):\n"
        "    sent.append(json.loads(request.content))\n"
        "    return httpx.Response(200, json={})\n"
        "client = EchoClient(api_key='k', base_url='https://echo.test',\n"
        "                    http_client=httpx.Client(transport=httpx.MockTransport(handler)))\n"
        "client.echoes.create(mood=json.loads(input()))\n"
        "print(json.dumps(sent))\n"
    )
    for value in HOSTILE_ENUM:
        result = subprocess.run(
            [sys.executable, "-c", driver],
            cwd=hostile_output,
            input=json.dumps(value),
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONPATH": str(hostile_output)},
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == [{"mood": value}]


# -- names from the spec or config never lead a write outside --out --------------------------

HOSTILE_NAMES = [
    "../evil",
    "../../evil",
    "/tmp/evil",
    "a/b",
    "evil\x00",
    "..",
    ".",
    "C:\\evil",
    "~evil",
    "évil",
    "__init__",
    "evil\n",
    "con",
    "",
]

BASE_SPEC = {
    "openapi": "3.1.0",
    "servers": [{"url": "https://echo.example.test/v2"}],
    "paths": {
        "/echo": {
            "post": {
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/EchoRequest"}}
                    }
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Echo"}}
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "EchoRequest": {
                "type": "object",
                "properties": {
                    "message": {"type": "string"},
                    "box": {"$ref": "#/components/schemas/Box"},
                    "model": {"$ref": "#/components/schemas/Model"},
                },
            },
            "Box": {"type": "object", "properties": {"side": {"type": "integer"}}},
            "Model": {"type": "string", "enum": ["a", "b"]},
            "Echo": {"type": "object", "properties": {"message": {"type": "string"}}},
        }
    },
}
BASE_CONFIG = {
    "package": "echosdk",
    "client": {"sync": "EchoClient", "async": "AsyncEchoClient", "api_key_env": "ECHO_API_KEY"},
    "aliases": ["Model"],
    "resources": {"echoes": {"singular": "echo", "methods": {"create": "post /echo"}}},
}


def _pointer_part(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _rename_schema(spec: dict[str, Any], config: dict[str, Any], old: str, new: str) -> None:
    schemas = spec["components"]["schemas"]
    schemas[new] = schemas.pop(old)
    target = f"#/components/schemas/{_pointer_part(new)}"

    def rewrite(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref" and value == f"#/components/schemas/{old}":
                    node[key] = target
                else:
                    rewrite(value)
        elif isinstance(node, list):
            for item in node:
                rewrite(item)

    rewrite(spec)
    config["aliases"] = [new if alias == old else alias for alias in config["aliases"]]


def _place(spec: dict[str, Any], config: dict[str, Any], where: str, name: str) -> None:
    if where == "package":
        config["package"] = name
    elif where == "resource":
        config["resources"] = {name: config["resources"]["echoes"]}
    elif where == "singular":
        config["resources"]["echoes"]["singular"] = name
    elif where == "method":
        config["resources"]["echoes"]["methods"] = {name: "post /echo"}
    elif where == "response schema":
        _rename_schema(spec, config, "Echo", name)
    elif where == "nested schema":
        _rename_schema(spec, config, "Box", name)
    elif where == "alias schema":
        _rename_schema(spec, config, "Model", name)
    elif where == "field":
        properties = spec["components"]["schemas"]["EchoRequest"]["properties"]
        properties[name] = properties.pop("message")
    elif where == "path":
        spec["paths"] = {f"/{name}": spec["paths"]["/echo"]}
        config["resources"]["echoes"]["methods"] = {"create": f"post /{name}"}


def _every_file(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file() or path.is_symlink()}


class _WriteGuard:
    """Sees every file-system write of this process (through an audit hook) while active,
    and blocks the ones outside the allowed places, so that a bug in the generator shows up
    as a recorded violation instead of a file written anywhere on the machine.

    Comparing directory listings would only see inside the folder listed: a name that
    becomes an absolute path (an empty package name once made `/__init__.py`) writes
    somewhere else entirely.
    """

    # event -> ((index of a path written, index of the dir_fd it is relative to or -1), ...)
    _EVENTS: ClassVar[dict[str, tuple[tuple[int, int], ...]]] = {
        "os.mkdir": ((0, 2),),
        "os.rename": ((0, 2), (1, 3)),
        "os.replace": ((0, 2), (1, 3)),
        "os.link": ((1, 3),),
        "os.symlink": ((1, 2),),
        "os.remove": ((0, 1),),
        "os.rmdir": ((0, 1),),
        "shutil.copyfile": ((1, -1),),
        "shutil.rmtree": ((0, -1),),
    }
    _WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

    def __init__(self) -> None:
        self.allowed: tuple[Path, ...] = ()
        self.violations: list[str] = []
        self.active = False
        sys.addaudithook(self._hook)  # cannot be removed: inert while not active

    def _targets(self, event: str, args: tuple[Any, ...]) -> list[Path]:
        if event == "open":
            path, mode, flags = args
            writing = (
                any(c in mode for c in "wax+")
                if isinstance(mode, str)
                else bool((flags or 0) & self._WRITE_FLAGS)
            )
            places = [(path, None)] if writing else []
        else:
            places = [
                (args[index], args[fd] if 0 <= fd < len(args) else None)
                for index, fd in self._EVENTS.get(event, ())
            ]
        targets = []
        for target, dir_fd in places:
            if not isinstance(target, (str, bytes, os.PathLike)):
                continue  # a file descriptor
            # rmtree and friends work relative to an open directory.
            relative = isinstance(dir_fd, int) and dir_fd >= 0  # -1: no dir_fd given
            base = os.readlink(f"/proc/self/fd/{dir_fd}") if relative else "."
            targets.append(Path(os.path.abspath(os.path.join(base, os.fsdecode(target)))))
        return targets

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.active:
            return
        for path in self._targets(event, args):
            if "__pycache__" in path.parts:
                continue  # Python caching bytecode of a module imported on first use
            if not self._allowed(path):
                self.violations.append(f"{event} {path}")
                raise PermissionError(f"test guard: {event} outside the allowed places: {path}")

    def _allowed(self, path: Path) -> bool:
        if any(path == root or root in path.parents for root in self.allowed):
            return True
        # The formatter's scratch directories are the only other place sdkforge writes.
        temp = Path(scratch_parent() or tempfile.gettempdir()).resolve()
        return temp in path.parents and path.relative_to(temp).parts[0].startswith(
            "sdkforge-format-"
        )


_GUARD = _WriteGuard()


WHERE = [
    "package",
    "resource",
    "singular",
    "method",
    "response schema",
    "nested schema",
    "alias schema",
    "field",
    "path",
]


def test_write_guard_blocks_and_records_a_stray_write(tmp_path: Path) -> None:
    """The guard below is what makes the next test able to fail: check that it does."""
    inside, outside = tmp_path / "inside", tmp_path.parent / f"{tmp_path.name}-outside.txt"
    _GUARD.allowed, _GUARD.violations, _GUARD.active = (tmp_path.resolve(),), [], True
    try:
        inside.write_text("fine", encoding="utf-8")
        with pytest.raises(PermissionError, match="test guard"):
            outside.write_text("stray", encoding="utf-8")
        with pytest.raises(PermissionError, match="test guard"):
            os.mkdir(tmp_path.parent / f"{tmp_path.name}-dir")
    finally:
        _GUARD.active = False
    assert inside.read_text(encoding="utf-8") == "fine"
    assert not outside.exists()
    assert len(_GUARD.violations) == 2


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=repr)
def test_no_name_writes_outside_the_output(
    tmp_path: Path, where: str, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    spec: dict[str, Any] = yaml.safe_load(yaml.safe_dump(BASE_SPEC))
    config: dict[str, Any] = yaml.safe_load(yaml.safe_dump(BASE_CONFIG))
    _place(spec, config, where, name)
    # Inputs two levels down, so that `../` and `../../` from --out still land in tmp_path,
    # where a stray file would be seen.
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    (work / "openapi.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    (work / "sdk.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    before = _every_file(tmp_path)
    out = work / "out"
    _GUARD.allowed, _GUARD.violations, _GUARD.active = (tmp_path.resolve(),), [], True
    try:
        code = main(
            [
                "generate",
                "--spec",
                str(work / "openapi.yaml"),
                "--config",
                str(work / "sdk.yaml"),
                "--out",
                str(out),
            ]
        )
    finally:
        _GUARD.active = False
    assert not _GUARD.violations
    err = capsys.readouterr().err
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err
    written = _every_file(tmp_path) - before
    outside = {path for path in written if out not in path.parents}
    assert not outside
    if code == 2:
        assert not written
        for line in err.splitlines():
            assert line.startswith((f"{work / 'openapi.yaml'}:", f"{work / 'sdk.yaml'}:")), line
    else:
        for path in written:
            # Plain files with printable, relative-looking names only.
            assert not path.is_symlink()
            relative = path.relative_to(out).as_posix()
            assert relative.isprintable() and ".." not in relative.split("/"), relative


def test_generated_file_names_are_plain_relative_paths() -> None:
    """The pipeline's own output (before write) for the project's spec, as a baseline."""
    root = Path(__file__).resolve().parent.parent
    files = generate_files(Inputs(root / "spec" / "openapi.yaml", root / "spec" / "sdk.yaml"))
    for name in files:
        parts = name.split("/")
        assert not name.startswith("/") and all(part not in ("", ".", "..") for part in parts)
        assert name.isascii() and name.isprintable()


def test_writer_refuses_a_path_that_leaves_the_output(tmp_path: Path) -> None:
    """The last line of defence in write.py, for a name no check upstream caught."""
    from sdkforge.write import write_tree

    with pytest.raises(ValueError, match="not a plain relative path"):
        write_tree({"../escaped.py": "x = 1\n"}, tmp_path / "out", force=False)
    assert not (tmp_path / "escaped.py").exists()
    assert not (tmp_path / "out").exists()
