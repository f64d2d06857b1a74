"""Output paths and import lines (generator/layout.py): imports come out as ruff's isort
writes them and hold only what a module uses, so the output needs no lint fix."""

from __future__ import annotations

from pathlib import Path

from _generate import ruff, write_files, write_inputs
from _inline import ECHO_SPEC
from sdkforge import layout
from sdkforge.pipeline import generate_files


def test_groups_and_order_follow_isort() -> None:
    names = [
        ("..types.image10", "Image10"),
        ("..types.image2", "Image2"),
        (".._types", "omit"),
        (".._types", "Body"),
        ("typing", "cast"),
        ("typing", "TYPE_CHECKING"),
        ("typing", "Optional"),
        ("httpx", ""),
        ("typing_extensions", "Literal"),
        ("shopsdk.types", "Order"),
        (".sibling", "Thing as Thing"),
        (".sibling", "Other as Other"),
    ]
    assert layout.import_lines(names, "shopsdk") == (
        "from typing import TYPE_CHECKING, Optional, cast",
        "",
        "import httpx",
        "from typing_extensions import Literal",
        "",
        "from shopsdk.types import Order",
        "",
        "from .._types import Body, omit",
        "from ..types.image2 import Image2",
        "from ..types.image10 import Image10",
        "from .sibling import Other as Other",
        "from .sibling import Thing as Thing",
    )


def test_paths() -> None:
    assert layout.output("shopsdk", layout.type_path("order")) == "shopsdk/types/order.py"
    assert layout.types_module("order") == "types.order"
    assert layout.resource_path("orders") == "resources/orders.py"
    assert layout.resource_test_path("orders") == "tests/test_orders.py"
    assert layout.runtime_path("runtime/_types.py") == "_types.py"


# Names that sort differently from the templates' order: the sync client before the async
# one, resources not in alphabetical order, one without stream methods.
SEVERAL = ECHO_SPEC.replace("  /echo:\n", "  /abc:\n    $ref: '#/paths/~1echo'\n  /echo:\n")
SEVERAL_CONFIG = """\
package: acmesdk
client: {sync: Acme, async: AsyncAcme, api_key_env: ACME_API_KEY}
resources:
  zeta:
    methods:
      create: post /echo
  abc:
    methods:
      create: post /abc
"""


def test_generated_imports_need_no_fix(tmp_path: Path) -> None:
    files = generate_files(write_inputs(tmp_path, SEVERAL, SEVERAL_CONFIG))
    out = tmp_path / "out"
    write_files({name: text for name, text in files.items() if name.endswith(".py")}, out)
    result = ruff(
        *("check", "--isolated", "--select", "I,F401", "--config", "line-length = 100"),
        *("--config", "lint.isort.known-first-party = ['acmesdk']", "."),
        cwd=out,
    )
    assert result.returncode == 0, result.stdout
    # The client module imports the resource classes for type checking, in isort order.
    assert (
        "    from .resources.abc import Abc, AsyncAbc\n"
        "    from .resources.zeta import AsyncZeta, Zeta\n"
    ) in files["acmesdk/_client.py"]
    assert files["acmesdk/resources/__init__.py"].splitlines()[3:] == [
        "from .abc import Abc as Abc",
        "from .abc import AsyncAbc as AsyncAbc",
        "from .zeta import AsyncZeta as AsyncZeta",
        "from .zeta import Zeta as Zeta",
    ]
