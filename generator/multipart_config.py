"""The `multipart:` section of `sdk.yaml`: how multipart bodies are sent.

    multipart:
      array_names: repeat        # or `brackets`: the parts of a list are named `name[]`
      methods: [images.edit]     # send multipart even when JSON is offered and no file is

Read apart from the rest of the config; `config.py` calls `read_multipart` and keeps the
value in `SdkConfig.multipart`.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .flow_config import method_list
from .load import PathKey

if TYPE_CHECKING:
    from .config import ResourceConfig, _ConfigReader

ARRAY_NAMES = ("repeat", "brackets")
_KEYS = ("array_names", "methods")
_HINT_METHOD = "write `resource.method`, e.g. `images.edit`"


@dataclass(frozen=True)
class MultipartConfig:
    array_names: str = "repeat"
    methods: tuple[str, ...] = ()  # `resource.method`: multipart even without files

    @property
    def array_suffix(self) -> str:
        """What follows the name of each part of a list."""
        return "[]" if self.array_names == "brackets" else ""


def read_multipart(
    reader: _ConfigReader, raw: Any, resources: Sequence[ResourceConfig]
) -> MultipartConfig:
    """The section's value (its defaults when it is absent); problems go to `reader`."""
    if raw is None:
        return MultipartConfig()

    def error(path: PathKey, message: str, hint: str) -> None:
        reader.error(("multipart", *path), message, hint)

    if not isinstance(raw, dict):
        error((), "'multipart' must be a mapping", "write `array_names:` and `methods:` under it")
        return MultipartConfig()
    reader.mapping(raw, ("multipart",), _KEYS)
    names = raw.get("array_names", "repeat")
    if names not in ARRAY_NAMES:
        close = difflib.get_close_matches(str(names), ARRAY_NAMES, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "use repeat or brackets"
        error(("array_names",), f"array_names must be repeat or brackets, not {names!r}", hint)
        names = "repeat"
    hints = (_HINT_METHOD, _HINT_METHOD)
    chosen = method_list(reader, raw.get("methods", []), ("multipart", "methods"), resources, hints)
    return MultipartConfig(names, chosen)
