"""Encoding a multipart/form-data request body, streamed from the files as it is sent (and,
with ``encode_upload``, a body that is one file's bytes, streamed the same way).

We encode the body ourselves: httpx falls back to a urlencoded body when no file is given.
Everything about the body is settled before anything is sent: each file's name, content type
and size, and every part header, so bad input fails at once with nothing sent. The files are
read only while the body is sent, ``CHUNK_SIZE`` bytes at a time, so an upload of any size
costs a few chunks of memory; each send (a retry, a redirect) reads them again from the start.

Form fields: ``str`` as is, ``bool`` as ``true``/``false``, ``int``/``float`` in decimal,
a list of those as repeated parts (named ``name[]``, or whatever suffix the method asks for).
A mapping, or a list holding mappings, is one ``application/json`` part, as OpenAPI says of
objects. ``None`` sends nothing: multipart has no null.

Files: ``bytes``, a binary file object, an ``os.PathLike`` path, or a tuple
``(filename, content)`` / ``(filename, content, mime_type)``; or a list of those, sent as
repeated parts named as a list of fields is.

- ``bytes`` are kept as they are (they are in memory already) and sent in chunks.
- A path is opened for each send and closed when its part is sent or the send fails.
- A file object that can seek is sent from its start, every time, and left open for its
  owner. One that cannot seek (a pipe, a socket) is read as it is sent, so it can be sent
  once only: a retry raises ``SDKError`` saying so. Its size is unknown, so the body then
  goes with ``Transfer-Encoding: chunked`` instead of a ``Content-Length``.
- A file that changes size between the call and the send raises ``SDKError``: the length
  announced would no longer be the length sent.

A part's headers cannot be forged from its values: names and file names are escaped as the
HTML standard does (``"``, CR and LF as ``%22``, ``%0D``, ``%0A``), and a MIME type holding
anything but printable ASCII (a control character, say ``"\\r\\nX-Injected: yes"``) raises
``ValueError``, as any malformed argument value does.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Mapping, Sequence
from typing import IO, Protocol, Union, cast

from ._exceptions import SDKError
from ._types import Omit

__all__ = ["CHUNK_SIZE", "MultipartBody", "encode_multipart", "encode_upload"]

CHUNK_SIZE = 64 * 1024
_MIME_BY_EXTENSION = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".json": "application/json",
    ".txt": "text/plain",
}
# Bare bytes have no name to guess from; image APIs reject application/octet-stream,
# so recognise the formats they accept by their first bytes.
_MAGIC_NUMBERS = (
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"\xff\xd8\xff", ".jpeg"),
    (b"GIF87a", ".gif"),
    (b"GIF89a", ".gif"),
)
_SNIFF_SIZE = 12  # enough for every magic number above and for WebP's
_DEFAULT_MIME = "application/octet-stream"
_JSON = "application/json"
_GENERIC_NAME = "upload"
# The HTML standard's escapes for names and filenames inside a Content-Disposition header.
_HEADER_ESCAPES = str.maketrans({'"': "%22", "\r": "%0D", "\n": "%0A"})


class _FileContent(Protocol):
    head: bytes  # the first bytes, to recognise the format by

    @property
    def size(self) -> int | None: ...  # None: known only once read

    def chunks(self) -> Iterator[bytes]: ...


_Piece = Union[bytes, _FileContent]
_Part = tuple[str, Union[str, None], Union[str, None], _Piece]  # name, filename, type, content


class MultipartBody:
    """A request body of pieces (a multipart body, or one upload's bytes), iterable as many
    times as it is sent; ``asynchronous()`` for httpx's async client, which wants an async
    iterable."""

    def __init__(self, pieces: list[_Piece], content_type: str) -> None:
        self._pieces = pieces
        self.content_type = content_type
        sizes = [len(piece) if isinstance(piece, bytes) else piece.size for piece in pieces]
        known = [size for size in sizes if size is not None]
        self.content_length: int | None = sum(known) if len(known) == len(sizes) else None

    @property
    def headers(self) -> dict[str, str]:
        """``Content-Type``, and ``Content-Length`` when every part's size is known (httpx
        sends the body chunked otherwise)."""
        headers = {"Content-Type": self.content_type}
        if self.content_length is not None:
            headers["Content-Length"] = str(self.content_length)
        return headers

    def __iter__(self) -> Iterator[bytes]:
        return _joined(self._pieces)

    def asynchronous(self) -> AsyncIterable[bytes]:
        return _AsyncBody(self)


class _AsyncBody:
    def __init__(self, body: Iterable[bytes]) -> None:
        self._body = body

    def __aiter__(self) -> AsyncIterator[bytes]:
        return _AsyncChunks(iter(self._body))


class _AsyncChunks:
    """The sync chunks, awaited: a local file read is about as quick as the copies around it,
    so it runs on the event loop (as in httpx's own multipart body). Not an async generator:
    dropped part way, this closes its file at once, not when the loop finalises it."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self

    async def __anext__(self) -> bytes:
        try:
            return next(self._chunks)
        except StopIteration:
            raise StopAsyncIteration from None


def encode_multipart(
    form_fields: Mapping[str, object] | None,
    files: Sequence[tuple[str, object]] | None,
    array_suffix: str = "[]",
    part_types: Mapping[str, str] | None = None,
) -> MultipartBody:
    """The body of these fields and files: every part checked and sized, no file read yet
    beyond its first bytes. ``array_suffix`` follows the name of each part of a list;
    ``part_types`` are the content types the API names for some fields (a JSON type sends
    the whole value as one JSON part)."""
    parts: list[_Part] = []
    for name, value in (form_fields or {}).items():
        _add_field(parts, name, value, array_suffix, (part_types or {}).get(name))
    for name, value in files or ():
        _add_files(parts, name, value, array_suffix)

    boundary = os.urandom(16).hex()
    delimiter = f"--{boundary}\r\n"
    pieces: list[_Piece] = []
    for name, filename, content_type, content in parts:
        head = (
            f'{delimiter}Content-Disposition: form-data; name="{name.translate(_HEADER_ESCAPES)}"'
        )
        if filename is not None:
            head += f'; filename="{filename.translate(_HEADER_ESCAPES)}"'
        if content_type is not None:
            head += f"\r\nContent-Type: {content_type}"
        pieces += (f"{head}\r\n\r\n".encode(), content, b"\r\n")
    pieces.append(f"--{boundary}--\r\n".encode())
    return MultipartBody(pieces, f"multipart/form-data; boundary={boundary}")


def encode_upload(value: object, media_type: str) -> MultipartBody:
    """A body that is one file's bytes, or a ``str`` as UTF-8 text, streamed as a file part
    is. It is sent as ``media_type``, the one the API takes, unless that is a wildcard
    (``image/*``): then as the file's own (the tuple's, else what its name or first bytes
    tell)."""
    if isinstance(value, str):
        charset = "" if "charset=" in media_type else "; charset=utf-8"
        return MultipartBody([value.encode()], (media_type or "text/plain") + charset)
    if not _is_single_file(value):
        raise TypeError(_bad_file_message("body", value))
    _, _, own_type, piece = _file_part("body", value)
    wildcard = not media_type or "*" in media_type
    return MultipartBody([piece], (own_type if wildcard else None) or media_type)


def _joined(pieces: list[_Piece]) -> Iterator[bytes]:
    """The pieces' bytes, small ones gathered into chunks of up to ``CHUNK_SIZE``: a body of
    small parts goes out in one write, not one per header line."""
    pending = bytearray()
    for piece in pieces:
        for chunk in _slices(piece) if isinstance(piece, bytes) else piece.chunks():
            if len(pending) + len(chunk) <= CHUNK_SIZE:
                pending += chunk
                continue
            if pending:
                yield bytes(pending)
                pending.clear()
            if len(chunk) < CHUNK_SIZE:
                pending += chunk
            else:
                yield chunk
    if pending:
        yield bytes(pending)


def _slices(data: bytes) -> Iterable[bytes]:
    # Big bytes go in chunks too: httpcore copies what is left of a buffer after every
    # partial socket send, which for a body of hundreds of MB means copies of that size.
    if len(data) <= CHUNK_SIZE:
        return (data,)
    return (data[start : start + CHUNK_SIZE] for start in range(0, len(data), CHUNK_SIZE))


def _add_field(
    parts: list[_Part], name: str, value: object, array_suffix: str, content_type: str | None
) -> None:
    if value is None or isinstance(value, Omit):
        return
    if _is_single_file(value):
        # A field that is a file or something else (`Union[FileTypes, Reference]`): this
        # value is the file.
        parts.append(_file_part(name, value))
        return
    if _is_json(value) or (content_type is not None and _is_json_type(content_type)):
        # OpenAPI: an object, or an array of objects, is one part of JSON, as is any value
        # the API wants as JSON.
        data = json.dumps(value, separators=(",", ":")).encode()
        parts.append((name, None, content_type or _JSON, data))
        return
    if isinstance(value, (list, tuple)):
        array_name = _array_name(name, array_suffix)
        for item in value:
            if item is not None:
                parts.append((array_name, None, content_type, _field_text(name, item).encode()))
        return
    parts.append((name, None, content_type, _field_text(name, value).encode()))


def _is_json_type(content_type: str) -> bool:
    media = content_type.partition(";")[0].strip().lower()
    return media == _JSON or media.endswith("+json")


def _is_json(value: object) -> bool:
    if isinstance(value, Mapping):
        return True
    return isinstance(value, (list, tuple)) and any(isinstance(item, Mapping) for item in value)


def _array_name(name: str, suffix: str) -> str:
    return name if not suffix or name.endswith(suffix) else name + suffix


def _field_text(name: str, value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    raise TypeError(
        f"form field {name!r} must be a str, bool, int, float or a list of those, "
        f"not {type(value).__name__}"
    )


def _add_files(parts: list[_Part], name: str, value: object, array_suffix: str) -> None:
    if value is None or isinstance(value, Omit):
        return
    if _is_single_file(value):
        parts.append(_file_part(name, value))
        return
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        array_name = _array_name(name, array_suffix)
        for item in value:
            if not _is_single_file(item):
                raise TypeError(_bad_file_message(name, item))
            parts.append(_file_part(array_name, item))
        return
    raise TypeError(_bad_file_message(name, value))


def _is_content(value: object) -> bool:
    return isinstance(value, (bytes, bytearray, memoryview, os.PathLike)) or hasattr(value, "read")


def _is_single_file(value: object) -> bool:
    if isinstance(value, tuple) and len(value) in (2, 3):
        # (filename, content[, mime]) as opposed to a tuple of several files.
        return (value[0] is None or isinstance(value[0], str)) and _is_content(value[1])
    return _is_content(value)


def _file_part(name: str, spec: object) -> _Part:
    filename: str | None = None
    content_type: str | None = None
    content = spec
    if isinstance(spec, tuple):
        filename, content = spec[0], spec[1]
        if len(spec) == 3:
            content_type = _checked_mime_type(name, spec[2])
    piece, source_name = _content(name, content)
    head = piece[:_SNIFF_SIZE] if isinstance(piece, bytes) else piece.head
    filename = filename or source_name or _GENERIC_NAME + _sniff_extension(head)
    if content_type is None:
        extension = os.path.splitext(filename)[1].lower()
        content_type = _MIME_BY_EXTENSION.get(extension) or _MIME_BY_EXTENSION.get(
            _sniff_extension(head), _DEFAULT_MIME
        )
    return name, filename, content_type, piece


def _checked_mime_type(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"the MIME type of file {name!r} must be a str, not {type(value).__name__}")
    for position, character in enumerate(value):
        if not " " <= character <= "~":
            raise ValueError(
                f"the MIME type of file {name!r} has the control character or non-ASCII "
                f"character {character!r} at position {position}: a part header takes "
                "printable ASCII only"
            )
    return value


def _content(name: str, content: object) -> tuple[_Piece, str | None]:
    """The content as bytes or as a file to read when sent, and the file name it carries."""
    if isinstance(content, (bytes, bytearray, memoryview)):
        return bytes(content), None
    what = f"file {name!r}"
    if isinstance(content, os.PathLike):
        path = os.fspath(content)
        return _PathContent(path, what), os.fsdecode(os.path.basename(path))
    file = cast("IO[bytes]", content)
    file_name = getattr(file, "name", None)
    shown_name = os.path.basename(file_name) if isinstance(file_name, str) else None
    if hasattr(file, "seekable") and file.seekable():
        return _SeekableContent(file, what), shown_name
    return _OneShotContent(file, what), shown_name


class _PathContent:
    """A file on disk, opened anew for each send."""

    def __init__(self, path: str | bytes, what: str) -> None:
        self._path = path
        self._what = what
        with open(path, "rb") as file:
            self.head = file.read(_SNIFF_SIZE)
            self.size = os.fstat(file.fileno()).st_size

    def chunks(self) -> Iterator[bytes]:
        with open(self._path, "rb") as file:
            yield from _sized_chunks(file, self.size, self._what, close_early=True)


class _SeekableContent:
    """A file object the caller opened: sent from its start, every time, and left open.

    From the start rather than from where it stands: a buffer just written to (an image saved
    into a BytesIO, say) is positioned at its end.
    """

    def __init__(self, file: IO[bytes], what: str) -> None:
        self._file = file
        self._what = what
        file.seek(0)
        self.head = _binary(file.read(_SNIFF_SIZE))
        file.seek(0, os.SEEK_END)
        self.size = file.tell()

    def chunks(self) -> Iterator[bytes]:
        self._file.seek(0)
        yield from _sized_chunks(self._file, self.size, self._what, close_early=False)


class _OneShotContent:
    """A stream that cannot seek: its first chunk read now (to sniff it and check that it is
    binary), the rest as it is sent, once."""

    size: int | None = None

    def __init__(self, file: IO[bytes], what: str) -> None:
        self._file = file
        self._what = what
        self._first = _binary(file.read(CHUNK_SIZE))
        self.head = self._first[:_SNIFF_SIZE]
        self._sent = False

    def chunks(self) -> Iterator[bytes]:
        if self._sent:
            raise SDKError(
                f"{self._what} cannot be sent again (a retry or a redirect asked for it): it "
                "is a stream that is not seekable, read as it was sent. Pass a path or a "
                "seekable file for the request to be retried."
            )
        self._sent = True
        first, self._first = self._first, b""
        if first:
            yield first
        while chunk := _binary(self._file.read(CHUNK_SIZE)):
            yield chunk


def _sized_chunks(file: IO[bytes], size: int, what: str, *, close_early: bool) -> Iterator[bytes]:
    """Exactly ``size`` bytes of ``file``, else ``SDKError``: the ``Content-Length`` sent
    promised that many. With ``close_early``, the file is closed before its last chunk is
    handed on, so it is closed even if the send stops there."""
    remaining = size
    while remaining > 0:
        chunk = _binary(file.read(min(CHUNK_SIZE, remaining)))
        if not chunk:
            raise _changed_size(what, size)
        remaining -= len(chunk)
        if remaining == 0:
            if file.read(1):
                raise _changed_size(what, size)
            if close_early:
                file.close()
        yield chunk
    if size == 0 and file.read(1):
        raise _changed_size(what, size)


def _changed_size(what: str, size: int) -> SDKError:
    return SDKError(
        f"{what} changed size while it was being sent: it had {size} bytes when the "
        "request was made, and that is the length announced"
    )


def _binary(data: object) -> bytes:
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError("file objects must be opened in binary mode ('rb')")
    return bytes(data)


def _sniff_extension(data: bytes) -> str:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    for magic, extension in _MAGIC_NUMBERS:
        if data.startswith(magic):
            return extension
    return ""


def _bad_file_message(name: str, value: object) -> str:
    hint = " (wrap a path in pathlib.Path)" if isinstance(value, str) else ""
    return (
        f"file {name!r} must be bytes, a binary file, an os.PathLike path, a "
        f"(filename, content[, mime_type]) tuple or a list of those, "
        f"not {type(value).__name__}{hint}"
    )
