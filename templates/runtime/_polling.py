"""Waiting for a job the API runs in the background: submit, then read it until it is done.

``JobPoll`` says how one API reports a job (which operation reads it, its status field and
the values that end it); the pure functions here decide what a read job means and how long
to wait before the next read (the API's ``Retry-After`` first, the configured interval
else, never past the deadline). ``wait_for_job`` and ``async_wait_for_job`` only send the
reads and sleep.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeVar

import httpx

from ._exceptions import JobFailedError, JobTimeoutError, SDKError
from ._retry import retry_after

if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, SyncAPIClient
    from ._response import APIResponse, AsyncAPIResponse

__all__: list[str] = []

_JobT = TypeVar("_JobT")
_R = TypeVar("_R")

JobState = Literal["done", "failed", "running"]


class JobPoll(NamedTuple):
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


class _Wait:
    """One wait for a job: what each read sends, and what to do after it. The sync and the
    async loop only send the reads and sleep."""

    def __init__(
        self,
        poll: JobPoll,
        cast_to: type[Any],
        job: str | None,
        url: httpx.URL | None,
        interval: float | None,
        timeout: float | None,
    ) -> None:
        self.poll = poll
        if url is not None:
            self.options: dict[str, Any] = {"url": url, "cast_to": cast_to, "mode": "raw"}
        else:
            self.options = {"path_params": {poll.id_param: job}, "cast_to": cast_to, "mode": "raw"}
        self.interval = poll.interval if interval is None else interval
        self.timeout = poll.timeout if timeout is None else timeout
        self.deadline = time.monotonic() + self.timeout

    def pause(self, response: httpx.Response, job: object) -> float | None:
        """Seconds to sleep before the next read, or ``None`` when the job is done; raises
        when it failed or the time is up."""
        body = response.json()
        state = job_state(self.poll, body)
        if state == "done":
            return None
        if state == "failed":
            status = body.get(self.poll.status)
            raise JobFailedError(f"The job ended with status {status!r}.", job=job)
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise JobTimeoutError(f"The job was not done after {self.timeout} s.", job=job)
        return next_delay(self.poll, response.headers, self.interval, remaining)


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
    wait = _Wait(poll, cast_to, job, url, interval, timeout)
    while True:
        read: APIResponse[_JobT] = client._request("get", poll.path, **wait.options)  # type: ignore[assignment]
        parsed = read.parse()
        pause = wait.pause(read.http_response, parsed)
        if pause is None:
            return parsed
        _sleep(pause)


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
    wait = _Wait(poll, cast_to, job, url, interval, timeout)
    while True:
        read: AsyncAPIResponse[_JobT] = await client._request("get", poll.path, **wait.options)  # type: ignore[assignment]
        parsed = await read.parse()
        pause = wait.pause(read.http_response, parsed)
        if pause is None:
            return parsed
        await _async_sleep(pause)


def any_variant(submit: Callable[..., _R]) -> Callable[..., _R]:
    """``submit`` (a method with one overload a body variant) as one callable that takes the
    fields of every variant: ``<method>_and_wait`` passes on all that it was given, and the
    server tells a wrong combination apart, as it does for the method itself."""
    return submit


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
