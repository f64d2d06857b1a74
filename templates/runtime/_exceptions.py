"""Everything the client raises on purpose.

    SDKError                          base class: catch this to catch everything below
    ├── (config errors, e.g. no API key, are raised as SDKError itself)
    ├── JobFailedError                a job waited for ended in a failed state
    ├── JobTimeoutError               a job waited for was not done in time
    └── APIError                      the API or the network failed a request
        ├── APIConnectionError        no usable response: refused, reset, cut short,
        │                             a redirect loop, a body that cannot be decoded
        │   └── APITimeoutError       the request or the read timed out
        ├── APIStatusError            the API answered with a 4xx or 5xx status
        │   ├── BadRequestError              400
        │   ├── AuthenticationError          401
        │   ├── PermissionDeniedError        403
        │   ├── NotFoundError                404
        │   ├── ConflictError                409
        │   ├── UnprocessableEntityError     422
        │   ├── RateLimitError               429
        │   └── InternalServerError          >= 500
        └── APIResponseValidationError  a 2xx body that is not JSON or not the expected shape

Wrong argument types (e.g. a ``str`` where a file is expected) raise ``TypeError``, as
anywhere in Python: they are bugs to fix, not conditions to handle.

Messages hold the status and the server's own error message, never request headers nor
the text of an httpx error (which may quote one), so neither the API key nor the
``Authorization`` header can leak through ``str(error)``; the httpx error is ``__cause__``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "JobFailedError",
    "JobTimeoutError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "SDKError",
    "UnprocessableEntityError",
]


class SDKError(Exception):
    """Base class of every error this package raises on purpose."""


class APIError(SDKError):
    """A request failed: the API refused it, or it never completed.

    ``code``, ``param`` and ``type`` copy the fields of the server's error object
    (``{"error": {"message", "code", "param", "type"}}``) when the body has one.
    """

    message: str
    request: httpx.Request | None
    body: object | None
    code: str | None
    param: str | None
    type: str | None

    def __init__(
        self,
        message: str,
        *,
        request: httpx.Request | None = None,
        body: object | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body
        details = _error_object(body)
        self.code = _text_field(details, "code")
        self.param = _text_field(details, "param")
        self.type = _text_field(details, "type")


class APIConnectionError(APIError):
    """No complete response arrived: the connection failed, was reset or was cut short."""

    def __init__(
        self, message: str = "Connection error.", *, request: httpx.Request | None = None
    ) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """The request timed out (connecting, writing, or waiting for the response)."""

    def __init__(
        self, message: str = "Request timed out.", *, request: httpx.Request | None = None
    ) -> None:
        super().__init__(message, request=request)


class APIStatusError(APIError):
    """The API answered with a 4xx or 5xx status.

    ``body`` is the parsed JSON body, or its text when it is not JSON, or ``None`` when empty.
    ``request_id`` is the ``x-request-id`` header: quote it when you report a problem.
    """

    response: httpx.Response
    status_code: int
    request_id: str | None

    def __init__(self, message: str, *, response: httpx.Response, body: object | None) -> None:
        super().__init__(message, request=_request_of(response), body=body)
        self.response = response
        self.status_code = response.status_code
        self.request_id = response.headers.get("x-request-id")


class BadRequestError(APIStatusError):
    """400: the request is malformed or has an invalid argument."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(APIStatusError):
    """403: the key is valid but may not use this resource."""


class NotFoundError(APIStatusError):
    """404: the path or the named object does not exist."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the resource's state (retried by default)."""


class UnprocessableEntityError(APIStatusError):
    """422: the request is well formed but cannot be processed."""


class RateLimitError(APIStatusError):
    """429: too many requests or tokens; retried by default, obeying ``Retry-After``."""


class InternalServerError(APIStatusError):
    """A status >= 500: the server failed (retried by default)."""


class APIResponseValidationError(APIError):
    """A successful response whose body is not JSON or does not match the expected model."""

    response: httpx.Response
    status_code: int

    def __init__(
        self,
        message: str = "The API returned a response this client cannot parse.",
        *,
        response: httpx.Response,
        body: object | None = None,
    ) -> None:
        super().__init__(message, request=_request_of(response), body=body)
        self.response = response
        self.status_code = response.status_code


