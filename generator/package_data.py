"""Where sdkforge's own templates are: package data of `sdkforge.templates`, found through
importlib.resources, so that an editable and a normal install read the same files."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

# Installed as a regular package (see pyproject.toml), so `files()` is a real folder that
# Jinja's file loader can read.
TEMPLATES = Path(str(files("sdkforge.templates")))


def config_schema_text() -> str:
    """The JSON Schema of `sdk.yaml` (`sdkforge schema` prints it), shipped beside the code."""
    return files("sdkforge").joinpath("sdk.schema.json").read_text(encoding="utf-8")
