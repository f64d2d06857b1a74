"""Resources nested in sdk.yaml, to any depth, with aliases and the response wrappers through
the tree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import ModuleType

import anyio
import pytest
from sdkforge.diagnostics import SpecError

from .helpers import Wire, generated_package
from .typecheck import assert_clean

SPEC = """
openapi: 3.1.0
info: {title: Studio API, version: "1.0"}
servers:
  - url: https://studio.example/v1
paths:
  /images:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [prompt]
              properties:
                prompt: {type: string}
      responses:
        "200":
          description: The job.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Job"}
  /images/jobs/{job_id}:
    get:
      parameters:
        - {name: job_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: The job.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Job"}
  /images/jobs/{job_id}/results:
    get:
      parameters:
        - {name: job_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: The job.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Job"}
components:
  schemas:
    Job:
      type: object
      required: [id]
      properties:
        id: {type: string}
"""
CONFIG = """
package: {package}
client: {sync: Studio, async: AsyncStudio}
resources:
  images:
    methods:
      generate: post /images
    resources:
      jobs:
        methods:
          get: get /images/jobs/{job_id}
          retrieve: get /images/jobs/{job_id}
        resources:
          results:
            methods:
              list: get /images/jobs/{job_id}/results
"""


class TestResourceTree:
    SPEC, CONFIG = SPEC, CONFIG

    def test_sync(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "j1"})
        with wire.sync_client(sdk.Studio) as client:
            assert client.images.jobs is client.images.jobs  # cached, like the top ones
            assert client.images.generate(prompt="x").id == "j1"
            assert client.images.jobs.get(job_id="j1").id == "j1"
            assert client.images.jobs.retrieve(job_id="j2").id == "j1"  # an alias
            assert client.images.jobs.results.list(job_id="j3").id == "j1"
            raw = client.images.with_raw_response.jobs.results.list(job_id="j4")
            assert raw.status_code == 200 and raw.parse().id == "j1"
            with client.images.jobs.with_streaming_response.get(job_id="j5") as streamed:
                assert streamed.parse().id == "j1"
        paths = [r.url.path for r in wire.requests]
        assert paths == [
            "/v1/images",
            "/v1/images/jobs/j1",
            "/v1/images/jobs/j2",
            "/v1/images/jobs/j3/results",
            "/v1/images/jobs/j4/results",
            "/v1/images/jobs/j5",
        ]
        assert type(client.images.jobs.results).__name__ == "ImagesJobsResults"

    def test_async(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "j1"})

        async def main() -> None:
            async with wire.async_client(sdk.AsyncStudio) as client:
                assert (await client.images.jobs.results.list(job_id="a")).id == "j1"
                raw = await client.images.jobs.with_raw_response.retrieve(job_id="b")
                assert (await raw.parse()).id == "j1"
                sub = client.images.with_streaming_response.jobs.results
                async with sub.list(job_id="c") as streamed:
                    assert (await streamed.parse()).id == "j1"
            assert type(client.images.jobs).__name__ == "AsyncImagesJobs"

        anyio.run(main)
        assert [r.url.path for r in wire.requests] == [
            "/v1/images/jobs/a/results",
            "/v1/images/jobs/b",
            "/v1/images/jobs/c/results",
        ]


OPTIONS_CONFIG = """
package: {package}
client: {sync: Studio, async: AsyncStudio}
resources:
  job:
    methods:
      get: get /images/jobs/{job_id}
  v1:
    resources:
      images:
        methods:
          generate: post /images
"""


class TestModelName:
    """`job` answers with the `Job` schema, named like its class: the model is numbered.
    `v1` holds resources only, and its module is clean too."""

    SPEC, CONFIG = SPEC, OPTIONS_CONFIG

    def test_classes_and_calls(self, sdk: ModuleType) -> None:
        wire = Wire.json({"id": "j1"})
        with wire.sync_client(sdk.Studio) as client:
            job = client.job.get(job_id="j1")
            assert type(job) is sdk.types.Job2
            assert type(client.job).__name__ == "Job"
            assert type(client.v1.images).__name__ == "V1Images"
            raw = client.v1.with_raw_response.images.generate(prompt="p")
            assert type(raw.parse()) is sdk.types.Job2
        assert [r.url.path for r in wire.requests] == ["/v1/images/jobs/j1", "/v1/images"]
        assert type(sdk.AsyncStudio(api_key="k").job).__name__ == "AsyncJob"

    def test_package_is_clean(self, sdk: ModuleType) -> None:
        assert_clean(sdk)
        # `v1` holds resources only: no test module of its own, and the tests lint clean too.
        out = Path(sdk.__file__ or "").parent.parent
        assert not (out / "tests" / "test_v1.py").exists()
        assert (out / "tests" / "test_v1_images.py").exists()
        lint = subprocess.run(
            [sys.executable, "-m", "ruff", "check", "--no-cache", "tests"],
            cwd=out,
            capture_output=True,
            text=True,
            check=False,
        )
        assert lint.returncode == 0, lint.stdout + lint.stderr


@pytest.mark.parametrize(
    ("resources", "message"),
    [
        (
            "{images: {methods: {jobs: post /images}, resources: {jobs: {methods: {g: post /images}}}}}",
            "'jobs' is both a method and a nested resource",
        ),
        (
            "{images: {resources: {with_raw_response: {methods: {g: post /images}}}}}",
            "resource name 'with_raw_response' is taken by the resource class itself",
        ),
        ("{images: {resources: []}}", "'resources' must be a mapping"),
    ],
)
def test_bad_trees_are_located(tmp_path: Path, resources: str, message: str) -> None:
    config = "package: {package}\nclient: {sync: S, async: AsyncS}\nresources: " + resources
    with pytest.raises(SpecError) as info, generated_package(SPEC, config, tmp_path, "fn_tree_bad"):
        pass
    assert any(message in str(d) and "sdk.yaml:3:" in str(d) for d in info.value.diagnostics), [
        str(d) for d in info.value.diagnostics
    ]
