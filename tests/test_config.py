"""Stage 1b, config: sdk.yaml read into `SdkConfig`, every mistake reported at its place."""

from __future__ import annotations

import pytest
from sdkforge.config import SdkConfig, read_config
from sdkforge.diagnostics import Reporter
from sdkforge.load import parse_yaml

VALID = """\
package: imagesdk
version: 2.1.0
client:
  sync: ImageClient
  async: AsyncImageClient
  api_key_env: IMAGE_API_KEY
  base_url_env: IMAGE_BASE_URL
aliases: [ImageModel]
resources:
  images:
    singular: image
    methods:
      generate: post /images/generations
      edit: POST /images/edits
  videos:
    methods:
      create: post /videos
"""


def _read(text: str) -> tuple[SdkConfig, list[str]]:
    reporter = Reporter()
    config = read_config(parse_yaml(text, "sdk.yaml"), reporter)
    return config, [str(d) for d in sorted(reporter.diagnostics)]


def _errors(text: str) -> list[str]:
    return _read(text)[1]


def test_valid_config() -> None:
    config, errors = _read(VALID)
    assert errors == []
    assert (config.package, config.version) == ("imagesdk", "2.1.0")
    assert config.client.sync_name == "ImageClient"
    assert config.client.async_name == "AsyncImageClient"
    assert config.client.api_key_env == "IMAGE_API_KEY"
    assert config.client.base_url_env == "IMAGE_BASE_URL"
    assert config.client.default_base_url == ""
    assert config.aliases == ("ImageModel",)
    images, videos = config.resources
    assert (images.name, images.singular) == ("images", "image")
    assert [(m.name, m.http_method, m.path) for m in images.methods] == [
        ("generate", "post", "/images/generations"),
        ("edit", "post", "/images/edits"),  # the verb is case-insensitive
    ]
    assert images.methods[1].where == ("resources", "images", "methods", "edit")
    assert videos.singular == "video"  # derived from the plural when not given


def test_optional_keys_have_defaults() -> None:
    config, errors = _read(
        VALID.replace("version: 2.1.0\n", "").replace("aliases: [ImageModel]\n", "")
    )
    assert errors == []
    assert config.version == "0.1.0"
    assert config.aliases == ()


@pytest.mark.parametrize(
    ("wrong", "right", "where"),
    [
        ("package", "pakage", "sdk.yaml:1:1"),
        ("  api_key_env", "  api_keyenv", "sdk.yaml:6:3"),
        ("    singular", "    singulr", "sdk.yaml:11:5"),
    ],
)
def test_unknown_key_suggests_the_close_one(wrong: str, right: str, where: str) -> None:
    errors = _errors(VALID.replace(wrong + ":", right + ":", 1))
    key = right.strip()
    expected = f"{where}: error: unknown key '{key}' (did you mean '{wrong.strip()}'?)"
    assert expected in errors


def test_unknown_key_without_close_match_lists_the_allowed_ones() -> None:
    errors = _errors(VALID + "colour: blue\n")
    assert any(
        "unknown key 'colour'" in e and "allowed keys: package, version" in e for e in errors
    ), errors


@pytest.mark.parametrize(
    ("remove", "key", "where"),
    [
        ("package: imagesdk\n", "package", "sdk.yaml:1:1"),
        ("  sync: ImageClient\n", "sync", "sdk.yaml:3:1"),  # at the `client:` key
    ],
)
def test_missing_required_key(remove: str, key: str, where: str) -> None:
    errors = _errors(VALID.replace(remove, ""))
    assert errors == [f"{where}: error: missing key '{key}' (add `{key}:` here)"]


def test_api_key_env_is_optional() -> None:
    # An API without security takes no key; one with it can be given the key as an argument.
    config, errors = _read(VALID.replace("  api_key_env: IMAGE_API_KEY\n", ""))
    assert errors == [] and config.client.api_key_env == ""


def test_missing_sections() -> None:
    errors = _errors("package: imagesdk\n")
    assert any("missing key 'client'" in e for e in errors)
    assert any("missing key 'resources'" in e for e in errors)


