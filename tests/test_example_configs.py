"""examples/openai/sdk.yaml configures every operation of the document it is for, each at
least once, and names no operation the document lacks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT.parent / "shared" / "corpus" / "openai-full.openapi.yaml"
CONFIG = ROOT / "examples" / "openai" / "sdk.yaml"
VERBS = ("get", "put", "post", "delete", "patch")


def _targets(resources: dict[str, Any]) -> list[str]:
    found = []
    for body in resources.values():
        found += list(body.get("methods", {}).values())
        found += _targets(body.get("resources", {}))
    return found


@pytest.mark.skipif(not DOCUMENT.is_file(), reason="the shared corpus is not beside the repo")
def test_the_openai_example_configures_every_operation() -> None:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    document = yaml.load(DOCUMENT.read_text(encoding="utf-8"), Loader=loader)
    operations = {
        f"{verb} {path}"
        for path, item in document["paths"].items()
        for verb in item
        if verb in VERBS
    }
    configured = set(_targets(yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["resources"]))
    assert sorted(operations - configured) == []
    assert sorted(configured - operations) == []
