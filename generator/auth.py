"""What the client sends to authenticate: the document's `securitySchemes` with the config's
corrections, the default `security`, and each operation's own.

A scheme becomes an `AuthScheme` of the runtime (a header, query parameter or cookie, a
prefix, and which credential it carries). Of a `security` list's alternatives the first whose
schemes are all supported is taken; `security: []` (or an empty alternative) sends nothing.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from .auth_config import SchemeOverride
from .config import SdkConfig
from .diagnostics import Diagnostic, SpecError
from .load import PathKey
from .resolve import Node, Spec


@dataclass(frozen=True)
class AuthScheme:
    """One scheme, as the generated client declares it."""

    key: str  # the securityScheme's name
    place: str  # 'header' | 'query' | 'cookie'
    name: str  # header, query parameter or cookie name
    prefix: str
    credential: str  # 'api_key' | 'basic'

    @property
    def description(self) -> str:
        """Where it goes, for the generated README."""
        sent = "username and password" if self.credential == "basic" else "api_key"
        where = {"header": "header", "query": "query parameter", "cookie": "cookie"}
        prefix = f" after `{self.prefix.strip()}`" if self.prefix.strip() else ""
        return f"{sent} in the `{self.name}` {where[self.place]}{prefix}"

    @property
    def literal(self) -> str:
        """The runtime's constructor call, as the client module prints it."""
        return f"AuthScheme({self.place!r}, {self.name!r}, {self.prefix!r}, {self.credential!r})"


@dataclass(frozen=True)
class Auth:
    """The API's schemes by name (the supported ones), why the others are not, and the
    default security (`None` when it cannot be built: `problem` says why)."""

    schemes: dict[str, AuthScheme]
    unsupported: dict[str, str]  # scheme name -> reason
    default: tuple[str, ...]
    problem: Diagnostic | None = None

    def operation_security(self, spec: Spec, operation: Node) -> tuple[str, ...] | None:
        """The schemes `operation` sends; `None` when it says nothing (the default holds)."""
        listed = operation.get("security")
        if listed is None:
            return None
        return self._choose(spec, listed)

    def _choose(self, spec: Spec, listed: Node) -> tuple[str, ...]:
        if not isinstance(listed.value, list):
            raise spec.error(listed, "'security' must be a list", "write e.g. `[{ApiKey: []}]`")
        if not listed.value:
            return ()
        reasons = []
        for alternative in listed.elements():
            if not isinstance(alternative.value, dict):
                raise spec.error(
                    alternative, "a security requirement must be a mapping", "write `{Name: []}`"
                )
            names = tuple(alternative.value)
            missing = [n for n in names if n not in self.schemes and n not in self.unsupported]
            if missing:
                raise spec.error(
                    alternative,
                    f"security scheme '{missing[0]}' is not in components/securitySchemes",
                    "declare it there, or under `auth: schemes:` in sdk.yaml",
                )
            bad = [n for n in names if n in self.unsupported]
            if not bad:
                return names
            reasons.append(f"'{bad[0]}': {self.unsupported[bad[0]]}")
        raise spec.error(
            listed,
            "no supported security alternative (" + "; ".join(reasons) + ")",
            "describe the scheme under `auth: schemes:` in sdk.yaml",
        )

    @property
    def needs_api_key(self) -> bool:
        return any(s.credential == "api_key" for s in self.schemes.values())

    @property
    def needs_basic(self) -> bool:
        return any(s.credential == "basic" for s in self.schemes.values())


def read_auth(spec: Spec, config: SdkConfig) -> Auth:
    declared = spec.root.get("components")
    declared = declared.get("securitySchemes") if declared else None
    schemes: dict[str, AuthScheme] = {}
    unsupported: dict[str, str] = {}
    for key, node in declared.items() if declared else []:
        try:
            schemes[key] = _scheme(key, spec.deref(node).value)
        except ValueError as reason:
            unsupported[key] = str(reason)
        except SpecError:
            unsupported[key] = "its $ref cannot be followed"
    for override in config.auth.schemes:
        try:
            schemes[override.scheme] = _overridden(schemes.get(override.scheme), override)
            unsupported.pop(override.scheme, None)
        except ValueError as reason:
            unsupported[override.scheme] = str(reason)
    auth = Auth(schemes, unsupported, ())
    if config.auth.security is not None:
        listed = Node([{name: []} for name in config.auth.security], config.auth.where)
        where: PathKey | None = ("auth", "security")
    else:
        listed = spec.root.get("security") or Node([], ("security",))
        where = None
    try:
        default = auth._choose(spec, listed)
    except SpecError as error:
        diagnostic = error.diagnostics[0]
        if where is not None:
            diagnostic = Diagnostic(config.document.locate(where), *_message(diagnostic))
        return Auth(schemes, unsupported, (), diagnostic)
    return Auth(schemes, unsupported, default)


def _message(diagnostic: Diagnostic) -> tuple[str, str]:
    return diagnostic.message, diagnostic.hint


