"""`--layout package` (vendoring the package alone) and `keep:` (files a team takes over)."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sdkforge.cli import main as cli_main

SPEC = """\
openapi: 3.1.0
info: {title: Thumbs, version: "1"}
servers: [{url: "https://thumbs.example/v1"}]
paths:
  /thumbs:
    post:
      description: Make a thumbnail.
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [url]
              properties: {url: {type: string}}
      responses:
        "200":
          description: The thumbnail.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thumb"}
components:
  schemas:
    Thumb:
      type: object
      properties: {id: {type: string}}
"""
CONFIG = """\
package: thumbsdk
client: {sync: ThumbClient, async: AsyncThumbClient}
resources:
  thumbs:
    methods:
      create: post /thumbs
"""


def _inputs(tmp_path: Path, config: str = CONFIG) -> list[str]:
    (tmp_path / "openapi.yaml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "sdk.yaml").write_text(config, encoding="utf-8")
    return ["--spec", str(tmp_path / "openapi.yaml"), "--config", str(tmp_path / "sdk.yaml")]


@pytest.mark.parametrize("how", ["flag", "config"])
def test_package_layout_vendors_and_checks(tmp_path: Path, how: str) -> None:
    config = CONFIG + ("layout: package\n" if how == "config" else "")
    args = _inputs(tmp_path, config) + (["--layout", "package"] if how == "flag" else [])
    out = tmp_path / "myapp" / "_vendor" / "thumbs"
    assert cli_main(["generate", *args, "--out", str(out)]) == 0
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    names = {n for n in names if not n.startswith(".sdkforge-cache/")}
    assert ".sdkforge-manifest" in names and "__init__.py" in names and "_client.py" in names
    assert not {"pyproject.toml", "README.md", "tests/__init__.py"} & names
    assert not any(n.startswith("thumbsdk/") for n in names)
    # Relative imports only: the package works under any import path.
    for name in names:
        if name.endswith(".py"):
            tree = ast.parse((out / name).read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.level == 0:
                    assert node.module and not node.module.startswith("thumbsdk"), name
    for folder in (tmp_path / "myapp", tmp_path / "myapp" / "_vendor"):
        (folder / "__init__.py").write_text("", encoding="utf-8")
    script = textwrap.dedent(
        """
        import sys, httpx
        from myapp._vendor.thumbs import ThumbClient
        seen = []
        def answer(request):
            seen.append(request)
            return httpx.Response(200, json={"id": "t1"})
        client = ThumbClient(http_client=httpx.Client(transport=httpx.MockTransport(answer)))
        thumb = client.thumbs.create(url="https://x.example/a.png")
        assert thumb.id == "t1", thumb
        assert str(seen[0].url) == "https://thumbs.example/v1/thumbs", seen[0].url
        assert not [m for m in sys.modules if m.startswith("thumbsdk")]
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.stdout.strip() == "ok", done.stderr
    assert cli_main(["check", *args, "--out", str(out)]) == 0
    assert ".sdkforge-surface.json" in names  # the surface record too is inside the package
    assert cli_main(["diff", *args, "--fail-on", "any", "--out", str(out)]) == 0
    (out / "_client.py").write_text("# edited\n", encoding="utf-8")
    assert cli_main(["check", *args, "--out", str(out)]) == 1


def test_kept_file_survives_regeneration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = "thumbsdk/resources/thumbs.py"
    config = CONFIG + f"keep:\n  - {kept}\n  - thumbsdk/resources/gone.py\n"
    args = _inputs(tmp_path, config)
    out = tmp_path / "out"
    assert cli_main(["generate", *args, "--out", str(out)]) == 0
    assert f"kept (written once, yours from now on): {kept}" in capsys.readouterr().out
    # Written once, as the team's starting point, and never listed as sdkforge's.
    assert "def create" in (out / kept).read_text(encoding="utf-8")
    assert kept not in (out / ".sdkforge-manifest").read_text(encoding="utf-8")
    custom = (out / kept).read_text(encoding="utf-8") + "\n\ndef custom() -> int:\n    return 1\n"
    (out / kept).write_text(custom, encoding="utf-8")
    # The spec changes what both the kept file and the others would hold.
    spec = tmp_path / "openapi.yaml"
    spec.write_text(SPEC.replace("Make a thumbnail.", "Make a small image."), encoding="utf-8")
    capsys.readouterr()
    assert cli_main(["generate", *args, "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert (out / kept).read_text(encoding="utf-8") == custom
    assert "Make a small image." in (out / "tests" / "openapi.yaml").read_text("utf-8")
    assert f"kept (not regenerated): {kept}" in captured.out
    # The entry naming a file the spec does not produce is reported at its line.
    assert f"{tmp_path / 'sdk.yaml'}:9:5: warning: keep entry 'thumbsdk/resources/gone.py'" in (
        captured.err
    )
    for extra in ([], ["--skip-unsupported"]):  # the second misses the cache: a full check
        assert cli_main(["check", *args, *extra, "--out", str(out)]) == 0
    assert f"kept (not regenerated): {kept}" in capsys.readouterr().out
    # Without the entry, the file is sdkforge's again: check shows the team's change.
    (tmp_path / "sdk.yaml").write_text(CONFIG, encoding="utf-8")
    assert cli_main(["check", *args, "--out", str(out)]) == 1
    assert cli_main(["generate", *args, "--force", "--out", str(out)]) == 0
    assert "def custom" not in (out / kept).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("keep: thumbsdk/_client.py", "'keep' must be a list of paths"),
        ("keep: [../secret.py]", "is not a plain path relative to the output directory"),
        ("keep: ['thumbsdk/*.py']", "is a pattern; keep names files one by one"),
        ("keep: [.sdkforge-manifest]", "is one of sdkforge's own records"),
        ("keep: [.sdkforge-surface.json]", "is one of sdkforge's own records"),
        ("keep: [a.py, a.py]", "'a.py' is kept twice"),
        ("layout: packge", "unknown layout 'packge' (did you mean 'package'?)"),
    ],
)
def test_bad_keep_and_layout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], entry: str, message: str
) -> None:
    args = _inputs(tmp_path, CONFIG + entry + "\n")
    assert cli_main(["generate", *args, "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert f"{tmp_path / 'sdk.yaml'}:7:" in error and message in error
    assert not (tmp_path / "out").exists()


def test_kept_file_removed_is_drift_until_generated(tmp_path: Path) -> None:
    kept = "thumbsdk/resources/thumbs.py"
    args = _inputs(tmp_path, CONFIG + f"keep: [{kept}]\n")
    out = tmp_path / "out"
    assert cli_main(["generate", *args, "--out", str(out)]) == 0
    (out / kept).unlink()
    assert cli_main(["check", *args, "--skip-unsupported", "--out", str(out)]) == 1
    assert cli_main(["generate", *args, "--out", str(out)]) == 0
    assert "def create" in (out / kept).read_text(encoding="utf-8")
