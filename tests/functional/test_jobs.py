"""Jobs: `poll:` gives `wait(id)` and `<method>_and_wait(...)`, against a local server whose
job is done after a few reads, or fails; a polling URL on another host is followed only
when the config allows it, and then without credentials. Sync and async."""

from __future__ import annotations

from types import ModuleType

import anyio
import pytest

from .local_server import Answer, Seen, local_server

SPEC = """
openapi: 3.1.0
info: {title: Render API, version: "1"}
servers: [{url: "https://render.example"}]
paths:
  /renders:
    post:
      summary: Start a render.
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [prompt]
              properties:
                prompt: {type: string}
      responses:
        "202":
          description: Started.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Submitted"}
  /renders/{render_id}:
    get:
      summary: Read a render.
      parameters:
        - {name: render_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: The render.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Render"}
security: [{Bearer: []}]  # a bearer key on every operation
components:
  securitySchemes: {Bearer: {type: http, scheme: bearer}}
  schemas:
    Submitted:
      type: object
      properties:
        id: {type: string}
        polling_url: {type: string}
    Render:
      type: object
      required: [id, state]
      properties:
        id: {type: string}
        state: {type: string}
        image: {type: [string, "null"]}
"""
CONFIG = """
package: {package}
client: {sync: RenderClient, async: AsyncRenderClient, api_key_env: RENDER_API_KEY}
resources:
  renders:
    methods:
      create: post /renders
      get: get /renders/{render_id}
poll:
  renders.create:
    get: renders.get
    %s
    status: state
    done: [ready]
    failed: [error, cancelled]
    interval: 0.01
    timeout: 5
"""
READS = 3  # the job is ready on its third read


def renders(seen: Seen) -> Answer:
    """`fail-*` jobs fail; the others are ready on read READS; Retry-After on the first."""
    if seen.method == "POST":
        return (
            202,
            {},
            {
                "id": "fail-1" if seen.headers.get("x-fail") else "r-1",
                "polling_url": "/renders/r-1",
            },
        )
    job = seen.path.rsplit("/", 1)[1]
    reads = sum(1 for s in SERVED if s.path == seen.path)
    SERVED.append(seen)
    if job.startswith("fail") and reads >= 1:
        return 200, {}, {"id": job, "state": "error"}
    if reads + 1 >= READS:
        return 200, {}, {"id": job, "state": "ready", "image": "done.png"}
    return 200, {"retry-after": "0"}, {"id": job, "state": "running"}


SERVED: list[Seen] = []


@pytest.fixture(autouse=True)
def _fresh() -> None:
    SERVED.clear()


class TestById:
    SPEC, CONFIG = SPEC, CONFIG % "id: id"

    def test_wait_and_and_wait(self, sdk: ModuleType) -> None:
        with (
            local_server(renders) as server,
            sdk.RenderClient(api_key="k", base_url=server.url) as client,
        ):
            done = client.renders.wait("r-9")
            assert type(done) is sdk.types.Render
            assert (done.id, done.state, done.image) == ("r-9", "ready", "done.png")
            finished = client.renders.create_and_wait(prompt="a cat")
        assert finished.state == "ready"
        posts = [s for s in server.seen if s.method == "POST"]
        assert len(posts) == 1 and len(server.seen) == 2 * READS + 1
        assert all(s.headers["authorization"] == "Bearer k" for s in server.seen)

    def test_a_failed_job_raises(self, sdk: ModuleType) -> None:
        with (
            local_server(renders) as server,
            sdk.RenderClient(api_key="k", base_url=server.url) as client,
            pytest.raises(sdk.JobFailedError, match="'error'") as failed,
        ):
            client.renders.create_and_wait(prompt="x", extra_headers={"X-Fail": "1"})
        assert failed.value.job.state == "error"
        assert len(server.seen) == 3  # the submit, a running read, the failed read

    def test_a_job_not_done_in_time_raises(self, sdk: ModuleType) -> None:
        def forever(seen: Seen) -> Answer:
            return 200, {}, {"id": "r", "state": "running"}

        with (
            local_server(forever) as server,
            sdk.RenderClient(api_key="k", base_url=server.url) as client,
            pytest.raises(sdk.JobTimeoutError) as late,
        ):
            client.renders.wait("r", interval=0.01, timeout=0.2)
        assert late.value.job.state == "running"
        assert 2 < len(server.seen) < 40

    def test_async(self, sdk: ModuleType) -> None:
        async def run(url: str) -> tuple[str, str]:
            async with sdk.AsyncRenderClient(api_key="k", base_url=url) as client:
                done = await client.renders.wait("r-2")
                finished = await client.renders.create_and_wait(prompt="a dog")
                with pytest.raises(sdk.JobFailedError):
                    await client.renders.create_and_wait(prompt="x", extra_headers={"X-Fail": "1"})
                return done.state, finished.state

        with local_server(renders) as server:
            assert anyio.run(run, server.url) == ("ready", "ready")


class TestByUrl:
    SPEC, CONFIG = SPEC, CONFIG % "url: polling_url\n    allowed_hosts: [localhost]"

    def test_a_polling_url_on_the_clients_host(self, sdk: ModuleType) -> None:
        with (
            local_server(renders) as server,
            sdk.RenderClient(api_key="k", base_url=server.url) as client,
        ):
            finished = client.renders.create_and_wait(prompt="a cat")
        assert finished.id == "r-1"
        assert [s.path for s in server.seen[1:]] == ["/renders/r-1"] * READS
        assert all(s.headers["authorization"] == "Bearer k" for s in server.seen)

    def test_an_allowed_host_gets_no_credentials(self, sdk: ModuleType) -> None:
        with local_server(renders) as server:
            port = server.port

            def regional(seen: Seen) -> Answer:
                if seen.method == "POST":
                    return 202, {}, {"polling_url": f"http://localhost:{port}/renders/r-5"}
                return renders(seen)

            with (
                local_server(regional) as api,
                sdk.RenderClient(api_key="k", base_url=api.url) as client,
            ):
                finished = client.renders.create_and_wait(prompt="a cat")
        assert finished.id == "r-5"
        assert len(api.seen) == 1 and api.seen[0].headers["authorization"] == "Bearer k"
        assert len(server.seen) == READS
        assert not any("authorization" in s.headers for s in server.seen)


class TestForeignHost:
    SPEC, CONFIG = SPEC, CONFIG % "url: polling_url"

    def test_a_polling_url_on_another_host_is_refused(self, sdk: ModuleType) -> None:
        def foreign(seen: Seen) -> Answer:
            return 202, {}, {"polling_url": "https://elsewhere.example/renders/r-1"}

        async def run(url: str) -> None:
            async with sdk.AsyncRenderClient(api_key="k", base_url=url) as client:
                await client.renders.create_and_wait(prompt="a cat")

        with (
            local_server(foreign) as server,
            sdk.RenderClient(api_key="k", base_url=server.url) as client,
        ):
            with pytest.raises(sdk.SDKError, match=r"'elsewhere\.example'"):
                client.renders.create_and_wait(prompt="a cat")
            with pytest.raises(sdk.SDKError, match="does not allow"):
                anyio.run(run, server.url)
        assert [s.method for s in server.seen] == ["POST", "POST"]
