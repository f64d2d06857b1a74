"""model_finish.finish: datamodel-code-generator's module in, the package's module out.

Each test feeds a module written the way DCG writes it and checks one thing `finish` does
to it: the base class import, aliases, titles, imports, `__all__` and docstrings.
"""

from __future__ import annotations

import ast
import textwrap
from typing import Any

import pytest
from sdkforge.model_codegen import BASE_PLACEHOLDER
from sdkforge.model_finish import finish


def _finish(code: str, primary: str | None = None) -> tuple[str, list[str]]:
    source, names = finish(textwrap.dedent(code), primary)
    ast.parse(source)  # whatever else, the result is Python
    return source, names


def _normal(code: str) -> str:
    return ast.unparse(ast.parse(code))


def _statements(source: str) -> list[str]:
    return [ast.unparse(node) for node in ast.parse(source).body]


def _imports(source: str) -> list[str]:
    return [
        ast.unparse(node)
        for node in ast.parse(source).body
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]


def test_the_placeholder_base_becomes_the_runtime_models_module() -> None:
    source, names = _finish(
        f"""
        from __future__ import annotations

        from {BASE_PLACEHOLDER} import BaseModel


        class Story(BaseModel):
            text: str
        """,
        "Story",
    )
    assert _imports(source) == [
        "from __future__ import annotations",
        "from .._models import BaseModel",
    ]
    assert BASE_PLACEHOLDER not in source
    assert names == ["Story"]


def test_a_type_alias_type_becomes_a_type_alias() -> None:
    source, names = _finish(
        """
        from __future__ import annotations

        from typing import Literal

        from typing_extensions import TypeAliasType

        Size = TypeAliasType("Size", Literal["small", "large"])
        """,
        "Size",
    )
    assert _statements(source)[-1] == _normal('Size: TypeAlias = Literal["small", "large"]')
    assert "TypeAliasType" not in source
    assert "from typing_extensions import TypeAlias" in _imports(source)
    assert names == ["Size"]


@pytest.mark.parametrize(
    "value",
    [
        'Union[str, "list[Json]"]',  # as DCG writes it: the reference is a string
        "Union[str, List[Json], Dict[str, Json]]",
    ],
)
def test_a_recursive_alias_keeps_type_alias_type(value: str) -> None:
    code = f"""
        from __future__ import annotations

        from typing import Dict, List, Union

        from typing_extensions import TypeAliasType

        Json = TypeAliasType("Json", {value})
        """
    source, names = _finish(code, "Json")
    assert _statements(source)[-1] == _normal(f'Json = TypeAliasType("Json", {value})')
    assert "TypeAlias =" not in source and "TypeAlias:" not in source
    assert "from typing_extensions import TypeAliasType" in _imports(source)
    assert names == ["Json"]


def test_a_string_that_names_nothing_is_no_recursion() -> None:
    source, _ = _finish(
        """
        from typing_extensions import Literal, TypeAliasType

        Mode = TypeAliasType("Mode", Literal["fast mode", "slow-mode"])
        """,
        "Mode",
    )
    assert _statements(source)[-1] == _normal('Mode: TypeAlias = Literal["fast mode", "slow-mode"]')


def test_titles_are_dropped_and_other_field_settings_kept() -> None:
    source, _ = _finish(
        f"""
        from __future__ import annotations

        from typing import Annotated

        from pydantic import Field

        from {BASE_PLACEHOLDER} import BaseModel


        class Usage(BaseModel):
            tokens: Annotated[int, Field(title='Tokens')]
            ratio: Annotated[float, Field(ge=0, title='Ratio')]
        """,
        "Usage",
    )
    body = ast.parse(source).body[-1]
    assert isinstance(body, ast.ClassDef)
    annotations = [ast.unparse(s.annotation) for s in body.body if isinstance(s, ast.AnnAssign)]
    assert annotations == ["int", "Annotated[float, Field(ge=0)]"]
    assert "title" not in source


def test_titles_are_dropped_when_field_is_imported_under_another_name() -> None:
    source, _ = _finish(
        f"""
        from __future__ import annotations

        from typing import Annotated

        from pydantic import Field as Field_1

        from {BASE_PLACEHOLDER} import BaseModel


        class Field(BaseModel):
            name: Annotated[str, Field_1(title='Name')]
        """,
        "Field",
    )
    assert "name: str" in source and "title" not in source
    assert "Field_1" not in source, "the import nothing uses any more is gone"


