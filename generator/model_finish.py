"""Finishing datamodel-code-generator's modules, on their AST: what DCG cannot be told.

The package's own `BaseModel` instead of the placeholder DCG was given, `X: TypeAlias = ...`
instead of `TypeAliasType`, no `Field(title=...)` noise, docstrings wrapped like the params
modules', only the imports used, and an `__all__` with the module's own component first.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import re

from . import docstrings, layout, model_codegen

_DOC_MARKER = "__sdkforge_docstring_{}__"
_DOC_MARKER_LINE = re.compile(r"^( *)__sdkforge_docstring_(\d+)__$", re.MULTILINE)
_TEXT_MARKER = "__sdkforge_text_{}__"
_TEXT_MARKER_NAME = re.compile(r"__sdkforge_text_(\d+)__")
# A string default longer than this is written as pieces, one a line, so that no line of
# the module is longer than ruff allows (a real spec's defaults run to 500 characters).
_LONG_TEXT = 60


def finish(code: str, primary: str | None) -> tuple[str, list[str]]:
    """One module of DCG's output, finished; and its public names, `primary` first."""
    tree = ast.parse(code)
    texts: list[str] = []
    field_name = _imported_as(tree, "pydantic", "Field")
    names: list[str] = []
    body: list[ast.stmt] = []
    for statement in tree.body:
        if (
            isinstance(statement, ast.ImportFrom)
            and statement.module == model_codegen.BASE_PLACEHOLDER
        ):
            statement = ast.ImportFrom(module="_models", names=statement.names, level=2)
        elif isinstance(statement, ast.ClassDef):
            statement = _finish_class(statement, field_name, texts)
            names.append(statement.name)
        elif _is_docstring(statement):
            statement = _marker(statement, texts)
        elif isinstance(statement, ast.Assign) and _assigns(statement) == ["__all__"]:
            # DCG's `__all__` (a module that re-exports from `_internal`): rewritten below.
            names += ast.literal_eval(statement.value)
            continue
        else:
            statement = _as_type_alias(statement)
            names += _assigns(statement)
        body.append(statement)
    names = sorted(set(names), key=lambda name: (name != primary, name))
    body = _prune_imports(body, set(names))
    imported = _imported_names(body)
    if any(
        isinstance(s, ast.AnnAssign)
        and isinstance(s.annotation, ast.Name)
        and s.annotation.id == "TypeAlias"
        for s in body
    ):
        imported.add(("typing_extensions", "TypeAlias"))
    body = [s for s in body if not isinstance(s, ast.ImportFrom | ast.Import)]
    body.insert(
        0,
        ast.Assign(
            targets=[ast.Name("__all__", ast.Store())],
            value=ast.List([ast.Constant(n) for n in names]),
            lineno=0,
        ),
    )
    return _imports_text(imported) + _render(body, texts), names


def _imported_names(body: list[ast.stmt]) -> set[tuple[str, str]]:
    """(module, name) of every import but `__future__`'s, for `layout.import_lines`."""
    found: set[tuple[str, str]] = set()
    for statement in body:
        if isinstance(statement, ast.ImportFrom) and statement.module != "__future__":
            module = "." * statement.level + (statement.module or "")
            for alias in statement.names:
                asname = f" as {alias.asname}" if alias.asname else ""
                found.add((module, alias.name + asname))
        elif isinstance(statement, ast.Import):
            found.update((alias.name, "") for alias in statement.names)
    return found


def _imports_text(imported: set[tuple[str, str]]) -> str:
    lines = ["from __future__ import annotations", "", *layout.import_lines(imported)]
    return "\n".join(lines).rstrip("\n") + "\n\n"


def _assigns(statement: ast.stmt) -> list[str]:
    """The module-level names an assignment binds (`X = ...`, `X: TypeAlias = ...`)."""
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return [statement.target.id]
    if isinstance(statement, ast.Assign):
        return [t.id for t in statement.targets if isinstance(t, ast.Name)]
    return []


def _render(body: list[ast.stmt], texts: list[str]) -> str:
    """The module's source, laid out as ruff would, so the raw output reads well too."""
    source = ""
    imports = (ast.Import, ast.ImportFrom)
    for index, statement in enumerate(body):
        code = ast.unparse(ast.fix_missing_locations(statement))
        code = _DOC_MARKER_LINE.sub(lambda m: _docstring(m, texts), code).rstrip("\n")
        code = _TEXT_MARKER_NAME.sub(lambda m: _pieces(texts[int(m.group(1))]), code)
        if isinstance(statement, ast.ClassDef):
            source += "\n\n"
        elif (
            index
            and not _is_marker(statement)
            and not (isinstance(statement, imports) and isinstance(body[index - 1], imports))
        ):
            source += "\n"
        source += code + "\n"
    return source


def _imported_as(tree: ast.Module, module: str, name: str) -> str:
    """The local name of `from module import name [as local]`; DCG aliases on clashes."""
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom) and statement.module == module:
            for alias in statement.names:
                if alias.name == name:
                    return alias.asname or alias.name
    return name


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _marker(statement: ast.stmt, texts: list[str]) -> ast.stmt:
    """A placeholder line, replaced after unparsing: `ast.unparse` would print `'...'`."""
    assert isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
    assert isinstance(statement.value.value, str)
    texts.append(inspect.cleandoc(statement.value.value))
    return ast.Expr(ast.Name(_DOC_MARKER.format(len(texts) - 1), ast.Load()))


