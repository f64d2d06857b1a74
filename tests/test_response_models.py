"""Response and stream-event models (generator/response_models.py).

The models are generated, written into a throwaway package beside a stand-in for the
runtime `_models.BaseModel` (all the models rely on: a pydantic model with
`extra="allow"`), imported and used: parsing, unknown fields, dispatch on the event `type`.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pydantic
import pytest
from sdkforge.diagnostics import SpecError
from sdkforge.model import ModelModule
from sdkforge.pipeline import Inputs, build, generate_files, load_inputs
from sdkforge.response_models import build_models, generate_models

REPO_ROOT = Path(__file__).resolve().parent.parent
PROJECT = Inputs(REPO_ROOT / "spec" / "openapi.yaml", REPO_ROOT / "spec" / "sdk.yaml")
CORPUS = Path("/work/shared/corpus/openai-images.openapi.yaml")

RUNTIME_STAND_IN = """\
import pydantic


class BaseModel(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")
"""

STORY_CONFIG = """\
package: storysdk
client:
  sync: StoryClient
  async: AsyncStoryClient
  api_key_env: STORY_API_KEY
resources:
  stories:
    singular: story
    methods:
      write: post /stories
"""

# A small API of our own: inline titled and untitled objects, an enum component that
# folds into its field, a URL, and two events that each carry an inline `Usage`.
STORY_SPEC = """\
openapi: 3.1.0
info: {title: Story API, version: 1.0.0}
servers: [{url: 'https://stories.example.test'}]
paths:
  /stories:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [topic]
              properties:
                topic: {type: string}
                stream: {type: boolean, nullable: true}
      responses:
        '200':
          description: A story, or its events.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Story'}
            text/event-stream:
              schema: {$ref: '#/components/schemas/StoryStreamEvent'}
components:
  schemas:
    Story:
      type: object
      title: A finished story
      description: A story the service wrote.
      required: [text]
      properties:
        text: {type: string, description: The story.}
        mood: {$ref: '#/components/schemas/Mood'}
        link: {type: string, format: uri, description: Where to read it online.}
        meta:
          type: object
          title: StoryMeta
          description: Facts about the story.
          properties:
            words: {type: integer, description: How many words.}
            stats:
              type: object
              properties:
                sentences: {type: integer}
    Mood:
      type: string
      enum: [happy, sad]
      description: How the story feels.
    StoryStreamEvent:
      anyOf:
        - $ref: '#/components/schemas/StoryChunkEvent'
        - $ref: '#/components/schemas/StoryDoneEvent'
      discriminator: {propertyName: type}
    StoryChunkEvent:
      type: object
      required: [type, text]
      properties:
        type: {type: string, enum: [story.chunk]}
        text: {type: string}
        usage:
          type: object
          title: Usage
          properties:
            tokens: {type: integer}
    StoryDoneEvent:
      type: object
      required: [word_count]
      properties:
        type: {type: string, enum: [story.done]}  # MARK-TYPE
        word_count: {type: integer}
        usage:
          type: object
          title: Usage
          required: [total]
          properties:
            total: {type: integer}
"""


Models = tuple[dict[str, str], tuple[ModelModule, ...]]
Loader = Callable[[dict[str, str]], Callable[[str], ModuleType]]


def _generate(spec_path: Path, config_path: Path) -> Models:
    inputs = Inputs(spec_path, config_path)
    spec, _ = load_inputs(inputs)
    return build_models(spec, build(inputs))


def _story(tmp_path: Path, spec_text: str = STORY_SPEC) -> Inputs:
    (tmp_path / "openapi.yaml").write_text(spec_text, encoding="utf-8")
    (tmp_path / "sdk.yaml").write_text(STORY_CONFIG, encoding="utf-8")
    return Inputs(tmp_path / "openapi.yaml", tmp_path / "sdk.yaml")


def _line_col(text: str, marker: str, word: str) -> tuple[int, int]:
    """1-based line and column of `word` on the line that carries `marker`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if marker in line:
            return number, line.index(word) + 1
    raise AssertionError(f"no line with {marker}")


def _classes(code: str) -> list[str]:
    return [node.name for node in ast.parse(code).body if isinstance(node, ast.ClassDef)]


@pytest.fixture(scope="module")
def project_models() -> Models:
    return _generate(PROJECT.spec, PROJECT.config)


@pytest.fixture
def load_package(tmp_path: Path) -> Iterator[Loader]:
    """Write model files into a fresh package; return an importer of its modules."""
    name = f"models_{tmp_path.name.replace('-', '_')}"
    added: list[str] = []

    def write(files: dict[str, str]) -> Callable[[str], ModuleType]:
        root = tmp_path / "site" / name
        (root / "types").mkdir(parents=True)
        (root / "__init__.py").write_text("")
        (root / "types" / "__init__.py").write_text("")
        (root / "_models.py").write_text(RUNTIME_STAND_IN)
        for path, code in files.items():
            (root / path).write_text(code, encoding="utf-8")
        sys.path.insert(0, str(tmp_path / "site"))
        added.append(str(tmp_path / "site"))
        return lambda stem: importlib.import_module(f"{name}.types.{stem}")

    yield write
    for entry in added:
        sys.path.remove(entry)
    for module in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
        del sys.modules[module]


# -- the project's spec ------------------------------------------------------------------------


def test_project_modules_and_class_names(project_models: Models) -> None:
    files, modules = project_models
    assert sorted(files) == [
        "types/image.py",
        "types/image_edit_completed_event.py",
        "types/image_edit_partial_image_event.py",
        "types/image_edit_stream_event.py",
        "types/image_gen_completed_event.py",
        "types/image_gen_partial_image_event.py",
        "types/image_gen_stream_event.py",
        "types/images_response.py",
    ]
    assert _classes(files["types/image.py"]) == ["Image"]
    response = files["types/images_response.py"]
    assert set(_classes(response)) == {
        "ImagesResponse",
        "Usage",
        "UsageInputTokensDetails",
        "UsageOutputTokensDetails",
    }
    assert "from .image import Image\n" in response  # imported, not redefined
    for stem in ("image_gen_completed_event", "image_edit_completed_event"):
        assert set(_classes(files[f"types/{stem}.py"])) == {
            "".join(w.capitalize() for w in stem.split("_")),
            "Usage",
            "UsageInputTokensDetails",
        }
    assert (
        "type: Literal['image_generation.partial_image']"
        in files["types/image_gen_partial_image_event.py"]
    )
    union = files["types/image_gen_stream_event.py"]
    assert (
        "ImageGenStreamEvent: TypeAlias = Annotated[Union[ImageGenPartialImageEvent, "
        "ImageGenCompletedEvent], Field(discriminator='type')]"
    ) in union
    assert {m.stem: m.exports for m in modules}["images_response"] == ("ImagesResponse",)


def test_project_models_follow_the_house_style(project_models: Models) -> None:
    files, _ = project_models
    for path, code in files.items():
        assert code.startswith("from __future__ import annotations\n"), path
        assert "datamodel-codegen" not in code and "Generated" not in code, path
        tree = ast.parse(code)
        assert "Literal" not in _names(tree, "typing"), path  # typing_extensions, as params
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            assert [ast.unparse(b) for b in cls.bases] == ["BaseModel"], path
            assert ast.get_docstring(cls), f"{path}: {cls.name} has no docstring"
            body = cls.body[1:]
            for field, after in zip(body, [*body[1:], None], strict=True):
                if isinstance(field, ast.AnnAssign):
                    assert isinstance(after, ast.Expr), f"{path}: {ast.unparse(field)} undocumented"
    response = files["types/images_response.py"]
    assert "from .._models import BaseModel\n" in response
    assert "from typing_extensions import Literal\n" in response
    assert "    created: int\n" in response
    assert "    usage: Optional[Usage] = None\n" in response
    assert '    """The result of an image generation, edit or variation request."""' in response
    assert "Field(title" not in "".join(files.values())


def _names(tree: ast.Module, module: str) -> set[str]:
    return {
        a.name
        for n in tree.body
        if isinstance(n, ast.ImportFrom) and n.module == module
        for a in n.names
    }


def test_images_response_parses_a_body_and_keeps_unknown_fields(
    project_models: Models, load_package: Loader
) -> None:
    load = load_package(project_models[0])
    images_response = load("images_response")
    body = json.dumps(
        {
            "created": 1713833628,
            "data": [{"b64_json": "aGk=", "brand_new": 1}],
            "output_format": "png",
            "usage": {
                "input_tokens": 50,
                "output_tokens": 50,
                "total_tokens": 100,
                "input_tokens_details": {"image_tokens": 40, "text_tokens": 10},
            },
            "moderation_report": {"flagged": False},
        }
    )
    response = images_response.ImagesResponse.model_validate_json(body)
    assert isinstance(response.data[0], load("image").Image)
    assert response.data[0].b64_json == "aGk=" and response.data[0].url is None
    assert response.usage.input_tokens_details.text_tokens == 10
    assert response.usage.output_tokens_details is None
    assert response.moderation_report == {"flagged": False}
    assert response.data[0].brand_new == 1
    with pytest.raises(pydantic.ValidationError):
        images_response.ImagesResponse.model_validate_json('{"data": []}')  # no `created`
    with pytest.raises(pydantic.ValidationError):
        images_response.ImagesResponse.model_validate({"created": 1, "quality": "ultra"})


def test_event_union_dispatches_on_type(project_models: Models, load_package: Loader) -> None:
    load = load_package(project_models[0])
    union = load("image_gen_stream_event").ImageGenStreamEvent
    adapter = pydantic.TypeAdapter[Any](union)
    common = {
        "b64_json": "aGk=",
        "created_at": 1,
        "size": "1024x1024",
        "quality": "high",
        "background": "opaque",
        "output_format": "png",
    }
    partial = adapter.validate_python(
        {**common, "type": "image_generation.partial_image", "partial_image_index": 0}
    )
    assert type(partial) is load("image_gen_partial_image_event").ImageGenPartialImageEvent
    completed = adapter.validate_json(
        json.dumps(
            {
                **common,
                "type": "image_generation.completed",
                "usage": {
                    "input_tokens": 5,
                    "output_tokens": 7,
                    "total_tokens": 12,
                    "input_tokens_details": {"image_tokens": 0, "text_tokens": 5},
                },
            }
        )
    )
    completed_module = load("image_gen_completed_event")
    assert type(completed) is completed_module.ImageGenCompletedEvent
    assert type(completed.usage) is completed_module.Usage
    with pytest.raises(pydantic.ValidationError, match="does not match any of the expected tags"):
        adapter.validate_python({**common, "type": "image_generation.unknown"})
    with pytest.raises(pydantic.ValidationError):  # an edit event is not a generation event
        adapter.validate_python(
            {**common, "type": "image_edit.partial_image", "partial_image_index": 0}
        )


# -- a small spec of our own -------------------------------------------------------------------


def test_inline_spec_models(tmp_path: Path, load_package: Loader) -> None:
    inputs = _story(tmp_path)
    files, modules = _generate(inputs.spec, inputs.config)
    assert sorted(files) == [
        "types/story.py",
        "types/story_chunk_event.py",
        "types/story_done_event.py",
        "types/story_stream_event.py",
    ]
    story = files["types/story.py"]
    # Named after the component, not its title; inline objects after their title or field.
    assert _classes(story) == ["Stats", "StoryMeta", "Story"]
    assert "mood: Optional[Literal['happy', 'sad']] = None" in story  # Mood folded in
    assert '"""How the story feels."""' in story  # its description came along
    assert "link: Optional[str] = None" in story  # a URL stays the text the API sent
    assert [m.exports for m in modules] == [
        ("Story",),
        ("StoryChunkEvent",),
        ("StoryDoneEvent",),
        ("StoryStreamEvent",),
    ]
    # The discriminator is required even where the spec left it optional.
    assert "    type: Literal['story.done']\n" in files["types/story_done_event.py"]

    load = load_package(files)
    parsed = load("story").Story.model_validate(
        {"text": "Once.", "meta": {"words": 1, "stats": {"sentences": 1}}, "mood": "happy"}
    )
    assert parsed.meta.stats.sentences == 1
    union = load("story_stream_event").StoryStreamEvent
    adapter = pydantic.TypeAdapter[Any](union)
    done = adapter.validate_python({"type": "story.done", "word_count": 3, "usage": {"total": 9}})
    assert type(done.usage) is load("story_done_event").Usage
    chunk = adapter.validate_python({"type": "story.chunk", "text": "Once", "usage": {}})
    assert type(chunk.usage) is load("story_chunk_event").Usage  # a Usage of its own
    with pytest.raises(pydantic.ValidationError):
        adapter.validate_python({"type": "story.middle", "text": "?"})


def test_models_that_reference_each_other_across_modules(
    tmp_path: Path, load_package: Loader
) -> None:
    text = STORY_SPEC.replace(
        "        mood: {$ref: '#/components/schemas/Mood'}",
        "        mood: {$ref: '#/components/schemas/Mood'}\n"
        "        author: {$ref: '#/components/schemas/Author'}",
    ).replace(
        "    Mood:",
        "    Author:\n"
        "      type: object\n"
        "      description: Who wrote it.\n"
        "      properties:\n"
        "        stories: {type: array, items: {$ref: '#/components/schemas/Story'}}\n"
        "    Mood:",
    )
    inputs = _story(tmp_path, text)
    files, modules = _generate(inputs.spec, inputs.config)
    # Two modules importing each other would fail to import: DCG moves such models into
    # a module of their own, and their modules re-export them from there.
    assert "from ._internal import Author\n" in files["types/author.py"]
    assert set(_classes(files["types/_internal.py"])) >= {"Author", "Story"}
    assert ("Author",) in [m.exports for m in modules]
    load = load_package(files)
    story = load("story").Story.model_validate(
        {"text": "A", "author": {"stories": [{"text": "B"}]}}
    )
    assert story.author.stories[0].text == "B"
    assert type(story.author) is load("author").Author


def test_a_named_member_without_a_value_is_told_apart_by_its_name(tmp_path: Path) -> None:
    # OpenAPI: a member the mapping does not name has its schema's name as its value.
    text = STORY_SPEC.replace("{type: string, enum: [story.done]}", "{type: string}")
    inputs = _story(tmp_path, text)
    files, _ = _generate(inputs.spec, inputs.config)
    assert "type: Literal['StoryDoneEvent']" in files["types/story_done_event.py"]
    assert "type: Literal['story.chunk']" in files["types/story_chunk_event.py"]


def test_an_inline_member_without_a_value_makes_a_plain_union(
    tmp_path: Path, load_package: Loader
) -> None:
    # No value tells the inline member apart: the union is not discriminated, each member
    # is tried in turn, and no member is made to require the tag.
    text = STORY_SPEC.replace(
        "        - $ref: '#/components/schemas/StoryDoneEvent'\n",
        "        - type: object\n"
        "          title: Pause\n"
        "          required: [seconds]\n"
        "          properties:\n"
        "            type: {type: string}\n"
        "            seconds: {type: integer}\n",
        1,
    )
    inputs = _story(tmp_path, text)
    files, _ = _generate(inputs.spec, inputs.config)
    union = files["types/story_stream_event.py"]
    assert "discriminator" not in union
    load = load_package(files)
    adapter = pydantic.TypeAdapter[Any](load("story_stream_event").StoryStreamEvent)
    pause = adapter.validate_python({"seconds": 2})
    assert type(pause).__name__ == "Pause" and pause.seconds == 2
    chunk = adapter.validate_python({"type": "story.chunk", "text": "Once"})
    assert type(chunk) is load("story_chunk_event").StoryChunkEvent


def test_schema_datamodel_code_generator_rejects_is_located(tmp_path: Path) -> None:
    text = STORY_SPEC.replace(
        "        text: {type: string, description: The story.}",
        "        text: {type: string, description: The story.}\n"
        "        pages:\n"
        "          type: array\n"
        "          items: 5  # MARK-ITEMS",
    )
    inputs = _story(tmp_path, text)
    spec, _ = load_inputs(inputs)
    with pytest.raises(SpecError) as caught:
        generate_models(spec, build(inputs))
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.location.line, diagnostic.location.column) == _line_col(
        text, "MARK-ITEMS", "items:"
    )
    assert "datamodel-code-generator" in diagnostic.message and diagnostic.hint


