"""The `sdk` fixture: the package generated from the test class's SPEC and CONFIG."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest

from .helpers import generated_package


@pytest.fixture(scope="class")
def sdk(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ModuleType]:
    cls = request.cls
    assert cls is not None, "`sdk` is for test classes that hold SPEC and CONFIG"
    module = request.module.__name__.rpartition(".")[2].removeprefix("test_")
    package = f"fn_{module}_{cls.__name__.lower()}"
    with generated_package(cls.SPEC, cls.CONFIG, tmp_path_factory.mktemp(package), package) as sdk:
        yield sdk
