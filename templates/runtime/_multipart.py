"""Encoding a multipart/form-data request body.

We encode the body ourselves, once, into bytes: httpx falls back to a urlencoded body when
no file is given, and a body built once is resent byte for byte on every retry without
re-reading any file.

Form fields: ``str`` as is, ``bool`` as ``true``/``false``, ``int``/``float`` in decimal,
a list of those as repeated ``name[]`` parts. ``None`` sends nothing: multipart has no null.

Files: ``bytes``, a binary file object, an ``os.PathLike`` path, or a tuple
``(filename, content)`` / ``(filename, content, mime_type)``; or a list of those, sent as
repeated ``name[]`` parts. Paths are opened and closed here; file objects passed in are read
(from the start, when they can seek) and left open for their owner.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import IO, cast

from ._types import Omit

__all__ = ["encode_multipart"]

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
_DEFAULT_MIME = "application/octet-stream"
_GENERIC_NAME = "upload"
# The HTML standard's escapes for names and filenames inside a Content-Disposition header.
_HEADER_ESCAPES = str.maketrans({'"': "%22", "\r": "%0D", "\n": "%0A"})

_Part = tuple[str, str | None, str | None, bytes]  # name, filename, content type, content


def encode_multipart(
    form_fields: Mapping[str, object] | None,
    files: Sequence[tuple[str, object]] | None,
) -> tuple[bytes, str]:
    """Return the body and its ``Content-Type`` header value (with the boundary)."""
    parts: list[_Part] = []
    for name, value in (form_fields or {}).items():
        _add_field(parts, name, value)
    for name, value in files or ():
        _add_files(parts, name, value)

    boundary = os.urandom(16).hex()
    delimiter = f"--{boundary}\r\n".encode()
    chunks: list[bytes] = []
    for name, filename, content_type, content in parts:
        disposition = f'Content-Disposition: form-data; name="{name.translate(_HEADER_ESCAPES)}"'
        if filename is not None:
            disposition += f'; filename="{filename.translate(_HEADER_ESCAPES)}"'
        head = disposition + "\r\n"
        if content_type is not None:
            head += f"Content-Type: {content_type}\r\n"
        chunks += (delimiter, head.encode(), b"\r\n", content, b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def _add_field(parts: list[_Part], name: str, value: object) -> None:
    if value is None or isinstance(value, Omit):
        return
    if isinstance(value, (list, tuple)):
        array_name = name if name.endswith("[]") else f"{name}[]"
        for item in value:
            if item is not None:
                parts.append((array_name, None, None, _field_text(name, item).encode()))
        return
    parts.append((name, None, None, _field_text(name, value).encode()))


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


def _add_files(parts: list[_Part], name: str, value: object) -> None:
    if value is None or isinstance(value, Omit):
        return
    if _is_single_file(value):
        parts.append(_file_part(name, value))
        return
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        array_name = name if name.endswith("[]") else f"{name}[]"
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
        content_type = spec[2] if len(spec) == 3 else None
    data, source_name = _read(content)
    filename = filename or source_name or _GENERIC_NAME + _sniff_extension(data)
    if content_type is None:
        extension = os.path.splitext(filename)[1].lower()
        content_type = _MIME_BY_EXTENSION.get(extension) or _MIME_BY_EXTENSION.get(
            _sniff_extension(data), _DEFAULT_MIME
        )
    return name, filename, content_type, data


def _read(content: object) -> tuple[bytes, str | None]:
    """The content's bytes and the file name it carries, if any."""
    if isinstance(content, (bytes, bytearray, memoryview)):
        return bytes(content), None
    if isinstance(content, os.PathLike):
        path = os.fspath(content)
        with open(path, "rb") as opened:
            return opened.read(), os.fsdecode(os.path.basename(path))
    # A file object: rewind it, since a buffer just written to (an image saved into a
    # BytesIO, say) is positioned at its end.
    file = cast("IO[bytes]", content)
    if hasattr(file, "seekable") and file.seekable():
        file.seek(0)
    data: object = file.read()
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError("file objects must be opened in binary mode ('rb')")
    name = getattr(file, "name", None)
    return bytes(data), os.path.basename(name) if isinstance(name, str) else None


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
