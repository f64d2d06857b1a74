"""Where a client's settings come from when they are not given, and what they may hold."""

from __future__ import annotations

import os

import httpx

from ._exceptions import SDKError
from ._request_options import is_printable_ascii

__all__: list[str] = []


def resolve_api_key(api_key: str | None, env_var: str) -> str:
    """The API key given, else the one in ``env_var``; ``SDKError`` when neither is set."""
    if api_key is None:
        api_key = os.environ.get(env_var)
    if not api_key:
        raise SDKError(
            f"No API key was given: pass api_key=... to the client or set the {env_var} "
            "environment variable."
        )
    return api_key


def resolve_base_url(
    base_url: str | httpx.URL | None, env_var: str, default: str
) -> str | httpx.URL:
    """The base URL given, else the one in ``env_var`` (when named and set), else ``default``."""
    if base_url is not None:
        return base_url
    return (os.environ.get(env_var) if env_var else None) or default


def check_settings(api_key: str, max_retries: int) -> None:
    """``SDKError`` for settings no request could use; the key itself is never echoed."""
    if not api_key:
        raise SDKError("api_key must be a non-empty string.")
    if not is_printable_ascii(api_key):
        # Never echoed: the key is a secret, and a stray newline is invisible anyway.
        raise SDKError(
            "api_key holds a control character or a non-ASCII character, which no HTTP "
            "header may carry (a trailing newline read from a file?): strip it first."
        )
    if max_retries < 0:
        raise SDKError(f"max_retries must be 0 or more, not {max_retries}.")
