"""Plain Python data, and the position of every node, built from a YAML parser's events.

From the events, not from composed nodes: composing holds a node object with two marks for
every scalar of the document at once (for a 3 MB document, about 40 MB that the process keeps
as its peak for the rest of the run), where an event is dropped as soon as it is read.

An anchored collection's events are kept while it is read, and an alias reads them again
under its own path: the same data and positions as building the shared node twice, and the
nodes an alias adds are counted against `MAX_ALIAS_NODES` as they are made.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .diagnostics import Diagnostic, Location, SpecError

PathKey = tuple[str | int, ...]

# Far deeper than any real document (the OpenAI one nests 21 levels), and shallow enough that
# no later stage, each recursing once or twice a level, comes near Python's recursion limit.
MAX_DEPTH = 100
# What aliases may add to a document, in nodes: a few kilobytes of nested aliases (a "billion
# laughs") would otherwise expand to billions of them.
MAX_ALIAS_NODES = 100_000

# A parser event. PyYAML's stubs leave an event's marks optional and its parser methods
# untyped; both parsers always set the marks.
Event = Any

_SURROGATE = re.compile("[\ud800-\udfff]")
_STR_TAG = "tag:yaml.org,2002:str"


class TooDeep(Exception):
    def __init__(self, mark: Any) -> None:
        super().__init__()
        self.mark = mark


class _Anchor:
    """An anchored node's events (those read so far, while it is still open)."""

    def __init__(self, start: Event) -> None:
        self.events: list[Event] = [start]
        self.open = not isinstance(start, yaml.ScalarEvent)
        self.depth = 1 if self.open else 0  # collections begun in it and not ended


