"""`sdkforge init`: a config drafted from a document, that generates as it is."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sdkforge.cli import main as cli_main

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
VERBS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")

SPEC = """\
openapi: 3.1.0
info: {title: Render Farm API, version: "1"}
paths:
  /v1/jobs:
    get:
      tags: [Jobs]
      operationId: listJobs
      parameters:
        - {name: after, in: query, schema: {type: string}}
      responses:
        "200":
          description: A page of jobs.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/JobList"}
    post:
      tags: [Jobs]
      operationId: createJob
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [scene]
              properties: {scene: {type: string}}
      responses:
        "200":
          description: The job, started.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Job"}
  /v1/jobs/{job_id}:
    get:
      tags: [Jobs]
      operationId: getJob
      parameters:
        - {name: job_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: The job.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Job"}
  /v1/jobs/{job_id}/frames/{frame}:
    get:
      parameters:
        - {name: job_id, in: path, required: true, schema: {type: string}}
        - {name: frame, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: One frame.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Frame"}
  /v1/ping:
    get:
      parameters:
        - {name: session, in: querystring, schema: {type: string}}
      responses:
        "200":
          description: A querystring parameter, which sdkforge does not build yet.
          content:
            application/json:
              schema: {type: object, properties: {ok: {type: boolean}}}
components:
  securitySchemes:
    Token: {type: http, scheme: bearer}
  schemas:
    Job:
      type: object
      required: [id, status]
      properties:
        id: {type: string}
        status: {type: string, enum: [queued, running, succeeded, failed]}
    JobList:
      type: object
      properties:
        data: {type: array, items: {$ref: "#/components/schemas/Job"}}
        next_cursor: {type: [string, "null"]}
        has_more: {type: boolean}
    Frame:
      type: object
      properties: {url: {type: string}}
security: [{Token: []}]
"""


def _init(tmp_path: Path, spec_text: str = SPEC) -> tuple[int, Path]:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(spec_text, encoding="utf-8")
    config = tmp_path / "sdk.yaml"
    return cli_main(["init", "--spec", str(spec)]), config


def test_draft_names_auth_flows_and_left_out(tmp_path: Path) -> None:
    code, config = _init(tmp_path)
    assert code == 0
    text = config.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["package"] == "render_farm"
    assert data["client"]["sync"] == "RenderFarmClient"
    assert data["client"]["async"] == "AsyncRenderFarmClient"
    assert data["client"]["api_key_env"] == "RENDER_FARM_API_KEY"
    # No server in the document: a placeholder to review, so that it generates.
    assert data["client"]["default_base_url"] == "https://api.example.com"
    jobs = data["resources"]["jobs"]
    # operationIds less the resource's own word; nesting where the path nests.
    assert jobs["methods"] == {
        "list": "get /v1/jobs",
        "create": "post /v1/jobs",
        "get": "get /v1/jobs/{job_id}",
    }
    assert jobs["resources"]["frames"]["methods"] == {"get": "get /v1/jobs/{job_id}/frames/{frame}"}
    # Built by sdkforge's own stages: the querystring parameter is left out, with its reason.
    assert "ping" not in data["resources"]
    assert re.search(r"# \w+: get /v1/ping  # left out: .*querystring.*\(openapi.yaml:\d+\)", text)
    assert data["pagination"] == {
        "style": "cursor",
        "items": "data",
        "param": "after",
        "field": "next_cursor",
        "has_more": "has_more",
        "methods": ["jobs.list"],
    }
    assert data["poll"]["jobs.create"] == {
        "get": "jobs.get",
        "id": "id",
        "status": "status",
        "done": ["succeeded"],
        "failed": ["failed"],
    }
    assert text.count("# review:") >= 3  # the key, the base URL, each guess
    out = tmp_path / "out"
    generate = ["generate", "--spec", str(tmp_path / "openapi.yaml"), "--config", str(config)]
    assert cli_main([*generate, "--out", str(out)]) == 0
    assert (out / "render_farm" / "resources" / "jobs_frames.py").is_file()


def test_verb_and_path_names_without_operation_ids(tmp_path: Path) -> None:
    spec = SPEC.replace("      operationId: listJobs\n", "").replace(
        "      operationId: createJob\n", ""
    )
    code, config = _init(tmp_path, spec)
    assert code == 0
    methods = yaml.safe_load(config.read_text(encoding="utf-8"))["resources"]["jobs"]["methods"]
    assert methods["list"] == "get /v1/jobs" and methods["create"] == "post /v1/jobs"


def test_deterministic(tmp_path: Path) -> None:
    """The same bytes from two processes with different hash seeds."""
    texts = []
    for seed in ("1", "2"):
        folder = tmp_path / seed
        folder.mkdir()
        (folder / "openapi.yaml").write_text(SPEC, encoding="utf-8")
        command = [sys.executable, "-m", "sdkforge", "init", "--spec", "openapi.yaml"]
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(command, cwd=folder, env=env, check=True, capture_output=True)
        texts.append((folder / "sdk.yaml").read_bytes())
    assert texts[0] == texts[1]


def test_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "sdk.yaml"
    config.write_text("package: mine\n", encoding="utf-8")
    code, _ = _init(tmp_path)
    assert code == 2
    assert config.read_text(encoding="utf-8") == "package: mine\n"
    error = capsys.readouterr().err
    assert f"{config}:1:1: error: the config exists already" in error
    assert "--config" in error and "Traceback" not in error


def test_bad_document_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, config = _init(tmp_path, "openapi: 3.1.0\npaths: [\n")
    assert code == 2
    assert not config.exists()
    assert re.search(r"openapi.yaml:\d+:\d+: error: ", capsys.readouterr().err)


def _corpus_documents() -> list[Path]:
    return sorted(CORPUS.glob("*.openapi.yaml")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is not present at {CORPUS}")
@pytest.mark.parametrize("document", _corpus_documents(), ids=lambda path: path.name.split(".")[0])
def test_corpus_draft_generates_as_is(document: Path, tmp_path: Path) -> None:
    config = tmp_path / "sdk.yaml"
    assert cli_main(["init", "--spec", str(document), "--config", str(config)]) == 0
    text = config.read_text(encoding="utf-8")
    # Every operation of the document is in the draft: mapped, or left out with its reason.
    paths = yaml.safe_load(document.read_text(encoding="utf-8"))["paths"]
    for path, item in paths.items():
        for verb in (v for v in item if v in VERBS):
            assert re.search(
                rf"^ *(# )*\w+: \"?{re.escape(f'{verb} {path}')}\"?($|  # left out: .+)",
                text,
                re.MULTILINE,
            ), f"{verb} {path} is not in the draft"
    drafted = yaml.safe_load(text)
    if not drafted.get("resources"):
        # Nothing of the document can be built yet: the draft says so, and why for each.
        assert "cannot generate any of these operations yet" in text
        assert text.count("# left out: ") == sum(
            1 for item in paths.values() for verb in item if verb in VERBS
        )
        return
    out = tmp_path / "out"
    command = ["generate", "--spec", str(document), "--config", str(config), "--out", str(out)]
    assert cli_main(command) == 0


RENAME_SPEC = """\
openapi: 3.1.0
info: {title: Wallet, version: "1"}
servers: [{url: "https://wallet.example"}]
paths:
  /credits:
    get:
      operationId: getCredits
      responses:
        "200":
          description: The balance.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Credits"}
components:
  schemas:
    Credits:
      type: object
      properties: {balance: {type: integer}}
"""


def test_resource_named_like_a_model_keeps_its_name_and_drafted_package_works(
    tmp_path: Path,
) -> None:
    code, config = _init(tmp_path, RENAME_SPEC)
    assert code == 0
    text = config.read_text(encoding="utf-8")
    # The model takes the next free name (`Credits2`, the README's numbering rule), so the
    # resource needs no renaming.
    assert "# review: not credits" not in text
    assert yaml.safe_load(text)["resources"] == {"credits": {"methods": {"get": "get /credits"}}}
    out = tmp_path / "out"
    command = ["generate", "--spec", str(tmp_path / "openapi.yaml"), "--config", str(config)]
    assert cli_main([*command, "--out", str(out)]) == 0
    script = (
        "import httpx\n"
        "from wallet import WalletClient\n"
        "answer = lambda request: httpx.Response(200, json={'balance': 3})\n"
        "http = httpx.Client(transport=httpx.MockTransport(answer))\n"
        "print(WalletClient(http_client=http).credits.get().balance)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=out, capture_output=True, text=True, check=False
    )
    assert done.stdout.strip() == "3", done.stderr
