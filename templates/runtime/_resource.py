"""Base classes of the generated resource classes (``client.images`` and the like)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._response import ResponseMode

if TYPE_CHECKING:
    from typing_extensions import Self

    from ._base_client import AsyncAPIClient, SyncAPIClient

__all__ = ["AsyncAPIResource", "SyncAPIResource"]


class SyncAPIResource:
    """Methods for one API resource; ``mode`` chooses what they return (see ``_response``)."""

    _client: SyncAPIClient
    _mode: ResponseMode

    def __init__(self, client: SyncAPIClient, mode: ResponseMode = "parsed") -> None:
        self._client = client
        self._mode = mode

    def _with_mode(self, mode: ResponseMode) -> Self:
        return type(self)(self._client, mode)


class AsyncAPIResource:
    """Methods for one API resource; ``mode`` chooses what they return (see ``_response``)."""

    _client: AsyncAPIClient
    _mode: ResponseMode

    def __init__(self, client: AsyncAPIClient, mode: ResponseMode = "parsed") -> None:
        self._client = client
        self._mode = mode

    def _with_mode(self, mode: ResponseMode) -> Self:
        return type(self)(self._client, mode)
