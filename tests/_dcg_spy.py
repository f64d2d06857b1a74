"""What datamodel-code-generator is run on, in this process (no worker)."""

from __future__ import annotations

from typing import Any

import pytest
import sdkforge.cli
from sdkforge import model_codegen


def spy_on_dcg(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The schema keys of each DCG run from now on; the model worker is not started, so
    every run happens here."""
    runs: list[set[str]] = []
    generate = model_codegen.generate

    def spy(schemas: dict[str, Any], version: str, aliases: Any = None) -> dict[str, str]:
        runs.append(set(schemas))
        return generate(schemas, version, aliases)

    monkeypatch.setattr(model_codegen, "generate", spy)
    monkeypatch.setattr(sdkforge.cli.ModelWorker, "start", classmethod(lambda cls: None))
    return runs
