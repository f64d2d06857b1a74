"""The pure parts of pages and jobs, shared by the sync and the async classes: where the next
page is, what a read job means, how long to wait before the next read, which polling URLs
are followed."""

from __future__ import annotations

import httpx
import pytest
from imagesdk import SDKError
from imagesdk._pages import PageScheme, next_page_url
from imagesdk._polling import JobPoll, job_state, next_delay, polling_url, submitted_job

URL = httpx.URL("https://api.test/v1/items?limit=2&after=a")
NO_HEADERS = httpx.Headers()
POLL = JobPoll("/jobs/{id}", "id", "status", ("done",), ("failed",), 2.0, 60.0, ("eu.api.test",))


def test_a_cursor_replaces_the_previous_one_and_keeps_the_rest_of_the_query() -> None:
    scheme = PageScheme("cursor", "data", "after", "next")
    found = next_page_url(scheme, URL, {"data": [1], "next": "b"}, NO_HEADERS)
    assert str(found) == "https://api.test/v1/items?limit=2&after=b"
    assert next_page_url(scheme, URL, {"data": [1], "next": None}, NO_HEADERS) is None
    assert next_page_url(scheme, URL, {"data": [1], "next": ""}, NO_HEADERS) is None


def test_offset_grows_by_the_items_received_and_page_by_one() -> None:
    offset = PageScheme("offset", "data", "offset")
    found = next_page_url(offset, URL, {"data": [1, 2]}, NO_HEADERS)
    assert found is not None and found.params["offset"] == "2"
    after = next_page_url(offset, found, {"data": [3]}, NO_HEADERS)
    assert after is not None and after.params["offset"] == "3"
    assert next_page_url(offset, URL, {"data": []}, NO_HEADERS) is None
    page = PageScheme("page", "data", "page")
    second = next_page_url(page, URL, {"data": [1]}, NO_HEADERS)
    assert second is not None and second.params["page"] == "2"


def test_has_more_false_ends_the_list_whatever_else_the_page_says() -> None:
    scheme = PageScheme("cursor", "data", "after", "meta.next", "meta.more")
    body = {"data": [1], "meta": {"next": "b", "more": False}}
    assert next_page_url(scheme, URL, body, NO_HEADERS) is None
    body["meta"] = {"next": "b", "more": True}
    assert next_page_url(scheme, URL, body, NO_HEADERS) is not None


def test_next_urls_are_resolved_against_the_current_page() -> None:
    scheme = PageScheme("next_url", "data", field="next")
    found = next_page_url(scheme, URL, {"data": [], "next": "?page=3"}, NO_HEADERS)
    assert str(found) == "https://api.test/v1/items?page=3"
    links = httpx.Headers(
        {"link": '<https://api.test/v1/items?p=9>; rel="last", </v1/items?p=2>; rel=next'}
    )
    found = next_page_url(PageScheme("link_header", "data"), URL, {}, links)
    assert str(found) == "https://api.test/v1/items?p=2"
    assert next_page_url(PageScheme("link_header", "data"), URL, {}, NO_HEADERS) is None


def test_a_job_is_done_failed_or_still_running() -> None:
    assert job_state(POLL, {"status": "done"}) == "done"
    assert job_state(POLL, {"status": "failed"}) == "failed"
    assert job_state(POLL, {"status": "queued"}) == "running"
    assert job_state(POLL, ["not", "an", "object"]) == "running"


def test_retry_after_wins_over_the_interval_but_never_passes_the_deadline() -> None:
    assert next_delay(POLL, NO_HEADERS, 2.0, 60.0) == 2.0
    assert next_delay(POLL, httpx.Headers({"retry-after": "7"}), 2.0, 60.0) == 7.0
    assert next_delay(POLL, httpx.Headers({"retry-after": "7"}), 2.0, 3.0) == 3.0
    assert next_delay(POLL, httpx.Headers({"retry-after-ms": "250"}), 2.0, 60.0) == 0.25


def test_polling_urls_stay_on_allowed_hosts() -> None:
    base = httpx.URL("https://api.test/v1")
    assert str(polling_url(POLL, base, "/v1/jobs/1")) == "https://api.test/v1/jobs/1"
    assert polling_url(POLL, base, "https://eu.api.test/jobs/1").host == "eu.api.test"
    for refused in ("https://evil.test/jobs/1", "ftp://api.test/jobs/1", "", None):
        with pytest.raises(SDKError):
            polling_url(POLL, base, refused)


def test_a_submitted_job_gives_its_id_or_its_url() -> None:
    base = httpx.URL("https://api.test")
    assert submitted_job(POLL, base, {"job_id": 12}, "job_id", "") == ("12", None)
    assert submitted_job(POLL, base, {"href": "/jobs/3"}, "", "href")[1] == base.join("/jobs/3")
    with pytest.raises(SDKError, match="no job id"):
        submitted_job(POLL, base, {"id": None}, "id", "")