def _scheme(key: str, value: object) -> AuthScheme:
    """The runtime form of a securityScheme; `ValueError` says why it is not supported."""
    if not isinstance(value, dict):
        raise ValueError("a security scheme must be a mapping")
    kind = value.get("type")
    if kind == "apiKey":
        place, name = value.get("in"), value.get("name")
        if place not in ("header", "query", "cookie") or not isinstance(name, str) or not name:
            raise ValueError("an apiKey scheme needs `in` (header, query or cookie) and `name`")
        return AuthScheme(key, str(place), name, "", "api_key")
    if kind == "http":
        scheme = str(value.get("scheme", "")).lower()
        if scheme == "bearer":
            return AuthScheme(key, "header", "Authorization", "Bearer ", "api_key")
        if scheme == "basic":
            return AuthScheme(key, "header", "Authorization", "Basic ", "basic")
        raise ValueError(f"HTTP '{scheme}' auth is not supported (only bearer and basic)")
    if kind in ("oauth2", "openIdConnect"):
        # The client takes the token the flow gave, as a bearer token.
        return AuthScheme(key, "header", "Authorization", "Bearer ", "api_key")
    raise ValueError(f"'{kind}' security schemes are not supported")


def _overridden(base: AuthScheme | None, override: SchemeOverride) -> AuthScheme:
    kind = override.type
    if kind in ("bearer", "basic"):
        credential = "basic" if kind == "basic" else "api_key"
        prefix = "Basic " if kind == "basic" else "Bearer "
        scheme = AuthScheme(override.scheme, "header", "Authorization", prefix, credential)
    elif kind:
        scheme = AuthScheme(override.scheme, kind, "", "", "api_key")
    elif base is not None:
        scheme = base
    else:
        raise ValueError("the config adds it without a `type`")
    name = override.name or scheme.name
    if not name:
        raise ValueError(f"a {kind} scheme needs a `name` in the config")
    prefix = scheme.prefix if override.prefix is None else override.prefix
    return AuthScheme(override.scheme, scheme.place, name, prefix, scheme.credential)


@dataclass(frozen=True)
class ClientAuth:
    """What the client module declares: the schemes some method sends, the default, the
    credentials they need and the fixed headers."""

    schemes: tuple[AuthScheme, ...] = ()
    default: tuple[str, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def needs_api_key(self) -> bool:
        return any(s.credential == "api_key" for s in self.schemes)

    @property
    def needs_basic(self) -> bool:
        return any(s.credential == "basic" for s in self.schemes)

    @property
    def default_literal(self) -> str:
        return repr(self.default)

    @property
    def headers_literal(self) -> str:
        return repr(dict(self.headers))

    def checks(
        self, security: tuple[str, ...] | None, other_cookies: bool = False
    ) -> tuple[str, ...]:
        """Assertions on a sent `request` that it carries exactly what `security` (`None`:
        the default) names, with the generated tests' credentials, and no other scheme's.
        `other_cookies`: the method sends cookie parameters too, which the check leaves out."""
        sent = self.default if security is None else security
        expected: dict[tuple[str, str], str | None] = {}
        for scheme in self.schemes:
            where = (scheme.place, scheme.name.lower() if scheme.place != "query" else scheme.name)
            expected.setdefault(where, None)
        cookies = []
        for scheme in (s for s in self.schemes if s.key in sent):
            sent_value = scheme.prefix + (TEST_BASIC if scheme.credential == "basic" else TEST_KEY)
            if scheme.place == "cookie":
                cookies.append(f"{scheme.name}={sent_value}")
            else:
                key = scheme.name.lower() if scheme.place == "header" else scheme.name
                expected[(scheme.place, key)] = sent_value
        lines = []
        for (place, name), value in sorted(expected.items()):
            if place == "header":
                lines.append(_equals(f"request.headers.get({name!r})", value))
            elif place == "query":
                lines.append(_equals(f"request.url.params.get({name!r})", value))
        names = tuple(s.name for s in self.schemes if s.place == "cookie")
        if names and other_cookies:
            sent_cookies = "request.headers.get('cookie', '').split('; ')"
            ours = f"[c for c in {sent_cookies} if c.partition('=')[0] in {names!r}]"
            lines.append(f"{ours} == {cookies!r}")
        elif names:
            cookie = "; ".join(cookies) if cookies else None
            lines.append(_equals("request.headers.get('cookie')", cookie))
        return tuple(lines)


def _equals(expression: str, value: str | None) -> str:
    return f"{expression} is None" if value is None else f"{expression} == {value!r}"


def client_auth(
    auth: Auth, used: tuple[tuple[str, ...] | None, ...], headers: tuple[tuple[str, str], ...]
) -> ClientAuth:
    """The client's part of `auth`, for the methods whose security is `used` (`None`: the
    default)."""
    names = set(auth.default)
    for security in used:
        names.update(security or ())
    return ClientAuth(tuple(auth.schemes[name] for name in sorted(names)), auth.default, headers)


# The credentials the generated tests give their clients.
TEST_KEY = "test-key"
TEST_USERNAME = "test-user"
TEST_PASSWORD = "test-password"
TEST_BASIC = base64.b64encode(f"{TEST_USERNAME}:{TEST_PASSWORD}".encode()).decode("ascii")