@pytest.mark.parametrize(
    "target",
    ["fetch /images", "post images", "post", "post /images extra", "42", "[post, /images]"],
)
def test_bad_method_target(target: str) -> None:
    errors = _errors(VALID.replace("post /videos", target))
    assert [e for e in errors if "must name an operation" in e] == [
        "sdk.yaml:17:7: error: method 'create' must name an operation "
        "(write `HTTP-METHOD /path`, e.g. `post /images/generations`)"
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("package: imagesdk", "package: Image-SDK", "'Image-SDK' is not a valid package name"),
        ("package: imagesdk", "package: import", "'import' is not a valid package name"),
        ("version: 2.1.0", "version: two", "'two' is not a version"),
        ("sync: ImageClient", "sync: imageClient", "'imageClient' is not a valid class name"),
        ("sync: ImageClient", "sync: Image-Client", "'Image-Client' is not a valid class name"),
        (
            "async: AsyncImageClient",
            "async: ImageClient",
            "the sync and async clients have the same name",
        ),
        (
            "api_key_env: IMAGE_API_KEY",
            "api_key_env: image-key",
            "'image-key' is not an environment variable name",
        ),
        ("  images:\n", "  class:\n", "resource name 'class' is not a valid Python identifier"),
        ("  images:\n", "  Images:\n", "resource name 'Images' is not a valid Python identifier"),
        ("singular: image", "singular: Image", "'Image' is not lower_snake_case"),
        ("generate: post", "def: post", "method name 'def' is not a valid identifier"),
        ("generate: post", "Generate: post", "method name 'Generate' is not a valid identifier"),
        ("aliases: [ImageModel]", "aliases: ImageModel", "'aliases' must be a list"),
        ("aliases: [ImageModel]", "aliases: ['']", "alias must be a schema name"),
    ],
)
def test_bad_names(old: str, new: str, message: str) -> None:
    assert old in VALID
    errors = _errors(VALID.replace(old, new, 1))
    assert any(message in e for e in errors), errors


def test_bad_name_is_located_at_its_value() -> None:
    errors = _errors(VALID.replace("sync: ImageClient", "sync: imageClient"))
    assert "sdk.yaml:4:3: error: 'imageClient' is not a valid class name" in errors[0]


def test_one_operation_may_back_several_methods() -> None:
    # Aliases: `make` beside `create`, and the same operation in another resource.
    text = VALID.replace(
        "      create: post /videos", "      create: post /videos\n      make: POST /videos"
    )
    text += "  more:\n    methods:\n      again: post /images/generations\n"
    config, errors = _read(text)
    assert errors == []
    targets = [(r.name, m.name, m.path) for r in config.resources for m in r.methods]
    assert ("videos", "make", "/videos") in targets
    assert ("more", "again", "/images/generations") in targets


def test_all_problems_are_reported_together() -> None:
    text = (
        VALID.replace("package: imagesdk", "package: Bad-Name")
        .replace("post /videos", "get videos")
        .replace("singular: image", "singular: Image")
    )
    assert len(_errors(text)) == 3


def test_resources_must_not_be_empty() -> None:
    errors = _errors(VALID.split("resources:")[0] + "resources: {}\n")
    assert any("'resources' must be a non-empty mapping" in e for e in errors)


def test_resource_without_methods() -> None:
    errors = _errors(
        VALID.replace("    methods:\n      create: post /videos\n", "    singular: video\n")
    )
    assert any("a resource needs a non-empty 'methods' mapping" in e for e in errors)


def test_optional_headers_are_read_in_order() -> None:
    config, errors = _read(
        VALID.replace(
            "  base_url_env: IMAGE_BASE_URL\n",
            "  base_url_env: IMAGE_BASE_URL\n"
            "  optional_headers:\n"
            "    - {header: Org-Id, argument: organization, env: IMAGE_ORG}\n"
            "    - {header: Org-Project, argument: project}\n",
        )
    )
    assert errors == []
    assert [(h.header, h.argument, h.env) for h in config.client.optional_headers] == [
        ("Org-Id", "organization", "IMAGE_ORG"),
        ("Org-Project", "project", ""),
    ]


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ("{}", "sdk.yaml:8:3: error: 'optional_headers' must be a list"),
        (
            "[{header: Org Id, argument: org}]",
            "sdk.yaml:8:23: error: 'Org Id' is not a header name",
        ),
        (
            "[{header: X-Org, argument: Org}]",
            "sdk.yaml:8:38: error: 'Org' is not a lower_snake_case argument name",
        ),
        (
            "[{header: X-Org, argument: api_key}]",
            "sdk.yaml:8:38: error: 'api_key' is an argument the client already takes",
        ),
        (
            "[{header: X-Org, argument: org, env: org}]",
            "sdk.yaml:8:53: error: 'org' is not an environment variable name",
        ),
        ("[{argument: org}]", "sdk.yaml:8:22: error: missing key 'header'"),
        (
            "[{header: X-Org, argument: org}, {header: x-org, argument: org2}]",
            "sdk.yaml:8:54: error: 'x-org' (org2) is named twice",
        ),
    ],
)
def test_bad_optional_headers_are_located(entries: str, message: str) -> None:
    text = VALID.replace(
        "  base_url_env: IMAGE_BASE_URL\n",
        f"  base_url_env: IMAGE_BASE_URL\n  optional_headers: {entries}\n",
    )
    errors = _errors(text)
    assert len(errors) == 1 and errors[0].startswith(message), errors
