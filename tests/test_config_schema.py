"""generator/sdk.schema.json, the JSON Schema of sdk.yaml, agrees with the config reader.

The reader's own key tables are the reference: every `reader.mapping(value, path, KEYS)`
call made while reading a config is recorded, and the keys it allows at that path must be
the schema's properties there. `tests/config_schema/every_key.yaml` holds every key at every
level; it must reach every key table of the reader's modules, so a new section is noticed
even before it is in the schema. Types are compared by putting a value of each other JSON
type in place of every value of that file: the schema and the reader must accept and refuse
the same ones.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import sdkforge
import yaml
from sdkforge import config as config_module
from sdkforge.config import _ConfigReader, read_config
from sdkforge.diagnostics import Diagnostic, Reporter
from sdkforge.load import PathKey, parse_yaml
from sdkforge.package_data import config_schema_text

REPO_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = "generator/sdk.schema.json"
EVERY_KEY = Path(__file__).parent / "config_schema" / "every_key.yaml"
SCHEMA: dict[str, Any] = json.loads(config_schema_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
PROJECT_CONFIGS = [
    REPO_ROOT / "spec" / "sdk.yaml",
    *sorted((REPO_ROOT / "tests" / "corpus").glob("*/sdk.yaml")),
    *sorted((REPO_ROOT / "examples").glob("*/sdk.yaml")),
]


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        pointer = node["$ref"].removeprefix("#/").split("/")
        target: Any = SCHEMA
        for part in pointer:
            target = target[part]
        node = {**{k: v for k, v in node.items() if k != "$ref"}, **target}
    return node


def _branch(node: dict[str, Any], is_list: bool) -> dict[str, Any]:
    """Of a key that takes one entry or a list of them (`anyOf` of the two), the entry's
    schema: both forms are one place, spelled once."""
    for option in node.get("anyOf", []):
        option = _resolve(option)
        if (option.get("type") == "array") == is_list:
            return _resolve(option["items"]) if is_list else option
    return node


def _schema_at(path: PathKey) -> tuple[dict[str, Any] | None, str]:
    """The schema of the value at `path`, and the path as the schema spells it
    (`resources.<name>.methods`); None where the schema has no place for it."""
    node: dict[str, Any] | None = _resolve(SCHEMA)
    spelled: list[str] = []
    for key in path:
        if node is None:
            break
        if "anyOf" in node:
            node = _branch(node, isinstance(key, int))
            if isinstance(key, int):
                continue
        if isinstance(key, int):
            child = node.get("items")
            spelled.append("[]")
        elif key in node.get("properties", {}):
            child = node["properties"][key]
            spelled.append(key)
        else:
            child = node.get("additionalProperties")
            spelled.append("<name>")
        node = _resolve(child) if isinstance(child, dict) else None
    if node is not None and "anyOf" in node:
        node = _branch(node, False)
    return node, ".".join(spelled) or "the top level"


def _reader_modules() -> list[Any]:
    """config.py and every module that reads a section of the config with its reader."""
    found = [config_module]
    for info in pkgutil.iter_modules(sdkforge.__path__):
        module = importlib.import_module(f"sdkforge.{info.name}")
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        if module is not config_module and "_ConfigReader" in source:
            found.append(module)
    return found


def _key_tables() -> dict[tuple[str, ...], str]:
    """Each tuple of key names a reader module holds (`_X_KEYS`), with where it is."""
    tables: dict[tuple[str, ...], str] = {}
    for module in _reader_modules():
        for name, value in vars(module).items():
            if name.endswith("KEYS") and isinstance(value, tuple):
                where = f"generator/{module.__name__.rpartition('.')[2]}.py {name}"
                tables[value] = where
    return tables


_MAPPING = _ConfigReader.mapping


def _read(data: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Diagnostic], list[Any]]:
    """The reader's diagnostics on `data`, and its `mapping` calls as (path, allowed keys)."""
    calls: list[tuple[PathKey, tuple[str, ...]]] = []

    def recording(
        self: _ConfigReader, value: Any, path: PathKey, allowed: tuple[str, ...]
    ) -> dict[str, Any]:
        if isinstance(value, dict):
            calls.append((path, allowed))
        return _MAPPING(self, value, path, allowed)

    monkeypatch.setattr(_ConfigReader, "mapping", recording)
    reporter = Reporter()
    read_config(parse_yaml(yaml.safe_dump(data, sort_keys=False), "sdk.yaml"), reporter)
    return reporter.diagnostics, calls


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_every_key_file_is_read_without_errors_and_is_valid(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _load(EVERY_KEY)
    diagnostics, _ = _read(data, monkeypatch)
    assert diagnostics == [], "\n".join(map(str, diagnostics))
    errors = [
        f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(data)
    ]
    assert errors == []


@pytest.mark.parametrize("config", PROJECT_CONFIGS, ids=lambda p: p.parent.name)
def test_the_project_configs_are_valid(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _load(config)
    errors = [
        f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(data)
    ]
    assert errors == [], f"{config} does not match {SCHEMA_FILE}"
    # ... and they read without errors: the schema did not pass a config the reader refuses.
    assert _read(data, monkeypatch)[0] == []


def test_the_keys_at_every_level_are_the_readers(monkeypatch: pytest.MonkeyPatch) -> None:
    tables = _key_tables()
    problems = set()
    for config in (EVERY_KEY, *PROJECT_CONFIGS):
        for path, allowed in _read(_load(config), monkeypatch)[1]:
            node, spelled = _schema_at(path)
            table = tables.get(allowed, "the reader")
            if node is None or node.get("type") != "object":
                problems.add(f"add an object at {spelled} with the keys of {table}: {allowed}")
                continue
            properties = set(node.get("properties", {}))
            if missing := [key for key in allowed if key not in properties]:
                problems.add(
                    f"add {', '.join(missing)} to {SCHEMA_FILE} at {spelled} ({table} accepts them)"
                )
            if extra := sorted(properties - set(allowed)):
                problems.add(
                    f"remove {', '.join(extra)} from {SCHEMA_FILE} at {spelled}, or add them "
                    f"to {table}: the reader refuses them"
                )
            if node.get("additionalProperties") is not False:
                problems.add(f"{SCHEMA_FILE} at {spelled}: say additionalProperties: false")
    assert not problems, "\n".join(sorted(problems))


def test_every_key_table_of_the_reader_is_reached(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new section of the config is noticed here even when the schema knows nothing of it."""
    used = {allowed for _, allowed in _read(_load(EVERY_KEY), monkeypatch)[1]}
    unreached = [f"{where} {keys}" for keys, where in _key_tables().items() if keys not in used]
    assert not unreached, (
        f"add these sections, with every key, to {EVERY_KEY.relative_to(REPO_ROOT)} "
        f"and to {SCHEMA_FILE} (each read through `_ConfigReader.mapping`, which this test "
        "watches):\n" + "\n".join(unreached)
    )


def _schema_keys(node: dict[str, Any], path: str) -> Iterator[str]:
    """Every property the schema names, as `section.key` (maps as `<name>`)."""
    node = _resolve(node)
    if "anyOf" in node:
        for is_list in (False, True):
            yield from _schema_keys(_branch(node, is_list), path)
        return
    for key, child in node.get("properties", {}).items():
        yield f"{path}{key}"
        yield from _schema_keys(child, f"{path}{key}.")
    for nested in ("additionalProperties", "items"):
        child = node.get(nested)
        # A resource holds resources: its keys are listed once.
        if isinstance(child, dict) and not (path.endswith("resources.") and path.count(".") > 1):
            yield from _schema_keys(child, f"{path}{'<name>' if nested != 'items' else '[]'}.")


def _data_keys(value: Any, node: dict[str, Any] | None, path: str) -> Iterator[str]:
    if node is None:
        return
    node = _resolve(node)
    if "anyOf" in node:
        entry = _branch(node, isinstance(value, list))
        for item in value if isinstance(value, list) else [value]:
            yield from _data_keys(item, entry, path)
        return
    if isinstance(value, dict):
        for key, child in value.items():
            if key in node.get("properties", {}):
                yield f"{path}{key}"
                yield from _data_keys(child, node["properties"][key], f"{path}{key}.")
            elif isinstance(node.get("additionalProperties"), dict):
                yield from _data_keys(child, node["additionalProperties"], f"{path}<name>.")
    elif isinstance(value, list):
        for item in value:
            yield from _data_keys(item, node.get("items"), f"{path}[].")


def test_every_schema_key_is_in_the_every_key_file() -> None:
    """So that the reader is shown each of them (and accepts it, see the first test)."""
    present = set(_data_keys(_load(EVERY_KEY), SCHEMA, ""))
    absent = sorted(set(_schema_keys(SCHEMA, "")) - present)
    assert not absent, f"add to {EVERY_KEY.relative_to(REPO_ROOT)}: {absent}"


_OTHER_VALUES: tuple[Any, ...] = ("text", 7, 2.5, True, ["text"], {"key": "text"})


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}[type(value)]


def _places(value: Any, path: PathKey = ()) -> Iterator[tuple[PathKey, Any]]:
    """Every value of the config, nested ones too, with its path."""
    if path:
        yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _places(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _places(child, (*path, index))


def _replaced(data: Any, path: PathKey, new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {k: (_replaced(v, rest, new) if k == head else v) for k, v in data.items()}
    return [(_replaced(v, rest, new) if i == head else v) for i, v in enumerate(data)]


def test_the_schema_and_the_reader_take_the_same_types(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each value of the every-key file in turn becomes one of another JSON type. The reader
    reads a number where it wants text as that text (so `version: 1.10` would be "1.1"): the
    schema asks for the string there, the one place it may refuse what the reader takes."""
    data = _load(EVERY_KEY)
    problems = []
    for path, value in _places(data):
        for other in _OTHER_VALUES:
            if _json_type(other) == _json_type(value):
                continue
            changed = _replaced(data, path, other)
            schema_ok = VALIDATOR.is_valid(changed)
            diagnostics = _read(changed, monkeypatch)[0]
            lenient = isinstance(value, str) and _json_type(other) == "number"
            where = ".".join(map(str, path))
            if schema_ok and diagnostics:
                problems.append(
                    f"{where} = {other!r}: the schema takes it, the reader says "
                    f"{diagnostics[0].message}"
                )
            elif not schema_ok and not diagnostics and not lenient:
                problems.append(f"{where} = {other!r}: the reader takes it, the schema refuses it")
    assert not problems, "\n".join(problems)


def test_an_unknown_key_is_refused_by_both(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _load(EVERY_KEY)
    _, calls = _read(data, monkeypatch)
    for path, _ in calls:
        changed = _replaced(data, path, {**_value_at(data, path), "colour": "blue"})
        assert not VALIDATOR.is_valid(changed), path
        messages = [d.message for d in _read(changed, monkeypatch)[0]]
        assert messages == ["unknown key 'colour'"], (path, messages)


def _value_at(data: Any, path: PathKey) -> Any:
    for key in path:
        data = data[key]
    return data


@pytest.mark.parametrize("config", PROJECT_CONFIGS, ids=lambda p: p.parent.name)
def test_the_project_configs_name_the_schema_for_editors(config: Path) -> None:
    first = config.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    assert (config.parent / first.removeprefix(prefix)).resolve() == REPO_ROOT / SCHEMA_FILE


def test_the_package_ships_the_schema_file() -> None:
    shipped = config_schema_text()
    assert shipped == (REPO_ROOT / SCHEMA_FILE).read_text(encoding="utf-8")
    assert json.loads(shipped)["$schema"].endswith("/2020-12/schema")
