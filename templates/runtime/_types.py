from __future__ import annotations

from os import PathLike
from types import NoneType as NoneType  # the no-content cast: an argument may be named `type`
from typing import (
    IO,
    Any,
    Iterator,
    Mapping,
    Optional,
    Protocol,
    Sequence,
    Tuple,
    TypeVar,
    Union,
    overload,
)

from typing_extensions import Literal, SupportsIndex, final, override

# What the package re-exports; the other names serve the generated modules.
__all__ = ["FileTypes", "NotGiven", "Omit", "not_given", "omit"]

_T_co = TypeVar("_T_co", covariant=True)

# What an upload may be: raw bytes, an open binary file, or a path the client opens itself.
FileContent = Union[IO[bytes], bytes, "PathLike[str]"]
# A bare content, or a tuple that also names the file and, optionally, its MIME type.
FileTypes = Union[
    FileContent,
    Tuple[Optional[str], FileContent],
    Tuple[Optional[str], FileContent, Optional[str]],
]

Headers = Mapping[str, Union[str, "Omit"]]
Query = Mapping[str, object]
Body = object


@final
class Omit:
    """Marks an argument the caller left out: nothing is sent for it.

    Distinct from ``None``, which is sent as JSON ``null``.
    """

    def __bool__(self) -> Literal[False]:
        return False

    @override
    def __repr__(self) -> str:
        return "omit"


@final
class NotGiven:
    """Marks a setting the caller left out: the client's default applies (e.g. ``timeout``).

    Distinct from ``None``, which for ``timeout`` means "no timeout at all".
    """

    def __bool__(self) -> Literal[False]:
        return False

    @override
    def __repr__(self) -> str:
        return "NOT_GIVEN"


omit = Omit()
not_given = NotGiven()


class SequenceNotStr(Protocol[_T_co]):
    """A sequence that is not a ``str``.

    ``str`` is itself a ``Sequence[str]``; this protocol leaves out ``str.__contains__``'s
    signature so that a lone string is rejected where a list of strings is expected.
    """

    @overload
    def __getitem__(self, index: SupportsIndex, /) -> _T_co: ...

    @overload
    def __getitem__(self, index: slice, /) -> Sequence[_T_co]: ...

    def __contains__(self, value: object, /) -> bool: ...

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[_T_co]: ...

    def index(self, value: Any, start: int = 0, stop: int = ..., /) -> int: ...

    def count(self, value: Any, /) -> int: ...

    def __reversed__(self) -> Iterator[_T_co]: ...
