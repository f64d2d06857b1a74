"""The CI recipes: `.pre-commit-hooks.yaml` names real commands that work as hooks, and the
GitHub Actions job in README.md and docs/ci.md (the same one) checks, reports and uploads
what it says."""

from __future__ import annotations

import re
import shlex
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from sdkforge.cli import _parser
from sdkforge.pipeline import Inputs

if sys.version_info >= (3, 11):
    import tomllib
else:  # the same parser, before it joined the standard library
    import tomli as tomllib

REPO_ROOT = Path(__file__).resolve().parent.parent
HOOKS: list[dict[str, Any]] = yaml.safe_load(
    (REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
)
SCRIPTS = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
    "scripts"
]


def _yaml_blocks(path: Path) -> list[Any]:
    text = path.read_text(encoding="utf-8")
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", text, re.S)]


def _workflow(path: Path) -> dict[str, Any]:
    (workflow,) = [b for b in _yaml_blocks(path) if isinstance(b, dict) and "jobs" in b]
    return workflow


def _precommit_usage(path: Path) -> dict[str, Any]:
    (usage,) = [b for b in _yaml_blocks(path) if isinstance(b, dict) and "repos" in b]
    return usage


def test_the_hooks_name_the_installed_command_and_a_real_subcommand() -> None:
    assert [hook["id"] for hook in HOOKS] == ["sdkforge-check", "sdkforge-generate"]
    for hook in HOOKS:
        words = shlex.split(hook["entry"])
        assert words[0] in SCRIPTS, f"{hook['id']}: {words[0]} is not an entry point"
        assert SCRIPTS[words[0]] == "sdkforge.__main__:run"
        assert hook["language"] == "python"  # pre-commit installs this repository for it
        assert hook["pass_filenames"] is False  # sdkforge takes no file names
        args = _parser().parse_args([*words[1:], "--spec", "a.yaml", "--out", "b"])
        assert args.command in hook["id"]
        files = re.compile(hook["files"])
        for path in ("api/openapi.yaml", "api/sdk.yaml", "client/pkg/_client.py"):
            assert files.search(path), (hook["id"], path)
        assert files.search("client/.sdkforge-manifest")


def test_the_check_hook_fails_on_drift_with_the_command_to_run(
    run_cli: Callable[..., Any], project_inputs: Inputs, tmp_path: Path
) -> None:
    spec = tmp_path / "openapi.yaml"
    shutil.copy(project_inputs.spec, spec)
    options = ("--spec", spec, "--config", project_inputs.config, "--out", tmp_path / "client")
    check, generate = (shlex.split(hook["entry"])[1:] for hook in HOOKS)
    for hook in (generate, check):
        result = run_cli(*hook, *options)
        assert (result.code, result.out, result.err) == (0, "", ""), hook
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("Visual style of", "The visual style of", 1), encoding="utf-8")
    drift = run_cli(*check, *options)
    assert (drift.code, drift.out) == (1, "")
    assert "run `sdkforge generate --spec" in drift.err


@pytest.mark.parametrize("doc", ["README.md", "docs/ci.md"])
def test_the_workflow_fails_on_drift_reports_and_uploads_the_diff(doc: str) -> None:
    workflow = _workflow(REPO_ROOT / doc)
    assert workflow == _workflow(REPO_ROOT / "docs" / "ci.md"), "README and docs/ci.md differ"
    steps = workflow["jobs"]["drift"]["steps"]
    (check,) = [s for s in steps if str(s.get("run", "")).startswith("sdkforge check")]
    command, _, diff_file = check["run"].partition(" > ")
    words = shlex.split(command)
    assert _parser().parse_args(words[1:]).command == "check"
    # A failing `run` fails the job; the two steps after it run only then.
    (report,) = [s for s in steps if str(s.get("run", "")).startswith("sdkforge diff")]
    assert shlex.split(report["run"])[2:] == words[2:], "diff takes the same options"
    assert _parser().parse_args(shlex.split(report["run"])[1:]).command == "diff"
    (upload,) = [s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact")]
    assert upload["with"]["path"] == diff_file.strip()
    for step in (report, upload):
        assert step["if"] == f"failure() && steps.{check['id']}.outcome == 'failure'"


@pytest.mark.parametrize("doc", ["README.md", "docs/ci.md"])
def test_the_precommit_example_uses_a_hook_we_ship(doc: str) -> None:
    (repo,) = _precommit_usage(REPO_ROOT / doc)["repos"]
    ids = {hook["id"] for hook in HOOKS}
    for hook in repo["hooks"]:
        assert hook["id"] in ids
        entry = next(h["entry"] for h in HOOKS if h["id"] == hook["id"])
        assert _parser().parse_args([*shlex.split(entry)[1:], *hook["args"]])
