"""The parts of a method in the generator's model (`model.py`): its signatures, what it
returns, and the pages and jobs around it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Argument:
    name: str
    annotation: str
    default: str  # '' for a required keyword argument


@dataclass(frozen=True)
class Signature:
    arguments: tuple[Argument, ...]
    returns: str
    is_overload: bool
    # Overloads carry the docstring; an implementation behind overloads does not need it.
    documented: bool = True

    @property
    def casts(self) -> bool:
        """Whether the body casts what `_request` returns (an `object`) to `returns`."""
        return self.returns != "object"


@dataclass(frozen=True)
class Stream:
    """A method that can answer with server-sent events."""

    event_type: str  # the event union's name
    event_module: str  # its module, dotted, relative to the package: 'types.image_gen_stream_event'
    # No `stream` field chooses it: the operation answers with events only.
    always: bool = False

    @property
    def flag(self) -> str:
        """The `stream=` argument of the method's `_request` call."""
        return "True" if self.always else "stream is True"


@dataclass(frozen=True)
class Paging:
    """A list method that pages: what its `_request` call adds."""

    scheme: str  # a `PageScheme(...)` expression
    item_type: str  # the model class of one item


@dataclass(frozen=True)
class Wait:
    """`wait(id)` on the resource of the method that reads a job."""

    poll: str  # a `JobPoll(...)` expression
    id_argument: str  # the Python name of the job id argument
    job_type: str
    signature: Signature  # sync and async alike, but for `async`
    imports: tuple[str, ...]  # what the sync body imports when it runs
    async_imports: tuple[str, ...]


@dataclass(frozen=True)
class AndWait:
    """`<method>_and_wait(...)`: submit a job, then wait for it."""

    name: str
    poll: str  # a `JobPoll(...)` expression
    job_type: str
    id_field: str  # where the submit response holds the job id ('' when it is `url_field`)
    url_field: str
    call: str  # the keyword arguments the submitting call passes on
    submitter: str  # what it calls: `self.with_raw_response.<method>`, maybe via `any_variant`
    signature: Signature
    imports: tuple[str, ...]
    async_imports: tuple[str, ...]


@dataclass(frozen=True)
class ResponseType:
    """What a method returns in the default mode, and how the runtime makes it."""

    kind: str  # 'json' (a model, list, union, primitive...), 'none', 'binary' or 'text'
    annotation: str  # its return annotation: 'Image', 'list[Image]', 'None', 'BinaryResponse'
    check: str  # what a generated test checks the result is an instance of: 'Image', 'list'
    names: tuple[tuple[str, str], ...] = ()  # (module, name) the annotation uses
    accept: str = ""  # the `Accept` header the method sends, when not JSON

    @property
    def cast(self) -> str:
        """The expression the runtime parses the body as."""
        # Not `type(None)`: a method's argument may be named `type` (its body field).
        return "NoneType" if self.annotation == "None" else self.annotation