def test_ref_to_a_part_of_a_schema_is_located(tmp_path: Path) -> None:
    text = STORY_SPEC.replace(
        "        mood: {$ref: '#/components/schemas/Mood'}",
        "        mood: {$ref: '#/components/schemas/Mood'}\n"
        "        title: {$ref: '#/components/schemas/Story/properties/text'}  # MARK-REF",
    )
    inputs = _story(tmp_path, text)
    spec, _ = load_inputs(inputs)
    with pytest.raises(SpecError) as caught:
        generate_models(spec, build(inputs))
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.location.line == _line_col(text, "MARK-REF", "title:")[0]


# -- determinism, the real OpenAI document, the pipeline ---------------------------------------


def test_output_is_the_same_under_different_hash_seeds(project_models: Models) -> None:
    script = textwrap.dedent(f"""\
        import json, sys
        from pathlib import Path
        sys.path.insert(0, {str(REPO_ROOT)!r})
        from sdkforge.pipeline import Inputs, build, load_inputs
        from sdkforge.response_models import generate_models
        inputs = Inputs(Path({str(PROJECT.spec)!r}), Path({str(PROJECT.config)!r}))
        spec, _ = load_inputs(inputs)
        print(json.dumps(generate_models(spec, build(inputs)), sort_keys=True))
    """)
    outputs = []
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0]) == project_models[0]


