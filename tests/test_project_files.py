"""The generated project around the package: pyproject.toml's license and URLs from the
document's `info`, the README's install line for `--out`, and an sdist that holds the tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sdkforge.pipeline import Inputs, generate_files
from sdkforge.project_info import install_path

if sys.version_info >= (3, 11):
    import tomllib
else:  # the same parser, before it joined the standard library
    import tomli as tomllib

SPEC = """\
openapi: 3.1.0
info:
  title: Echo API
  version: 1.0.0
{info}
servers:
  - url: https://echo.example.test/v2
paths:
  /echo:
    get:
      operationId: getEcho
      responses:
        '200':
          description: The message.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Echo'
components:
  schemas:
    Echo:
      type: object
      properties:
        message: {{type: string}}
"""
CONFIG = """\
package: echosdk
client: {sync: EchoClient, async: AsyncEchoClient}
resources:
  echoes:
    methods:
      get: get /echo
"""
FULL_INFO = """\
  termsOfService: https://echo.example.test/terms
  contact: {name: Echo team, url: https://echo.example.test/}
  license: {name: MIT License, identifier: MIT, url: https://echo.example.test/license}
externalDocs: {url: https://docs.echo.example.test/}
"""

WriteInputs = Callable[..., Inputs]


def _pyproject(write_inputs: WriteInputs, info: str) -> dict[str, Any]:
    inputs = write_inputs(SPEC.format(info=info), CONFIG)
    return tomllib.loads(generate_files(inputs)["pyproject.toml"])


def test_license_and_urls_come_from_info(write_inputs: WriteInputs) -> None:
    project = _pyproject(write_inputs, FULL_INFO)["project"]
    assert project["license"] == "MIT"
    assert project["urls"] == {
        "Homepage": "https://echo.example.test/",
        "Documentation": "https://docs.echo.example.test/",
        "Terms of Service": "https://echo.example.test/terms",
        "License": "https://echo.example.test/license",
    }


@pytest.mark.parametrize(
    ("licence", "expected"),
    [
        ("{name: Apache 2.0}", "Apache-2.0"),  # OpenAPI 3.0 has only the name
        ("{name: mit}", "MIT"),
        ("{name: Proprietary}", "LicenseRef-Proprietary"),
        ("{name: Acme Terms (v2)}", "LicenseRef-Acme-Terms-v2"),
        ("{name: MIT, identifier: MIT OR Apache-2.0}", "MIT OR Apache-2.0"),
    ],
)
def test_a_license_is_an_spdx_expression(
    write_inputs: WriteInputs, licence: str, expected: str
) -> None:
    project = _pyproject(write_inputs, f"  license: {licence}")["project"]
    assert project["license"] == expected


def test_without_info_there_is_no_license_and_no_urls(write_inputs: WriteInputs) -> None:
    project = _pyproject(write_inputs, "")["project"]
    assert "license" not in project
    assert "urls" not in project


def test_what_is_not_an_absolute_url_is_left_out(write_inputs: WriteInputs) -> None:
    info = '  termsOfService: /terms\n  contact: {url: "https://x.test/a\\"b"}\n'
    assert "urls" not in _pyproject(write_inputs, info)["project"]


@pytest.mark.parametrize(
    ("out", "expected"),
    [
        (None, "./generated"),
        (Path("sdk"), "./sdk"),
        (Path("./clients/sdk/"), "./clients/sdk"),
        (Path("../shared/sdk"), "../shared/sdk"),
        (Path("/opt/sdk"), "./sdk"),
        (Path.cwd() / "clients" / "sdk", "./clients/sdk"),
    ],
)
def test_the_install_line_names_the_output(out: Path | None, expected: str) -> None:
    assert install_path(out) == expected


def test_the_readme_says_how_to_install_from_out(
    run_cli: Callable[..., Any], write_inputs: WriteInputs, tmp_path: Path
) -> None:
    inputs = write_inputs(SPEC.format(info=""), CONFIG)
    out = tmp_path / "sdk"
    options = ("--spec", inputs.spec, "--config", inputs.config, "--out", out)
    assert run_cli("generate", *options).code == 0
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "pip install ./sdk " in readme
    assert run_cli("check", *options).code == 0
    assert "pip install ./generated " in generate_files(inputs)["README.md"]


def test_the_sdist_holds_the_package_and_every_test_file(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    """Built as `python -m build --sdist` does (build isolation fetches the backend the
    project names, as a user's build would)."""
    inputs = write_inputs(SPEC.format(info=FULL_INFO), CONFIG)
    project = tmp_path / "project"
    for name, text in generate_files(inputs).items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    (project / "tests" / "__pycache__").mkdir()
    (project / "tests" / "__pycache__" / "conftest.cpython-311.pyc").write_bytes(b"")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--outdir", tmp_path / "dist", project],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (sdist,) = (tmp_path / "dist").glob("echosdk-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.partition("/")[2] for name in archive.getnames()}
        info = archive.extractfile(f"{archive.getnames()[0].partition('/')[0]}/PKG-INFO")
        assert info is not None
        metadata = info.read().decode()
    tests = {p.relative_to(project).as_posix() for p in (project / "tests").rglob("*")}
    tests = {name for name in tests if "__pycache__" not in name and (project / name).is_file()}
    assert {"tests/conftest.py", "tests/_mock_server.py", "tests/openapi.yaml"} <= tests
    assert tests <= names, sorted(tests - names)
    assert not any("__pycache__" in name for name in names)
    assert "echosdk/__init__.py" in names and "echosdk/py.typed" in names
    assert "License-Expression: MIT" in metadata
    assert "Project-URL: Terms of Service, https://echo.example.test/terms" in metadata
    shutil.rmtree(project)
