"""Which of the media types a request body offers the method sends.

A document may offer one body as JSON and as multipart: multipart is what carries files,
so it is chosen when the body has a file field, or when the config's `multipart.methods`
names the method; JSON otherwise (it keeps nested objects and types as they are).
"""

from __future__ import annotations

from .request_body import body_shape
from .resolve import Node, Spec

JSON = "application/json"
MULTIPART = "multipart/form-data"
URLENCODED = "application/x-www-form-urlencoded"
BODY_KINDS = ((MULTIPART, "multipart"), (JSON, "json"), (URLENCODED, "form"))
# Media types whose body is a file's bytes as they are (an upload), and plain text.
_BINARY_MEDIA = ("application/octet-stream", "*/*", "application/pdf", "application/zip")
_BINARY_PREFIXES = ("image/", "audio/", "video/")
TEXT = "text/plain"
_MAX_DEPTH = 16


def choose_media(spec: Spec, content: Node, prefer_multipart: bool) -> tuple[str, Node] | None:
    """(kind, the media entry) to send, or None when no supported media type is offered."""
    offered = [(kind, entry) for media, kind in BODY_KINDS if (entry := _entry(content, media))]
    if not offered:
        return _raw_media(content)
    if len(offered) < 2 or offered[0][0] != "multipart":
        return offered[0]
    multipart = offered[0][1]
    schema = multipart.get("schema")
    if prefer_multipart or (schema is not None and has_files(spec, schema)):
        return offered[0]
    return offered[1]


def _entry(content: Node, media: str) -> Node | None:
    """The entry of `media`, also when the document adds parameters or capitals to it
    (`application/json; charset=utf-8`)."""
    exact = content.get(media)
    if exact is not None:
        return exact
    for key, entry in content.items():
        if key.partition(";")[0].strip().lower() == media:
            return entry
    return None


def _raw_media(content: Node) -> tuple[str, Node] | None:
    """A body sent as it is: a file's bytes ('binary') or text."""
    for key, entry in content.items():
        media = key.partition(";")[0].strip().lower()
        if media in _BINARY_MEDIA or media.startswith(_BINARY_PREFIXES):
            return "binary", entry
    text = _entry(content, TEXT)
    return ("text", text) if text is not None else None


def has_files(spec: Spec, schema: Node) -> bool:
    """Whether a body schema has a binary field (or a list or choice of binaries)."""
    try:
        shape = body_shape(spec, schema)
        shapes = [v.shape for v in shape.variants] or ([shape.shape] if shape.shape else [])
        return any(_binary(spec, prop, 0) for s in shapes for _, prop in s.properties)
    except Exception:
        return False


def _binary(spec: Spec, node: Node, depth: int) -> bool:
    target = spec.deref(node)
    value = target.value
    if depth > _MAX_DEPTH or not isinstance(value, dict):
        return False
    if value.get("format") == "binary" or value.get("contentEncoding") == "binary":
        return True
    items = target.get("items")
    if items is not None and _binary(spec, items, depth + 1):
        return True
    options = target.get("anyOf") or target.get("oneOf") or target.get("allOf")
    elements = options.elements() if options is not None else []
    return any(_binary(spec, option, depth + 1) for option in elements)
