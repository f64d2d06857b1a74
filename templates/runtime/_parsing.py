"""Turning a response body into what the method returns, leniently unless asked otherwise.

Real APIs drift from their documents: a new enum value, a field no longer sent, a number
where a string was. A body is validated first (pydantic, in its own fast code); when it does
not fit, it is built anyway, without validation, as far as its shape allows (``construct``),
so that the caller still gets the data in the types the document names. A client made with
``strict_response_validation=True`` raises ``APIResponseValidationError`` instead.
"""

from __future__ import annotations

import json
import types
import typing
from typing import TYPE_CHECKING, Any, Literal, Union, get_args, get_origin

import httpx

from ._binary import BinaryResponse
from ._exceptions import APIResponseValidationError, decode_body, describe_validation_error

if TYPE_CHECKING:
    from pydantic import TypeAdapter

__all__: list[str] = []

_UNIONS = (Union, types.UnionType)


def parse_response(response: httpx.Response, cast_to: Any, *, strict: bool = False) -> Any:
    """The typed result of a read response: ``cast_to`` is a model class, ``list[Model]``,
    a union alias, a plain type, ``BinaryResponse``, or ``type(None)`` for no body."""
    if cast_to is type(None):
        return None
    if cast_to is BinaryResponse:
        return BinaryResponse(response)
    content_type = response.headers.get("content-type", "")
    if cast_to is str and not _is_json(content_type):
        return response.text
    adapter = adapter_for(cast_to)
    try:
        return adapter.validate_json(response.content)
    # pydantic's ValidationError is a ValueError; a body nested too deep may raise either.
    except (ValueError, RecursionError) as exc:
        if strict:
            raise _invalid(response, cast_to, exc) from exc
        failure = exc
    try:
        return construct_whole(cast_to, json.loads(response.content))
    except (ValueError, RecursionError):
        raise _invalid(response, cast_to, failure) from failure


def parse_value(value: object, cast_to: Any, *, strict: bool = False) -> Any:
    """``value`` (decoded JSON) as ``cast_to``; raises pydantic's error when ``strict``."""
    try:
        return adapter_for(cast_to).validate_python(value)
    except (ValueError, RecursionError):
        if strict:
            raise
    return construct_whole(cast_to, value)


def construct_whole(cast_to: Any, value: object) -> Any:
    """``construct`` for a whole body or event: ``ValueError`` when it is not even of the
    outer kind (an object where a model is expected, a list where a list is), which no
    model could hold."""
    outer = _outer_kind(cast_to)
    if outer is not None and not isinstance(value, outer):
        raise ValueError(f"expected a JSON {'object' if outer is dict else 'array'}")
    return construct(cast_to, value)


def _outer_kind(cast_to: Any) -> type[Any] | None:
    origin = get_origin(cast_to)
    if origin is typing.Annotated:
        return _outer_kind(get_args(cast_to)[0])
    if origin in _UNIONS:
        kinds = {_outer_kind(member) for member in get_args(cast_to)}
        return kinds.pop() if len(kinds) == 1 else None
    if _is_model(cast_to) or origin is dict:
        return dict
    return list if origin is list else None


def construct(cast_to: Any, value: object, discriminator: str | None = None) -> Any:
    """``value`` built as ``cast_to`` without validation: models from their fields, lists
    and dicts item by item, a union by its discriminator or the member that fits best;
    what does not fit is kept as it came."""
    origin = get_origin(cast_to)
    if origin is typing.Annotated:
        inner, *metadata = get_args(cast_to)
        found = [getattr(m, "discriminator", None) for m in metadata]
        return construct(inner, value, next((d for d in found if isinstance(d, str)), None))
    value_of = getattr(cast_to, "__value__", None)  # a `TypeAliasType`
    if value_of is not None and origin is None:
        return construct(value_of, value, discriminator)
    if _is_model(cast_to):
        return _construct_model(cast_to, value) if isinstance(value, dict) else value
    if origin in _UNIONS:
        return _construct_union(get_args(cast_to), value, discriminator)
    if origin is list and isinstance(value, list):
        (item,) = get_args(cast_to) or (Any,)
        return [construct(item, v) for v in value]
    if origin is dict and isinstance(value, dict):
        _, item = get_args(cast_to) or (str, Any)
        return {k: construct(item, v) for k, v in value.items()}
    if cast_to is Any or cast_to is object or origin in (Literal, list, dict):
        return value
    try:
        return adapter_for(cast_to).validate_python(value)  # a date, a number as float, ...
    except (ValueError, TypeError):
        return value


def _construct_model(cls: Any, data: dict[str, Any]) -> Any:
    values: dict[str, Any] = {}
    used: set[str] = set()
    for name, info in cls.model_fields.items():
        key = info.alias if info.alias is not None and info.alias in data else name
        if key in data:
            used.add(key)
            values[name] = construct(info.annotation, data[key], info.discriminator)
    extra = {key: item for key, item in data.items() if key not in used}
    return cls.model_construct(**extra, **values)


def _construct_union(members: tuple[Any, ...], value: object, discriminator: str | None) -> Any:
    if discriminator is not None and isinstance(value, dict):
        tag = value.get(discriminator)
        for member in members:
            if _is_model(member) and tag in _literal_values(member, discriminator):
                return construct(member, value)
    for member in members:
        try:
            return adapter_for(member).validate_python(value)
        except (ValueError, TypeError):
            continue
    models = [m for m in members if _is_model(m)]
    if isinstance(value, dict) and models:
        # The member that names the most of the keys the API sent.
        best = max(models, key=lambda m: len(_keys(m) & value.keys()))
        return construct(best, value)
    return value


def _keys(model: Any) -> set[str]:
    return {info.alias or name for name, info in model.model_fields.items()}


def _literal_values(model: Any, field: str) -> tuple[object, ...]:
    info = model.model_fields.get(field)
    annotation = info.annotation if info is not None else None
    return get_args(annotation) if get_origin(annotation) is Literal else ()


def _is_model(cast_to: Any) -> bool:
    from pydantic import BaseModel

    return isinstance(cast_to, type) and issubclass(cast_to, BaseModel)


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _invalid(response: httpx.Response, cast_to: Any, exc: Exception) -> APIResponseValidationError:
    name = getattr(cast_to, "__name__", None) or repr(cast_to)
    return APIResponseValidationError(
        f"The response is not a valid {name}: {describe_validation_error(exc)}",
        response=response,
        body=decode_body(response),
    )


# By the type where it is hashable (`list[Image]` is rebuilt on every call, but equal), else
# by id(), with the type kept so that its id cannot be reused by another object.
_adapters: dict[object, tuple[object, TypeAdapter[Any]]] = {}


def adapter_for(cast_to: Any) -> TypeAdapter[Any]:
    try:
        key: object = ("type", cast_to)
        cached = _adapters.get(key)
    except TypeError:  # unhashable: an `Annotated` union with its `Field(...)`
        key = ("id", id(cast_to))
        cached = _adapters.get(key)
    if cached is not None:
        return cached[1]
    from pydantic import TypeAdapter  # here, not at the top: importing us must stay cheap

    adapter: TypeAdapter[Any] = TypeAdapter(cast_to)
    _adapters[key] = (cast_to, adapter)
    return adapter
