"""Client defaults, in one place so that the docs, the clients and the tests agree."""

from __future__ import annotations

import httpx

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "INITIAL_RETRY_DELAY",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "RETRYABLE_STATUS_CODES",
]

# Image generation can take minutes; a dead host should still fail fast.
DEFAULT_TIMEOUT = httpx.Timeout(600.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2

# Backoff in seconds: 0.5, 1, 2, 4, 8, 8, ... before jitter.
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
# A server asking for a longer wait than this is not worth blocking the caller for;
# the computed backoff applies instead.
MAX_RETRY_AFTER = 60.0

# Request timeout, lock conflict, rate limit. Every status >= 500 is retried as well.
RETRYABLE_STATUS_CODES = frozenset({408, 409, 429})