class Builder:
    def __init__(self, loader: yaml.SafeLoader, name: str) -> None:
        self.loader: Any = loader
        self.name = name
        self.positions: dict[PathKey, tuple[int, int]] = {}
        self.errors: list[Diagnostic] = []
        self._anchors: dict[str, _Anchor] = {}
        self._recording: list[_Anchor] = []
        # The anchors' events being read again for aliases, innermost last: [events, next].
        self._replays: list[list[Any]] = []
        self._repeating: Event | None = None  # the outermost alias's node, while read
        self._repeated = 0

    def raise_if_errors(self) -> None:
        if self.errors:
            raise SpecError(self.errors)

    def document(self) -> tuple[bool, Any]:
        """(whether the stream holds a document, its data); a second document is an error."""
        loader = self.loader
        loader.get_event()  # the stream's start
        if loader.check_event(yaml.StreamEndEvent):
            return False, None
        start = loader.get_event()  # the document's start
        data = self.build(())
        loader.get_event()  # the document's end
        if not loader.check_event(yaml.StreamEndEvent):
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                start.start_mark,
                "but found another document",
                loader.get_event().start_mark,
            )
        return True, data

    def build(self, path: PathKey, positions: bool = True) -> Any:
        """The value of the node that begins with the next event, at `path` (recorded in
        `positions` unless told not to: a value that goes nowhere)."""
        return self._value(self._next(), path, positions)

    def _value(self, event: Event, path: PathKey, positions: bool) -> Any:
        """The value of the node that begins with `event`."""
        if isinstance(event, yaml.AliasEvent):
            return self._alias(event, path, positions)
        return self._node(event, path, positions)

    def _node(self, event: Event, path: PathKey, positions: bool, counted: bool = True) -> Any:
        mark = event.start_mark
        if positions:
            self.positions.setdefault(path, (mark.line + 1, mark.column + 1))
        if counted and self._repeating is not None:
            self._count_repeated()
        if isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                self._anchor(event)
            return self._scalar(event)
        if len(path) > MAX_DEPTH:
            raise TooDeep(mark)
        anchor = self._anchor(event) if event.anchor is not None else None
        if isinstance(event, yaml.SequenceStartEvent):
            value: Any = self._sequence(path, positions)
        else:
            value = self._mapping(path, positions)
        if anchor is not None:
            anchor.open = False
        return value

    def _anchor(self, event: Event) -> _Anchor | None:
        """Start keeping the events of the node `event` begins, when it is anchored (and
        not being read again for an alias)."""
        name = getattr(event, "anchor", None)
        if name is None or self._replays:
            return None
        if name in self._anchors:
            first = self._anchors[name].events[0]
            raise yaml.composer.ComposerError(
                f"found duplicate anchor {name!r}; first occurrence",
                first.start_mark,
                "second occurrence",
                event.start_mark,
            )
        anchor = self._anchors[name] = _Anchor(event)
        if anchor.open:
            self._recording.append(anchor)
        return anchor

    def _next(self) -> Event:
        while self._replays:
            replay = self._replays[-1]
            events, index = replay
            if index < len(events):
                replay[1] = index + 1
                return events[index]
            self._replays.pop()
        event = self.loader.get_event()
        if self._recording:
            self._record(event)
        return event

    def _record(self, event: Event) -> None:
        step = 0
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            step = 1
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            step = -1
        for anchor in self._recording:
            anchor.events.append(event)
            anchor.depth += step
        if step < 0:
            self._recording = [anchor for anchor in self._recording if anchor.depth > 0]

    def _alias(self, event: yaml.AliasEvent, path: PathKey, positions: bool) -> Any:
        anchor = self._named(event)
        start = anchor.events[0]
        if anchor.open:
            # A YAML alias that contains itself cannot become plain data.
            self._error(start.start_mark, "recursive YAML alias", "replace the alias with a $ref")
            return None
        outermost = self._repeating is None
        if outermost:
            self._repeating = start
        replay = [anchor.events, 1]
        self._replays.append(replay)
        try:
            return self._node(start, path, positions, counted=not outermost)
        finally:
            # Gone, with any left above it (a value cut short by an error).
            for index, entry in enumerate(self._replays):
                if entry is replay:
                    del self._replays[index:]
                    break
            if outermost:
                self._repeating = None

    def _count_repeated(self) -> None:
        self._repeated += 1
        if self._repeated > MAX_ALIAS_NODES and self._repeating is not None:
            # Raised at once: building on is what would run out of memory.
            mark = self._repeating.start_mark
            raise SpecError(
                [
                    *self.errors,
                    Diagnostic(
                        Location(self.name, mark.line + 1, mark.column + 1),
                        f"YAML aliases expand to more than {MAX_ALIAS_NODES:,} nodes "
                        "(aliases of aliases multiply)",
                        "write the repeated parts out, or share them with $ref",
                    ),
                ]
            )

    def _error(self, mark: Any, message: str, hint: str) -> None:
        location = Location(self.name, mark.line + 1, mark.column + 1)
        self.errors.append(Diagnostic(location, message, hint))

    def _sequence(self, path: PathKey, positions: bool) -> list[Any]:
        items: list[Any] = []
        while not isinstance(event := self._next(), yaml.SequenceEndEvent):
            items.append(self._value(event, (*path, len(items)), positions))
        return items

    def _mapping(self, path: PathKey, positions: bool) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while not isinstance(key_event := self._next(), yaml.MappingEndEvent):
            written_out = True  # not an alias: a collection's other events follow
            if isinstance(key_event, yaml.AliasEvent):
                key_event = self._named(key_event).events[0]
                written_out = False
            if not isinstance(key_event, yaml.ScalarEvent):
                self._error(
                    key_event.start_mark, "mapping key must be a scalar", "use a plain string key"
                )
                if written_out:
                    self._skip_collection(key_event)
                self.build(path, positions=False)  # its value, which goes nowhere
                continue
            key = self._scalar(key_event)
            # Response codes such as `200:` load as ints; OpenAPI means them as strings.
            key = str(key).lower() if isinstance(key, bool) else str(key)
            if key in result:
                self._error(
                    key_event.start_mark, f"duplicate key '{key}'", "remove one of the two entries"
                )
                self.build(path, positions=False)
                continue
            where = (*path, key)
            if positions:
                mark: Any = key_event.start_mark
                self.positions[where] = (mark.line + 1, mark.column + 1)
            result[key] = self._value(self._next(), where, positions)
        return result

    def _named(self, event: Event) -> _Anchor:
        """The anchor an alias names."""
        anchor = self._anchors.get(event.anchor)
        if anchor is None:
            raise yaml.composer.ComposerError(
                None, None, f"found undefined alias {event.anchor!r}", event.start_mark
            )
        return anchor

    def _skip_collection(self, start: Event) -> None:
        """Read past the rest of the collection `start` began; its anchors stay usable."""
        anchors = [self._anchor(start)]
        depth = 1
        while depth:
            event = self._next()
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                anchors.append(self._anchor(event))
                depth += 1
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.ScalarEvent):
                self._anchor(event)
        for anchor in anchors:
            if anchor is not None:
                anchor.open = False

    def _scalar(self, event: Event) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _STR_TAG:
            # Most scalars are text, which PyYAML's constructor would only hand back, after
            # much bookkeeping: a fifth of loading a large spec.
            value: Any = event.value
        else:
            node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            try:
                value = self.loader.construct_object(node, deep=True)
            except (ValueError, OverflowError) as exc:
                # e.g. an integer of more digits than Python converts: a value, not a crash.
                reason = str(exc).split(":", 1)[0]
                self._error(
                    event.start_mark,
                    f"cannot read this value: {reason}",
                    "write a smaller number, or quote it",
                )
                return None
        if isinstance(value, str) and _SURROGATE.search(value):
            try:
                # Two escapes that make one UTF-16 pair are the one character they spell.
                return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
            except UnicodeDecodeError:
                pass
            # A `"\ud800"` escape alone gives half a UTF-16 pair, which no UTF-8 file can hold.
            self._error(
                event.start_mark,
                "string holds an unpaired surrogate (a \\uD800-\\uDFFF escape)",
                "write the character itself, or a \\U escape of the whole code point",
            )
            return None
        return value
