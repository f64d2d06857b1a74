"""The client's default base URL, read from the spec's `servers`.

The first server whose URL is absolute once its variables take their defaults is the one:
a document may list a relative URL (served beside the document) or a sandbox before the
production server. A relative or empty URL names no host the client could call, so with no
absolute server at all the base URL must come from `default_base_url:` in the config.
"""

from __future__ import annotations

import re

from .config import BASE_URL
from .diagnostics import Diagnostic, Reporter
from .load import Document
from .resolve import Node, Spec

_VARIABLE = re.compile(r"\{([^{}]*)\}")
_HINT = "set `default_base_url:` under client in the config"


def server_url(spec: Spec, config: Document, reporter: Reporter) -> str:
    """The default base URL; '' with the problems reported when the spec gives none."""
    servers = spec.root.get("servers")
    listed = servers.elements() if servers else []
    problems: list[Diagnostic] = []
    for server in listed:
        url = _expanded(spec, server, problems)
        if url is not None and url.startswith(("http://", "https://")):
            if BASE_URL.fullmatch(url):
                return url
            problems.append(
                Diagnostic(
                    spec.locate((*server.path, "url")),
                    f"server URL {url!r} cannot be the default base URL",
                    f"write an http(s) URL without spaces or quotes, or {_HINT}",
                )
            )
        elif url is not None:
            problems.append(
                Diagnostic(
                    spec.locate((*server.path, "url")),
                    f"server URL {url!r} is relative: it names no host to call",
                    f"list an absolute server first, or {_HINT}",
                )
            )
    if not listed:
        problems.append(
            Diagnostic(
                config.locate(("client",)),
                "no base URL: the spec has no servers",
                "add `default_base_url:` under client, or `servers:` to the spec",
            )
        )
    reporter.diagnostics.extend(problems)
    return ""


def _expanded(spec: Spec, server: Node, problems: list[Diagnostic]) -> str | None:
    """The server's URL with each `{variable}` replaced by its default; None when it has
    none to give."""
    url = server.value.get("url") if isinstance(server.value, dict) else None
    if not isinstance(url, str):
        problems.append(
            Diagnostic(spec.locate(server), "a server needs a `url`", "write `url: https://...`")
        )
        return None
    variables = server.get("variables")
    missing: list[str] = []

    def default(match: re.Match[str]) -> str:
        variable = variables.get(match[1]) if variables else None
        value = (
            variable.value.get("default") if variable and isinstance(variable.value, dict) else None
        )
        if not isinstance(value, str):
            missing.append(match[1])
            return match[0]
        return value

    expanded = _VARIABLE.sub(default, url)
    if missing:
        problems.append(
            Diagnostic(
                spec.locate((*server.path, "url")),
                f"server variable '{missing[0]}' has no default",
                f"give it `default:` under the server's `variables:`, or {_HINT}",
            )
        )
        return None
    return expanded