class JobFailedError(SDKError):
    """A job the client waited for ended in one of its failed states; ``job`` is its last read."""

    job: object

    def __init__(self, message: str, *, job: object) -> None:
        super().__init__(message)
        self.job = job


class JobTimeoutError(SDKError):
    """A job the client waited for was still running when the timeout passed; ``job`` is its
    last read."""

    job: object

    def __init__(self, message: str, *, job: object) -> None:
        super().__init__(message)
        self.job = job


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def make_status_error(response: httpx.Response, *, redact: tuple[str, ...] = ()) -> APIStatusError:
    """The typed error for a 4xx/5xx response whose body has been read.

    ``redact`` holds the secrets (the credentials) to blank out should the server echo one.
    """
    body = decode_body(response)
    status = response.status_code
    message = f"{status} {response.reason_phrase or httpx.codes.get_reason_phrase(status)}".rstrip()
    server_message = error_message(body)
    if server_message:
        message = f"{message}: {server_message}"
    for secret in redact:
        message = message.replace(secret, "***")
    if status >= 500:
        error_class: type[APIStatusError] = InternalServerError
    else:
        error_class = _STATUS_ERRORS.get(status, APIStatusError)
    return error_class(message, response=response, body=body)


def connection_error(exc: httpx.HTTPError, request: httpx.Request | None) -> APIConnectionError:
    """The error for a request that got no usable response, with ``exc`` as its cause.

    The message never repeats ``exc``'s text: httpx and h11 quote header values in theirs.
    """
    if isinstance(exc, httpx.TimeoutException):
        error: APIConnectionError = APITimeoutError(request=request)
    elif isinstance(exc, httpx.TooManyRedirects):
        error = APIConnectionError("Connection error: too many redirects.", request=request)
    elif isinstance(exc, httpx.DecodingError):
        error = APIConnectionError(
            "Connection error: the response body could not be decoded.", request=request
        )
    else:
        error = APIConnectionError(f"Connection error ({type(exc).__name__}).", request=request)
    # Also chained where the error is returned from the `except` block rather than raised.
    error.__cause__ = exc
    return error


def decode_body(response: httpx.Response) -> object | None:
    """The read body as JSON when it parses, else as text, else ``None`` when empty."""
    content = response.content
    if not content:
        return None
    try:
        body: object = json.loads(content)
    except (ValueError, RecursionError):  # a body nested too deep for Python's parser
        return response.text
    return body


def error_message(body: object | None) -> str | None:
    """The server's own message in an error body, in the shapes APIs use for it."""
    details = _error_object(body)
    message = _text_field(details, "message")
    if message is None and isinstance(body, Mapping):
        # Some servers (and mock servers) send {"error": "text"}.
        message = _text_field(body, "error")
    return message


def _error_object(body: object | None) -> Mapping[str, object] | None:
    if not isinstance(body, Mapping):
        return None
    inner = body.get("error")
    if isinstance(inner, Mapping):
        return inner
    # An error object sent bare, e.g. a stream event {"type": "error", "message": ...}.
    return body if "message" in body else None


def _text_field(details: Mapping[str, object] | None, key: str) -> str | None:
    value = details.get(key) if details is not None else None
    return value if isinstance(value, str) else None


def _request_of(response: httpx.Response) -> httpx.Request | None:
    # httpx raises rather than returning None for a response built without a request.
    try:
        return response.request
    except RuntimeError:
        return None


def describe_validation_error(exc: Exception) -> str:
    """A one-line summary of a pydantic ``ValidationError`` (duck-typed: no pydantic import)."""
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return str(exc)
    details = errors(include_url=False, include_input=False)
    if not details:
        return str(exc)
    first = details[0]
    location = ".".join(str(part) for part in first.get("loc", ()))
    summary = f"{location}: {first.get('msg')}" if location else str(first.get("msg"))
    if len(details) > 1:
        summary += f" (and {len(details) - 1} more)"
    return summary
