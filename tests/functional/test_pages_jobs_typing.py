"""`mypy --strict` on packages with pages and jobs, and on a user script that iterates a page
and waits for a job; a script with wrong types is rejected where it is wrong."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from _generate import mypy, ruff, write_files, write_inputs
from sdkforge.pipeline import generate_files

from . import test_jobs, test_pages

USER_SCRIPT = """
from typing_extensions import assert_type

from pagesdk import AsyncModelsClient, AsyncPage, ModelsClient, SyncPage
from pagesdk.types import Model
from jobsdk import AsyncRenderClient, JobFailedError, RenderClient
from jobsdk.types import Render, Submitted


def pages(client: ModelsClient) -> list[str]:
    first = client.models.list(limit=2)
    assert_type(first, SyncPage[Model])
    assert_type(first.data, list[Model])
    assert_type(first.get_next_page(), SyncPage[Model])
    for page in first.iter_pages():
        assert_type(page.has_next_page(), bool)
    return [model.id for model in first]


def raw_pages(client: ModelsClient) -> None:
    assert_type(client.models.with_raw_response.list().parse(), SyncPage[Model])
    with client.models.with_streaming_response.list() as response:
        assert_type(response.parse(), SyncPage[Model])


async def async_pages(client: AsyncModelsClient) -> list[str]:
    first = await client.models.list()
    assert_type(first, AsyncPage[Model])
    assert_type(await first.get_next_page(), AsyncPage[Model])
    raw = await client.models.with_raw_response.list()
    assert_type(await raw.parse(), AsyncPage[Model])
    async for model in client.models.list(limit=2):
        assert_type(model, Model)
    return [model.id async for model in first]


def jobs(client: RenderClient) -> str:
    assert_type(client.renders.wait("r-1", timeout=30), Render)
    assert_type(client.renders.create(prompt="a cat"), Submitted)
    try:
        done = client.renders.create_and_wait(prompt="a cat", poll_interval=0.5)
    except JobFailedError as failed:
        return repr(failed.job)
    assert_type(done, Render)
    return done.state


async def async_jobs(client: AsyncRenderClient) -> Render:
    assert_type(await client.renders.wait("r-1"), Render)
    done = await client.renders.create_and_wait(prompt="a cat")
    assert_type(done, Render)
    return done
"""
WRONG_SCRIPT = """
from pagesdk import ModelsClient
from jobsdk import RenderClient


def wrong(client: ModelsClient, jobs: RenderClient) -> None:
    for model in client.models.list():
        model.name  # line 8: no such field
    jobs.renders.wait(3)  # line 9: the id is a str
    jobs.renders.create_and_wait(prompt="a", poll_timeout="soon")  # line 10
    jobs.renders.create_and_wait(prompt="a").state.upper(1)  # line 11: a Render's state is a str
    first: str = client.models.with_raw_response.list().parse()  # line 12: a page, not a str
"""


def _generate(spec: str, config: str, package: str, out: Path) -> None:
    # The whole project for ruff (its settings are in the project's pyproject.toml), and the
    # package again beside the user scripts for mypy.
    folder = out / f"{package}_input"
    files = generate_files(write_inputs(folder, spec, config, package))
    write_files(files, folder)
    write_files(files, out, only=f"{package}/")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("typing")
    _generate(test_pages.SPEC, test_pages.TestCursor.CONFIG, "pagesdk", out)
    _generate(test_jobs.SPEC, test_jobs.TestById.CONFIG, "jobsdk", out)
    (out / "user_script.py").write_text(USER_SCRIPT, encoding="utf-8")
    (out / "wrong_script.py").write_text(WRONG_SCRIPT, encoding="utf-8")
    return out


def _check(folder: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    return mypy(*targets, cwd=folder)


def test_packages_and_user_script_pass_mypy_strict(generated: Path) -> None:
    result = _check(generated, "pagesdk", "jobsdk", "user_script.py")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("package", ["pagesdk", "jobsdk"])
def test_generated_code_passes_ruff(generated: Path, package: str) -> None:
    for command in (["check"], ["format", "--check"]):
        result = ruff(*command, ".", cwd=generated / f"{package}_input")
        assert result.returncode == 0, result.stdout + result.stderr


def test_wrong_types_are_rejected(generated: Path) -> None:
    result = _check(generated, "wrong_script.py")
    assert result.returncode == 1
    lines = {line.split(":")[1] for line in result.stdout.splitlines() if ": error:" in line}
    assert lines == {"8", "9", "10", "11", "12"}, result.stdout
