"""The params modules generated from spec/ have exactly the shape TARGET.md describes.

The expectations are data (`TARGET_PARAMS` in conftest.py, copied from TARGET.md); the
generated modules are read with `ast`, then checked with ruff and `mypy --strict`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from _generate import mypy, ruff
from sdkforge.load import load_yaml

MODULES = {
    "types/image_generate_params.py": "ImageGenerateRequest",
    "types/image_edit_params.py": "ImageEditRequest",
    "types/image_create_variation_params.py": "ImageVariationRequest",
}
PACKAGE = "imagesdk"


@pytest.fixture(scope="module")
def spec_schemas(repo_root: Path) -> dict[str, Any]:
    data = load_yaml(repo_root / "spec" / "openapi.yaml").data
    schemas: dict[str, Any] = data["components"]["schemas"]
    return schemas


def _expected(target_params: tuple[Any, ...], path: str) -> Any:
    (module,) = [m for m in target_params if m.path == path]
    return module


def _parsed(project_output: Path, path: str, params_parser: Callable[[str], Any]) -> Any:
    return params_parser((project_output / PACKAGE / path).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", MODULES)
def test_classes_fields_and_annotations(
    path: str,
    project_output: Path,
    target_params: tuple[Any, ...],
    params_parser: Callable[[str], Any],
    annotation_normaliser: Callable[[str], str],
) -> None:
    expected = _expected(target_params, path)
    parsed = _parsed(project_output, path, params_parser)
    assert list(parsed.classes) == list(expected.classes)
    for name, shape in expected.classes.items():
        actual = parsed.classes[name]
        assert actual.bases == shape.bases, name
        want = [(field, annotation_normaliser(ann)) for field, ann in shape.fields]
        assert list(actual.fields) == want, name


@pytest.mark.parametrize("path", MODULES)
def test_module_ends_with_the_params_alias(
    path: str,
    project_output: Path,
    target_params: tuple[Any, ...],
    params_parser: Callable[[str], Any],
    annotation_normaliser: Callable[[str], str],
) -> None:
    expected = _expected(target_params, path).alias
    parsed = _parsed(project_output, path, params_parser)
    if expected is None:
        assert parsed.alias is None
    else:
        assert parsed.alias == (expected[0], annotation_normaliser(expected[1]))


@pytest.mark.parametrize("path", MODULES)
def test_required_first_then_optional_alphabetically(
    path: str, project_output: Path, params_parser: Callable[[str], Any]
) -> None:
    for name, shape in _parsed(project_output, path, params_parser).classes.items():
        required = [f for f, ann in shape.fields if ann.startswith("Required[")]
        optional = [f for f, ann in shape.fields if not ann.startswith("Required[")]
        assert [f for f, _ in shape.fields] == required + sorted(optional), name


@pytest.mark.parametrize("path", MODULES)
def test_every_field_has_its_spec_description_as_docstring(
    path: str,
    project_output: Path,
    params_parser: Callable[[str], Any],
    spec_schemas: dict[str, Any],
) -> None:
    properties = spec_schemas[MODULES[path]]["properties"]
    parsed = _parsed(project_output, path, params_parser)
    assert parsed.docstrings, "no fields found"
    for (cls, field), docstring in parsed.docstrings.items():
        assert docstring is not None, f"{cls}.{field} has no docstring"
        description = properties[field]["description"]
        assert " ".join(docstring.split()) == " ".join(description.split()), f"{cls}.{field}"


@pytest.mark.parametrize("path", MODULES)
def test_imports_follow_the_reference_sdk(
    path: str, project_output: Path, params_parser: Callable[[str], Any]
) -> None:
    parsed = _parsed(project_output, path, params_parser)
    assert parsed.future_annotations
    for name in ("Literal", "Required", "TypedDict"):
        assert parsed.imports.get(name) == "typing_extensions", name
    for name in ("FileTypes", "SequenceNotStr"):
        if name in parsed.imports:
            assert parsed.imports[name] == ".._types"
    assert parsed.imports.get("ImageModel") == ".image_model"


def test_image_model_is_a_literal_alias_of_the_spec_ids(
    project_output: Path, spec_schemas: dict[str, Any]
) -> None:
    import ast

    tree = ast.parse((project_output / PACKAGE / "types/image_model.py").read_text())
    aliases = [
        node
        for node in tree.body
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.target.id == "ImageModel"
    ]
    assert len(aliases) == 1
    assert ast.unparse(aliases[0].annotation) == "TypeAlias"
    value = aliases[0].value
    assert isinstance(value, ast.Subscript) and ast.unparse(value.value) == "Literal"
    assert isinstance(value.slice, ast.Tuple)
    assert [ast.literal_eval(e) for e in value.slice.elts] == spec_schemas["ImageModel"]["enum"]


def _checked_files(project_output: Path) -> list[str]:
    return [f"{PACKAGE}/{path}" for path in [*MODULES, "types/image_model.py"]]


# Correctness rules. Not UP: TARGET.md prescribes `Optional[...]`/`Union[...]` and imports from
# typing_extensions, which pyupgrade's rules for a py310 target would rewrite.
RUFF_RULES = "E,F,W,I,B"


def test_ruff_check_passes(project_output: Path) -> None:
    options = ("--select", RUFF_RULES, "--line-length", "100", "--target-version", "py310")
    result = ruff(
        "check", "--isolated", *options, *_checked_files(project_output), cwd=project_output
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_passes(project_output: Path) -> None:
    # follow-imports=silent: the params modules are checked, what they import is read for
    # its types only (the rest of the package has its own typing tests).
    options = ("--strict", "--follow-imports=silent", "--no-error-summary")
    result = mypy(*_checked_files(project_output), cwd=project_output, options=options)
    assert result.returncode == 0, result.stdout + result.stderr
