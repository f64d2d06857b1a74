"""What each request sends to authenticate, and where a credential must never go.

Pure functions: no I/O, shared by the sync and the async client. A client knows its API's
schemes by name (``AuthScheme``); each operation names the schemes it needs, and only those
are sent, and only to the client's own origin (scheme, host and port of its base URL).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import NamedTuple
from urllib.parse import quote

import httpx

from ._exceptions import SDKError

__all__: list[str] = []


class AuthScheme(NamedTuple):
    """One way the API takes a credential.

    ``place`` is ``"header"``, ``"query"`` or ``"cookie"``, ``name`` the header, query
    parameter or cookie name, ``prefix`` what goes before the credential (``"Bearer "``), and
    ``credential`` which of the client's credentials it sends: ``"api_key"``, or ``"basic"``
    for the username and password joined and base64-encoded.
    """

    place: str
    name: str
    prefix: str = ""
    credential: str = "api_key"


class Credentials(NamedTuple):
    """The client's secrets; ``None`` when not given (an operation that needs it fails)."""

    api_key: str | None = None
    username: str | None = None
    password: str | None = None
    # The environment variables named in the error of a missing credential.
    env_vars: Mapping[str, str] | None = None

    def secrets(self) -> tuple[str, ...]:
        """Every secret a message could leak, the basic token included."""
        found = [value for value in (self.api_key, self.password) if value]
        if self.username is not None and self.password is not None:
            found.append(self.basic_token())
        return tuple(found)

    def basic_token(self) -> str:
        pair = f"{self.username}:{self.password}".encode()
        return base64.b64encode(pair).decode("ascii")

    def value(self, credential: str) -> str:
        """The text a scheme sends for ``credential``; ``SDKError`` when it was not given."""
        if credential == "basic":
            if self.username is None or self.password is None:
                raise SDKError(f"This operation needs a username and a password: {self._where()}.")
            return self.basic_token()
        if not self.api_key:
            raise SDKError(f"This operation needs an API key: {self._where()}.")
        return self.api_key

    def _where(self) -> str:
        envs = self.env_vars or {}
        return ", ".join(
            f"pass {name}=... to the client" + (f" or set {envs[name]}" if envs.get(name) else "")
            for name in ("api_key", "username", "password")
            if name in envs
        )


def same_origin(url: httpx.URL, origin: httpx.URL) -> bool:
    """Whether ``url`` goes to ``origin``'s scheme, host and port (default ports filled in)."""
    return (url.scheme, url.host, _port(url)) == (origin.scheme, origin.host, _port(origin))


def _port(url: httpx.URL) -> int | None:
    return url.port or {"http": 80, "https": 443}.get(url.scheme)


def auth_parts(
    url: httpx.URL,
    schemes: Mapping[str, AuthScheme],
    security: Sequence[str],
    credentials: Credentials,
    origin: httpx.URL,
) -> tuple[dict[str, str], dict[str, str]]:
    """The headers and query parameters that ``security`` sends to ``url``: none unless it
    goes to ``origin``."""
    headers: dict[str, str] = {}
    params: dict[str, str] = {}
    if not security or not same_origin(url, origin):
        return headers, params
    cookies = []
    for name in security:
        scheme = schemes[name]
        value = scheme.prefix + credentials.value(scheme.credential)
        if scheme.place == "header":
            headers[scheme.name] = value
        elif scheme.place == "query":
            params[scheme.name] = value
        else:
            cookies.append(f"{scheme.name}={value}")
    if cookies:
        headers["Cookie"] = "; ".join(cookies)
    return headers, params


def without_credentials(
    request: httpx.Request, schemes: Mapping[str, AuthScheme], origin: httpx.URL
) -> httpx.Request:
    """``request`` as it may go out: to another origin, without any header, query parameter
    or cookie a scheme sends (a redirect keeps the headers of the request it follows)."""
    if same_origin(request.url, origin):
        return request
    for scheme in schemes.values():
        if scheme.place == "header":
            request.headers.pop(scheme.name, None)
        elif scheme.place == "query" and scheme.name in request.url.params:
            request.url = request.url.copy_remove_param(scheme.name)
    # httpx drops a redirect's Cookie header itself; a cookie scheme has nothing left here.
    return request


def loggable_url(url: httpx.URL, schemes: Mapping[str, AuthScheme]) -> str:
    """``url`` with the value of every credential in its query blanked out."""
    names = {s.name for s in schemes.values() if s.place == "query"} & set(url.params)
    if not names:
        return str(url)
    query = "&".join(
        f"{quote(key)}={'***' if key in names else quote(value)}"
        for key, value in url.params.multi_items()
    )
    return f"{url.copy_with(query=None)}?{query}"


def redirect(response: httpx.Response, follow: bool) -> httpx.Request | None:
    """The request a redirect response leads to, or ``None`` to stop at ``response``."""
    if not follow or not response.has_redirect_location:
        return None
    return response.next_request