def test_imports_nothing_uses_are_pruned_and_future_kept() -> None:
    source, _ = _finish(
        f"""
        from __future__ import annotations

        from typing import Annotated, List, Optional

        from pydantic import Field

        from {BASE_PLACEHOLDER} import BaseModel, RootModel


        class Page(BaseModel):
            items: List[str]
            next: Annotated[Optional[str], Field(title='Next')] = None
        """,
        "Page",
    )
    assert _imports(source) == [
        "from __future__ import annotations",
        "from typing import List, Optional",
        "from .._models import BaseModel",
    ]


def test_all_lists_the_primary_name_first_then_the_rest_sorted() -> None:
    source, names = _finish(
        f"""
        from __future__ import annotations

        from {BASE_PLACEHOLDER} import BaseModel


        class Zebra(BaseModel):
            stripes: int


        class Order(BaseModel):
            zebra: Zebra


        class Address(BaseModel):
            line1: str
        """,
        "Order",
    )
    assert names == ["Order", "Address", "Zebra"]
    module = ast.parse(source)
    (all_,) = [
        s
        for s in module.body
        if isinstance(s, ast.Assign) and ast.unparse(s.targets[0]) == "__all__"
    ]
    assert ast.literal_eval(all_.value) == names
    last_import = max(
        i for i, s in enumerate(module.body) if isinstance(s, ast.Import | ast.ImportFrom)
    )
    assert module.body.index(all_) == last_import + 1, "__all__ right after the imports"


def test_a_re_exporting_module_keeps_the_names_of_its_all() -> None:
    source, names = _finish(
        """
        from __future__ import annotations

        from ._internal import Image, ImagesResponse

        __all__ = ["Image", "ImagesResponse"]
        """,
        "ImagesResponse",
    )
    assert names == ["ImagesResponse", "Image"]
    assert source.count("__all__") == 1
    assert "from ._internal import Image, ImagesResponse" in _imports(source)


def test_docstrings_are_wrapped_and_fields_set_apart() -> None:
    long = "word " * 40
    source, _ = _finish(
        f'''
        from __future__ import annotations

        from {BASE_PLACEHOLDER} import BaseModel


        class Story(BaseModel):
            """{long}"""

            text: str
            """{long}"""
            words: int
            """How many words."""
        ''',
        "Story",
    )
    lines = source.splitlines()
    # wrapped as the params modules' docstrings are: 80 columns less the indent
    text_lines = [line.strip().strip('"') for line in lines if line.startswith("    ")]
    assert max(map(len, text_lines)) <= 76
    story = ast.parse(source).body[-1]
    assert isinstance(story, ast.ClassDef)
    assert ast.get_docstring(story, clean=True) is not None
    assert " ".join(ast.get_docstring(story, clean=True).split()) == long.strip()  # type: ignore[union-attr]
    field_doc = story.body[2]
    assert isinstance(field_doc, ast.Expr) and isinstance(field_doc.value, ast.Constant)
    assert " ".join(field_doc.value.value.split()) == long.strip()
    assert len(field_doc.value.value.splitlines()) > 1, "wrapped over several lines"
    words = lines.index("    words: int")
    assert lines[words - 1] == "", "a blank line between one field's docstring and the next"


def test_a_docstring_with_quotes_stays_one_literal() -> None:
    source, _ = _finish(
        f'''
        from __future__ import annotations

        from {BASE_PLACEHOLDER} import BaseModel


        class Quote(BaseModel):
            said: str
            """She wrote \\"\\"\\" and left."""
        ''',
        "Quote",
    )
    quote = ast.parse(source).body[-1]
    assert isinstance(quote, ast.ClassDef)
    doc = quote.body[1]
    assert isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant)
    assert doc.value.value == 'She wrote """ and left.'


def test_a_long_string_default_is_written_in_pieces_of_short_lines() -> None:
    text = "Settings for the main interface, shown above the prompt box. " * 6 + "\n\x01é"
    source, _ = _finish(
        f"""\
        from {BASE_PLACEHOLDER} import BaseModel


        class Options(BaseModel):
            explanation: str = {text!r}
            short: str = 'kept'
        """
    )
    namespace: dict[str, object] = {}
    exec(source.replace("from .._models import BaseModel", "BaseModel = object"), namespace)
    options: Any = namespace["Options"]
    assert options.explanation == text and options.short == "kept"
    assert max(len(line) for line in source.splitlines()) <= 80
    assert "short: str = 'kept'" in source
