"""The real OpenAI images spec (from the shared corpus) gives the params TARGET.md describes.

The corpus has no `ImageModel` schema: there `model` is an inline open enum,
`Union[str, Literal[...], None]`; every other annotation must be TARGET's exactly.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sdkforge.cli import main as cli_main

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "openai-images.openapi.yaml"
PACKAGE = "openai_images"

CONFIG = f"""\
package: {PACKAGE}
client:
  sync: OpenAI
  async: AsyncOpenAI
  api_key_env: OPENAI_API_KEY
resources:
  images:
    singular: image
    methods:
      generate: post /images/generations
      edit: post /images/edits
      create_variation: post /images/variations
"""

pytestmark = pytest.mark.skipif(
    not CORPUS.is_file(), reason=f"the shared corpus is not present at {CORPUS}"
)


@pytest.fixture(scope="module")
def corpus_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    config = folder / "sdk.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    out = folder / "out"
    code = cli_main(["generate", "--spec", str(CORPUS), "--config", str(config), "--out", str(out)])
    assert code == 0, "generating from the corpus spec failed"
    return out


def _literal_values(annotation: str) -> list[object]:
    values: list[object] = []
    for node in ast.walk(ast.parse(annotation, mode="eval")):
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "Literal":
            elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            values.extend(ast.literal_eval(e) for e in elements)
    return values


def _is_inline_open_enum(annotation: str) -> bool:
    node = ast.parse(annotation, mode="eval").body
    if not (
        isinstance(node, ast.Subscript)
        and ast.unparse(node.value) == "Union"
        and isinstance(node.slice, ast.Tuple)
        and len(node.slice.elts) == 3
    ):
        return False
    text, literal, none = node.slice.elts
    return (
        ast.unparse(text) == "str"
        and ast.unparse(none) == "None"
        and isinstance(literal, ast.Subscript)
        and ast.unparse(literal.value) == "Literal"
    )


def test_no_image_model_module(corpus_output: Path) -> None:
    assert not (corpus_output / PACKAGE / "types" / "image_model.py").exists()


@pytest.mark.parametrize(
    "path",
    [
        "types/image_generate_params.py",
        "types/image_edit_params.py",
        "types/image_create_variation_params.py",
    ],
)
def test_params_match_target(
    path: str,
    corpus_output: Path,
    target_params: tuple[Any, ...],
    params_parser: Callable[[str], Any],
    annotation_normaliser: Callable[[str], str],
) -> None:
    (expected,) = [m for m in target_params if m.path == path]
    parsed = params_parser((corpus_output / PACKAGE / path).read_text(encoding="utf-8"))
    assert list(parsed.classes) == list(expected.classes)
    for name, shape in expected.classes.items():
        actual = dict(parsed.classes[name].fields)
        assert list(actual) == [field for field, _ in shape.fields], f"{name}: field names"
        assert parsed.classes[name].bases == shape.bases
        for field, want in shape.fields:
            got = actual[field]
            where = f"{name}.{field}"
            assert got.startswith("Required[") == want.startswith("Required["), where
            assert parsed.docstrings[(name, field)], f"{where} has no docstring"
            if field == "model":
                assert _is_inline_open_enum(got), f"{where} is {got}"
                assert "dall-e-2" in _literal_values(got)
                continue
            assert _literal_values(got) == _literal_values(want), f"{where}: enum values"
            assert got == annotation_normaliser(want), where
    if expected.alias is not None:
        assert parsed.alias == (expected.alias[0], annotation_normaliser(expected.alias[1]))


def test_edit_uses_the_multipart_body(
    corpus_output: Path, params_parser: Callable[[str], Any]
) -> None:
    """/images/edits offers multipart and JSON bodies; the SDK surface is the multipart one."""
    parsed = params_parser(
        (corpus_output / PACKAGE / "types/image_edit_params.py").read_text(encoding="utf-8")
    )
    fields = dict(parsed.classes["ImageEditParamsBase"].fields)
    assert "FileTypes" in fields["image"] and fields["mask"] == "FileTypes"
