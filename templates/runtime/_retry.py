"""When a failed request is worth sending again, and how long to wait first.

Pure decisions, shared by the sync and the async client: they look at what came back (a
response or a transport error) and how many retries were taken, and do no I/O.
"""

from __future__ import annotations

import random
import time

import httpx

from ._constants import (
    INITIAL_RETRY_DELAY,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
    RETRYABLE_STATUS_CODES,
)

__all__: list[str] = []

# What one attempt gave: a response (of any status), or the httpx error that stopped it.
Outcome = httpx.Response | httpx.HTTPError

# Transport errors that a second try cannot fix: a header h11 refuses, a URL scheme httpx
# cannot speak.
_HOPELESS = (httpx.LocalProtocolError, httpx.UnsupportedProtocol)


def retry_delay(outcome: Outcome, retries_taken: int, max_retries: int) -> float | None:
    """Seconds to wait before sending the request again, or ``None`` when ``outcome`` is final."""
    if retries_taken >= max_retries:
        return None
    if isinstance(outcome, httpx.Response):
        if outcome.status_code < 400 or not should_retry(outcome):
            return None
        return _delay(retries_taken, outcome.headers)
    # Redirect loops and undecodable bodies are not transport errors: the server repeats them.
    if not isinstance(outcome, httpx.TransportError) or isinstance(outcome, _HOPELESS):
        return None
    return _delay(retries_taken, None)


def should_retry(response: httpx.Response) -> bool:
    """Whether a retry can help after this error response."""
    # The server may say outright whether a retry can help.
    verdict = response.headers.get("x-should-retry")
    if verdict == "true":
        return True
    if verdict == "false":
        return False
    status = response.status_code
    return status in RETRYABLE_STATUS_CODES or status >= 500


def _delay(retries_taken: int, headers: httpx.Headers | None) -> float:
    if headers is not None:
        wait = retry_after(headers)
        # NaN fails both comparisons; an infinite or negative wait fails one.
        if wait is not None and 0 <= wait <= MAX_RETRY_AFTER:
            return wait
    backoff = min(INITIAL_RETRY_DELAY * 2.0**retries_taken, MAX_RETRY_DELAY)
    # Jitter keeps many clients that failed together from retrying together.
    return backoff * (1.0 - 0.25 * random.random())


def retry_after(headers: httpx.Headers) -> float | None:
    """Seconds to wait from ``retry-after-ms``, or ``Retry-After`` (seconds or an HTTP date)."""
    milliseconds = headers.get("retry-after-ms")
    if milliseconds is not None:
        try:
            return float(milliseconds) / 1000.0
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    # Only the rare date form pays for these imports.
    from datetime import timezone
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)  # HTTP dates are always in GMT
    return when.timestamp() - time.time()
