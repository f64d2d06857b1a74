"""Base classes of the generated resource classes (``client.images`` and the like)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._base_client import AsyncAPIClient, SyncAPIClient, _BaseClient
from ._response import ResponseMode

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["AsyncAPIResource", "SyncAPIResource"]

_ClientT = TypeVar("_ClientT", bound="_BaseClient[Any]")


class _APIResource(Generic[_ClientT]):
    """Methods for one API resource; ``mode`` chooses what they return (see ``_response``)."""

    _client: _ClientT
    _mode: ResponseMode

    def __init__(self, client: _ClientT, mode: ResponseMode = "parsed") -> None:
        self._client = client
        self._mode = mode

    def _with_mode(self, mode: ResponseMode) -> Self:
        return type(self)(self._client, mode)


class SyncAPIResource(_APIResource[SyncAPIClient]):
    """Methods for one API resource, on the synchronous client."""


class AsyncAPIResource(_APIResource[AsyncAPIClient]):
    """Methods for one API resource, on the asynchronous client."""
