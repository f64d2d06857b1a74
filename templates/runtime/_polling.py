"""Waiting for a job the API runs in the background: submit, then read it until it is done.

``JobPoll`` says how one API reports a job (which operation reads it, its status field and
the values that end it); the pure functions here decide what a read job means and how long
to wait before the next read (the API's ``Retry-After`` first, the configured interval
else, never past the deadline). ``wait_for_job`` and ``async_wait_for_job`` only send the
reads and sleep.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import httpx

from ._exceptions import JobFailedError, JobTimeoutError, SDKError
from ._retry import retry_after

if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, SyncAPIClient
    from ._response import APIResponse, AsyncAPIResponse

__all__: list[str] = []

_JobT = TypeVar("_JobT")

JobState = Literal["done", "failed", "running"]


@dataclass(frozen=True)
class JobPoll:
    """How a job is read and when it is over; the names are those on the wire."""

    path: str  # the operation that reads the job, e.g. '/jobs/{id}'
    id_param: str  # its path parameter that takes the job's id
    status: str  # the job's status field
    done: tuple[str, ...]
    failed: tuple[str, ...]
    interval: float  # seconds between reads, unless the API says otherwise
    timeout: float  # seconds to wait in all
    allowed_hosts: tuple[str, ...] = ()  # hosts besides the client's own a polling URL may name


def job_state(poll: JobPoll, body: object) -> JobState:
    status = body.get(poll.status) if isinstance(body, dict) else None
    if status in poll.done:
        return "done"
    if status in poll.failed:
        return "failed"
    return "running"


def next_delay(poll: JobPoll, headers: httpx.Headers, interval: float, remaining: float) -> float:
    """Seconds to sleep before the next read: ``Retry-After`` when the API sends it."""
    wanted = retry_after(headers)
    return max(0.0, min(interval if wanted is None else wanted, remaining))


def polling_url(poll: JobPoll, base_url: httpx.URL, given: object) -> httpx.URL:
    """The URL a submitted job answered with, checked: on the client's own host, or on one
    of the hosts the config allows (which get no credentials)."""
    if not isinstance(given, str) or not given:
        raise SDKError("The response carries no polling URL.")
    url = base_url.join(given)
    if url.scheme not in ("http", "https"):
        raise SDKError("The polling URL is not an http(s) URL; it was not followed.")
    if url.host != base_url.host and url.host not in poll.allowed_hosts:
        raise SDKError(
            f"The polling URL is on host {url.host!r}, which the client does not allow; "
            "it was not followed."
        )
    return url


def job_id(body: object, field: str) -> str:
    value = body.get(field) if isinstance(body, dict) else None
    if not isinstance(value, (str, int)) or isinstance(value, bool) or value == "":
        raise SDKError(f"The response carries no job id in {field!r}.")
    return str(value)


def _read_options(
    poll: JobPoll, cast_to: type[Any], job: str | None, url: httpx.URL | None
) -> dict[str, Any]:
    if url is not None:
        return {"url": url, "cast_to": cast_to, "mode": "raw"}
    return {"path_params": {poll.id_param: job}, "cast_to": cast_to, "mode": "raw"}


def _outcome(poll: JobPoll, response: httpx.Response, job: Any) -> Any:
    """The finished job, ``None`` while it runs; raises when it failed."""
    state = job_state(poll, response.json())
    if state == "failed":
        raise JobFailedError(
            f"The job ended with status {response.json().get(poll.status)!r}.", job=job
        )
    return job if state == "done" else None


def _times(poll: JobPoll, interval: float | None, timeout: float | None) -> tuple[float, float]:
    return (poll.interval if interval is None else interval), (
        poll.timeout if timeout is None else timeout
    )


def wait_for_job(
    client: SyncAPIClient,
    poll: JobPoll,
    cast_to: type[_JobT],
    *,
    job: str | None = None,
    url: httpx.URL | None = None,
    interval: float | None = None,
    timeout: float | None = None,
) -> _JobT:
    """Read the job until it is done (and return it), failed, or the timeout has passed."""
    every, limit = _times(poll, interval, timeout)
    deadline = time.monotonic() + limit
    while True:
        read: APIResponse[_JobT] = client._request(  # type: ignore[assignment]
            "get", poll.path, **_read_options(poll, cast_to, job, url)
        )
        parsed = read.parse()
        if _outcome(poll, read.http_response, parsed) is not None:
            return parsed
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise JobTimeoutError(f"The job was not done after {limit} s.", job=parsed)
        _sleep(next_delay(poll, read.headers, every, remaining))


async def async_wait_for_job(
    client: AsyncAPIClient,
    poll: JobPoll,
    cast_to: type[_JobT],
    *,
    job: str | None = None,
    url: httpx.URL | None = None,
    interval: float | None = None,
    timeout: float | None = None,
) -> _JobT:
    """Read the job until it is done (and return it), failed, or the timeout has passed."""
    every, limit = _times(poll, interval, timeout)
    deadline = time.monotonic() + limit
    while True:
        read: AsyncAPIResponse[_JobT] = await client._request(  # type: ignore[assignment]
            "get", poll.path, **_read_options(poll, cast_to, job, url)
        )
        parsed = await read.parse()
        if _outcome(poll, read.http_response, parsed) is not None:
            return parsed
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise JobTimeoutError(f"The job was not done after {limit} s.", job=parsed)
        await _async_sleep(next_delay(poll, read.headers, every, remaining))


def submitted_job(
    poll: JobPoll, base_url: httpx.URL, body: object, id_field: str, url_field: str
) -> tuple[str | None, httpx.URL | None]:
    """(job id, polling URL) of what the submitting call answered; one of them is set."""
    if url_field:
        given = body.get(url_field) if isinstance(body, dict) else None
        return None, polling_url(poll, base_url, given)
    return job_id(body, id_field), None


# Module-level, looked up at call time, so that tests can replace them.
def _sleep(seconds: float) -> None:
    time.sleep(seconds)


async def _async_sleep(seconds: float) -> None:
    import anyio

    await anyio.sleep(seconds)