def _is_marker(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Name)
        and _DOC_MARKER_LINE.match(statement.value.id) is not None
    )


def _docstring(match: re.Match[str], texts: list[str]) -> str:
    indent, index = match.group(1), int(match.group(2))
    literal = indent + docstrings.field_docstring(texts[index], indent)
    # In a class, a blank line after each docstring sets the fields apart, as in the params
    # modules; ruff drops the one at the end of the class.
    return f"{literal}\n" if indent else literal


def _pieces(text: str) -> str:
    """`text` as a parenthesised run of string literals, one a line (ruff indents them)."""
    parts = [""]
    # Broken after the spaces between words, as a reader would; a longer word on its own.
    for word in re.findall(r"\S*\s*", text):
        while len(repr(word)) > _LONG_TEXT + 2:
            cut = _LONG_TEXT
            while len(repr(word[:cut])) > _LONG_TEXT + 2:
                cut -= 1
            parts += [word[:cut], ""]
            word = word[cut:]
        # Measured as written: `\n` takes two characters of the line.
        if len(repr(parts[-1] + word)) > _LONG_TEXT + 2:
            parts.append("")
        parts[-1] += word
    return "(\n" + "\n".join(repr(part) for part in parts if part) + "\n)"


def _finish_class(cls: ast.ClassDef, field_name: str, texts: list[str]) -> ast.ClassDef:
    body: list[ast.stmt] = []
    for statement in cls.body:
        if _is_docstring(statement):
            statement = _marker(statement, texts)
        elif isinstance(statement, ast.AnnAssign):
            statement.annotation = _DropTitles(field_name).visit(statement.annotation)
            value = statement.value
            if (
                isinstance(value, ast.Constant)
                and isinstance(value.value, str)
                and len(value.value) > _LONG_TEXT
            ):
                texts.append(value.value)
                statement.value = ast.Name(_TEXT_MARKER.format(len(texts) - 1), ast.Load())
        body.append(statement)
    cls.body = body
    return cls


class _DropTitles(ast.NodeTransformer):
    """`Annotated[T, Field(title='Usage')]` -> `T`: the title only repeats the class name."""

    def __init__(self, field_name: str) -> None:
        self.field_name = field_name

    def visit_Subscript(self, node: ast.Subscript) -> ast.expr:
        self.generic_visit(node)
        if not (
            isinstance(node.value, ast.Name)
            and node.value.id == "Annotated"
            and isinstance(node.slice, ast.Tuple)
        ):
            return node
        kept = node.slice.elts[:1]
        for element in node.slice.elts[1:]:
            if (
                isinstance(element, ast.Call)
                and isinstance(element.func, ast.Name)
                and element.func.id == self.field_name
            ):
                element.keywords = [k for k in element.keywords if k.arg != "title"]
                if not element.args and not element.keywords:
                    continue
            kept.append(element)
        if len(kept) == 1:
            return kept[0]
        node.slice.elts = kept
        return node


def _as_type_alias(statement: ast.stmt) -> ast.stmt:
    """`X = TypeAliasType("X", T)` -> `X: TypeAlias = T`, as the params modules write aliases.

    A recursive alias keeps `TypeAliasType`: only that form may name itself.
    """
    if not (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and isinstance(statement.value, ast.Call)
        and isinstance(statement.value.func, ast.Name)
        and statement.value.func.id == "TypeAliasType"
        and len(statement.value.args) == 2
    ):
        return statement
    name, value = statement.targets[0].id, statement.value.args[1]
    if name in _names_in(value):
        return statement
    return ast.AnnAssign(
        target=ast.Name(name, ast.Store()), annotation=ast.Name("TypeAlias"), value=value, simple=1
    )


def _names_in(value: ast.expr) -> set[str]:
    """The names an annotation refers to, inside forward references too: DCG writes a
    recursive alias as `TypeAliasType("Json", Union[str, "list[Json]"])`."""
    names: set[str] = set()
    for node in ast.walk(value):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # A Literal value that is no expression is no reference either.
            with contextlib.suppress(SyntaxError):
                names |= _names_in(ast.parse(node.value, mode="eval").body)
    return names


def _prune_imports(body: list[ast.stmt], exported: set[str]) -> list[ast.stmt]:
    """Drop imported names nothing uses any more (the placeholder base, `Field`, ...)."""
    used = exported | {
        node.id
        for s in body
        if not isinstance(s, ast.ImportFrom | ast.Import)
        for node in ast.walk(s)
        if isinstance(node, ast.Name)
    }
    pruned: list[ast.stmt] = []
    for statement in body:
        if isinstance(statement, ast.ImportFrom) and statement.module != "__future__":
            statement.names = [a for a in statement.names if (a.asname or a.name) in used]
            if not statement.names:
                continue
        pruned.append(statement)
    return pruned