@pytest.mark.skipif(not CORPUS.is_file(), reason="the shared corpus is not available")
def test_openai_images_document(tmp_path: Path) -> None:
    config = tmp_path / "sdk.yaml"
    config.write_text(
        textwrap.dedent("""\
        package: imagesdk
        client:
          sync: ImageClient
          async: AsyncImageClient
          api_key_env: OPENAI_API_KEY
        resources:
          images:
            singular: image
            methods:
              generate: post /images/generations
              edit: post /images/edits
              create_variation: post /images/variations
    """),
        encoding="utf-8",
    )
    files, modules = _generate(CORPUS, config)
    # Every component a response references gets a module of its own, as `Image` does.
    assert {m.exports[0] for m in modules} == {
        "Image",
        "ImagesResponse",
        "ImageGenUsage",
        "ImageGenInputUsageDetails",
        "ImageGenOutputTokensDetails",
        "ImagesUsage",
        "ImageGenStreamEvent",
        "ImageGenPartialImageEvent",
        "ImageGenCompletedEvent",
        "ImageEditStreamEvent",
        "ImageEditPartialImageEvent",
        "ImageEditCompletedEvent",
    }
    # The document titles its response "Image generation response": the class keeps the
    # component's name.
    assert "class ImagesResponse(BaseModel):" in files["types/images_response.py"]
    completed = files["types/image_gen_completed_event.py"]
    assert "from .images_usage import ImagesUsage\n" in completed
    assert _classes(files["types/images_usage.py"]) == ["InputTokensDetails", "ImagesUsage"]
    assert "url: Optional[str] = None" in files["types/image.py"]  # format: uri


def test_pipeline_writes_the_models_with_headers_and_reexports() -> None:
    files = generate_files(PROJECT)
    response = files["imagesdk/types/images_response.py"]
    assert response.startswith("# Generated by sdkforge from openapi.yaml.")
    assert 'background: Optional[Literal["transparent", "opaque"]] = None' in response  # ruff ran
    init = files["imagesdk/types/__init__.py"]
    for name, stem in (
        ("ImagesResponse", "images_response"),
        ("Image", "image"),
        ("ImageEditStreamEvent", "image_edit_stream_event"),
        ("ImageGenCompletedEvent", "image_gen_completed_event"),
    ):
        assert f"from .{stem} import {name} as {name}\n" in init
    assert "Usage as Usage" not in init  # module-local helpers stay in their modules
