"""Method signatures, including the three `stream` overloads of a streaming method."""

from __future__ import annotations

from .model import Argument, Field, Signature

_TRAILING = (
    Argument("extra_headers", "Headers | None", "None"),
    Argument("extra_query", "Query | None", "None"),
    Argument("extra_body", "Body | None", "None"),
    Argument("timeout", "float | httpx.Timeout | None | NotGiven", "not_given"),
)

# Every method takes them; the API reference names them once.
REQUEST_OPTIONS = _TRAILING


def _argument(field: Field) -> Argument:
    if field.required:
        return Argument(field.name, field.type, "")
    return Argument(field.name, f"{field.type} | Omit", "omit")


def _with_stream(fields: tuple[Field, ...], stream: Argument) -> tuple[Argument, ...]:
    """Required arguments, then `stream` when it is required, then the optional ones."""
    required = [_argument(f) for f in fields if f.required]
    optional = [_argument(f) for f in fields if not f.required]
    if stream.default:
        optional.append(stream)
        optional.sort(key=lambda a: a.name)
        return (*required, *optional, *_TRAILING)
    return (*required, stream, *optional, *_TRAILING)


def method_signatures(
    fields: tuple[Field, ...], stream_field: Field | None, response: str, event: str | None
) -> tuple[tuple[Signature, ...], tuple[Signature, ...]]:
    """(sync signatures, async signatures): overloads first, then the implementation."""
    arguments = (*[_argument(f) for f in fields], *_TRAILING)
    if event is None:
        single = (Signature(arguments, response, False),)
        return single, single
    if stream_field is None:  # no flag: the method answers with events only
        return (Signature(arguments, f"Stream[{event}]", False),), (
            Signature(arguments, f"AsyncStream[{event}]", False),
        )
    others = tuple(f for f in fields if f.name != stream_field.name)
    name = stream_field.name
    variants = (
        (Argument(name, "Optional[Literal[False]] | Omit", "omit"), "{r}"),
        (Argument(name, "Literal[True]", ""), "{s}[{e}]"),
        (Argument(name, "bool", ""), "{r} | {s}[{e}]"),
    )
    implementation = Argument(name, "Optional[Literal[False]] | Literal[True] | Omit", "omit")
    result = []
    for stream_class in ("Stream", "AsyncStream"):
        signatures = [
            Signature(
                _with_stream(others, argument),
                returns.format(r=response, s=stream_class, e=event),
                True,
            )
            for argument, returns in variants
        ]
        signatures.append(
            Signature(
                _with_stream(others, implementation),
                f"{response} | {stream_class}[{event}]",
                False,
                False,
            )
        )
        result.append(tuple(signatures))
    return result[0], result[1]


def variant_signatures(
    variants: list[tuple[Field, ...]], merged: Signature
) -> tuple[Signature, ...]:
    """One overload a variant of a discriminated union body, then `merged`, the method that
    takes the fields of all of them: a type checker picks the overload by the tag's value."""
    overloads = [
        Signature((*[_argument(f) for f in fields], *_TRAILING), merged.returns, True)
        for fields in variants
    ]
    return (*overloads, Signature(merged.arguments, merged.returns, False, False))
