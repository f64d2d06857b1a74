"""Base class of the response models. Only model modules import this, and only when a
response is parsed, so that importing the package does not import pydantic."""

from __future__ import annotations

from typing import Any, Literal

import pydantic
from pydantic import ConfigDict

__all__ = ["BaseModel"]


class BaseModel(pydantic.BaseModel):
    """A response object. Fields the API adds after this client was generated are kept
    (readable as attributes and in ``to_dict()``), so new API versions do not break it."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        protected_namespaces=(),
        # Build validators on first use, not on import of each model module.
        defer_build=True,
    )

    def to_dict(
        self,
        *,
        mode: Literal["json", "python"] = "python",
        by_alias: bool = True,
        exclude_unset: bool = True,
        exclude_none: bool = False,
    ) -> dict[str, Any]:
        """The model as a dict, by default with the fields the API actually sent.

        ``mode="json"`` gives only JSON types; ``exclude_unset=False`` adds the fields the
        API left out, with their defaults.
        """
        return self.model_dump(
            mode=mode,
            by_alias=by_alias,
            exclude_unset=exclude_unset,
            exclude_none=exclude_none,
            warnings=False,
        )

    def to_json(
        self,
        *,
        indent: int | None = 2,
        by_alias: bool = True,
        exclude_unset: bool = True,
        exclude_none: bool = False,
    ) -> str:
        """The model as JSON text, by default indented and with the fields the API sent."""
        return self.model_dump_json(
            indent=indent,
            by_alias=by_alias,
            exclude_unset=exclude_unset,
            exclude_none=exclude_none,
            warnings=False,
        )
