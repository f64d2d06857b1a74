"""A client's settings: where each comes from when it is not given, what it may hold, and
``copy``/``with_options`` to change some and keep the rest."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar, Generic, NamedTuple, TypeVar

import httpx
from typing_extensions import TypedDict

from ._auth import AuthScheme, Credentials
from ._constants import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from ._exceptions import SDKError
from ._request_options import checked_headers, is_printable_ascii, merge_headers
from ._types import Headers, NotGiven, not_given

if TYPE_CHECKING:
    from typing_extensions import Self

__all__: list[str] = []

_HttpClientT = TypeVar("_HttpClientT", httpx.Client, httpx.AsyncClient)


class OptionalHeader(NamedTuple):
    """A header the client sends when its constructor argument, else its environment
    variable, is set (an organization id, say)."""

    header: str
    argument: str
    env: str  # "" when no variable is read


class ClientOptions(TypedDict, Generic[_HttpClientT], total=False):
    """The settings every client takes, passed on by a client that takes more."""

    api_key: str | None
    username: str | None
    password: str | None
    base_url: str | httpx.URL | None
    timeout: float | httpx.Timeout | None
    max_retries: int
    default_headers: Headers | None
    http_client: _HttpClientT | None
    strict_response_validation: bool


def resolve_optional_headers(
    headers: tuple[OptionalHeader, ...], given: tuple[str | None, ...]
) -> dict[str, str]:
    """The optional headers to send: each argument given, else its variable; unset (or
    empty) ones are left out."""
    found = {}
    for header, value in zip(headers, given, strict=True):
        value = resolve_credential(value or None, header.env)
        if value is None:
            continue
        if not is_printable_ascii(value):
            raise SDKError(
                f"{header.argument} holds a control character or a non-ASCII character, which "
                "no HTTP header may carry: strip it first."
            )
        found[header.header] = value
    return found


def resolve_credential(value: str | None, env_var: str) -> str | None:
    """The credential given, else the one in ``env_var`` (when named and set), else ``None``."""
    if value is None and env_var:
        # An empty variable is an unset one; an empty argument is refused by check_settings.
        return os.environ.get(env_var) or None
    return value


def require_api_key(api_key: str | None, env_var: str) -> None:
    """``SDKError`` when the key that every operation needs by default is missing."""
    if api_key is None:
        where = f" or set the {env_var} environment variable" if env_var else ""
        raise SDKError(f"No API key was given: pass api_key=... to the client{where}.")


def resolve_base_url(
    base_url: str | httpx.URL | None, env_var: str, default: str
) -> str | httpx.URL:
    """The base URL given, else the one in ``env_var`` (when named and set), else ``default``."""
    if base_url is not None:
        return base_url
    return (os.environ.get(env_var) if env_var else None) or default


def check_settings(credentials: Credentials, max_retries: int) -> None:
    """``SDKError`` for settings no request could use; a credential is never echoed."""
    named = {"api_key": credentials.api_key, "username": credentials.username}
    for name, value in {**named, "password": credentials.password}.items():
        if value is not None and not value:
            raise SDKError(f"{name} must be a non-empty string.")
        if value is not None and not is_printable_ascii(value):
            # Never echoed: it is a secret, and a stray newline is invisible anyway.
            raise SDKError(
                f"{name} holds a control character or a non-ASCII character, which no HTTP "
                "header may carry (a trailing newline read from a file?): strip it first."
            )
    if max_retries < 0:
        raise SDKError(f"max_retries must be 0 or more, not {max_retries}.")


class ClientSettings(Generic[_HttpClientT]):
    """The settings of a client, sync or async, and the connection pool it sends through."""

    api_key: str | None
    base_url: httpx.URL
    timeout: float | httpx.Timeout | None
    max_retries: int
    _http: _HttpClientT

    # Set by each generated client: where its settings come from when they are not given.
    _api_key_env: ClassVar[str]  # "" when the API takes no key
    # Set by a client whose API authenticates: its schemes by name, and the ones an operation
    # sends unless it names its own (the document's `security`).
    _auth_schemes: ClassVar[Mapping[str, AuthScheme]] = {}
    _default_security: ClassVar[tuple[str, ...]] = ()
    _username_env: ClassVar[str] = ""
    _password_env: ClassVar[str] = ""
    # Headers the API wants on every request (an API version), below the caller's own.
    _fixed_headers: ClassVar[Mapping[str, str]] = {}
    # Set by a client with optional headers: what it declares, and the values it sends.
    _optional_headers: ClassVar[tuple[OptionalHeader, ...]] = ()
    _optional_values: Mapping[str, str] = {}
    _base_url_env: ClassVar[str]  # "" when the API names no such variable
    _default_base_url: ClassVar[str]
    _default_user_agent: ClassVar[str]

    def __init__(
        self,
        *,
        api_key: str | None = None,
        username: str | None = None,
        password: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Headers | None = None,
        http_client: _HttpClientT | None = None,
        strict_response_validation: bool = False,
    ) -> None:
        """Set the client up; nothing is sent before the first API call.

        Args:
            api_key: The API key. Defaults to the environment variable the client's own
                docstring names.
            username: The username, for an API with HTTP basic auth (the docstring of the
                client says when); defaults to its environment variable.
            password: The password that goes with it, likewise.
            base_url: The API's root URL. Defaults to the environment variable the client's
                docstring names, if any, else to the API's own URL.
            timeout: Seconds, or an `httpx.Timeout`, for each request; `None` waits forever.
                Defaults to 600 s, with 5 s to connect.
            max_retries: How many times to retry a request that failed in a way a retry can
                fix (connection errors, timeouts, 408, 409, 429 and 5xx). Defaults to 2.
            default_headers: Headers sent with every request.
            http_client: Your own `httpx.Client` (`httpx.AsyncClient` for the async client),
                for proxies, custom transports and the like; it is used as it is and left
                open when this client closes.
            strict_response_validation: Raise `APIResponseValidationError` when a response
                does not match the API's document. By default such a response still gives
                a model holding the data (a new enum value, a missing field), unvalidated.
        """
        envs = {
            "api_key": self._api_key_env,
            "username": self._username_env,
            "password": self._password_env,
        }
        credentials = Credentials(
            resolve_credential(api_key, envs["api_key"]),
            resolve_credential(username, envs["username"]),
            resolve_credential(password, envs["password"]),
            envs,
        )
        if any(self._auth_schemes[s].credential == "api_key" for s in self._default_security):
            require_api_key(credentials.api_key, self._api_key_env)
        self._configure(
            credentials=credentials,
            base_url=resolve_base_url(base_url, self._base_url_env, self._default_base_url),
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=self._new_http_client(timeout) if http_client is None else http_client,
            owns_http_client=http_client is None,
            user_agent=self._default_user_agent,
            strict_response_validation=strict_response_validation,
        )

    def _new_http_client(self, timeout: float | httpx.Timeout | None) -> _HttpClientT:
        raise NotImplementedError

    def _configure(
        self,
        *,
        credentials: Credentials,
        base_url: str | httpx.URL,
        timeout: float | httpx.Timeout | None,
        max_retries: int,
        default_headers: Headers | None,
        http_client: _HttpClientT,
        owns_http_client: bool,
        user_agent: str,
        strict_response_validation: bool = False,
    ) -> None:
        check_settings(credentials, max_retries)
        self._strict_response_validation = strict_response_validation
        self.api_key = credentials.api_key
        self._credentials = credentials
        self.base_url = httpx.URL(base_url)
        self.timeout = timeout
        self.max_retries = max_retries
        self._http = http_client
        self._owns_http_client = owns_http_client
        self._user_agent = user_agent
        self._custom_headers = checked_headers(merge_headers({}, default_headers or {}))
        self._redact = credentials.secrets()
        # Parsing a URL costs more than the rest of a request's set-up; an API has few paths.
        self._urls: dict[str, httpx.URL] = {}
        self._timeout_extension = httpx.Timeout(timeout).as_dict()
        # The credentials are added per operation, as its security says (`_build_request`).
        defaults = {"Accept": "application/json", "User-Agent": user_agent, **self._fixed_headers}
        defaults.update(self._optional_values)
        self._headers = merge_headers(defaults, self._custom_headers)

    def __repr__(self) -> str:
        # Deliberately leaves out the credentials and the headers that carry them.
        return (
            f"{type(self).__name__}(base_url={str(self.base_url)!r}, "
            f"timeout={self.timeout!r}, max_retries={self.max_retries})"
        )

    def copy(
        self,
        *,
        api_key: str | None = None,
        username: str | None = None,
        password: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = not_given,
        max_retries: int | None = None,
        default_headers: Headers | None = None,
        http_client: _HttpClientT | None = None,
    ) -> Self:
        """A client with these settings changed and the others (and the connection pool) kept.

        ``default_headers`` are merged over the current ones (``omit`` removes one). The copy
        never closes a connection pool it shares: close the original when done.
        """
        # Not type(self)(...): a subclass constructor may read the environment again, and
        # resolved settings must carry over as they are.
        clone = object.__new__(type(self))
        clone._optional_values = self._optional_values
        given = self._credentials
        clone._configure(
            credentials=given._replace(
                api_key=given.api_key if api_key is None else api_key,
                username=given.username if username is None else username,
                password=given.password if password is None else password,
            ),
            base_url=self.base_url if base_url is None else base_url,
            timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
            max_retries=self.max_retries if max_retries is None else max_retries,
            default_headers=merge_headers(self._custom_headers, default_headers or {}),
            http_client=self._http if http_client is None else http_client,
            owns_http_client=False,
            user_agent=self._user_agent,
            strict_response_validation=self._strict_response_validation,
        )
        return clone

    with_options = copy

    @property
    def is_closed(self) -> bool:
        return self._http.is_closed
