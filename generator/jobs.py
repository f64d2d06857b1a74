"""Stage 3, for jobs: `wait(id)` on the method that reads a job, and `<method>_and_wait`
on the method that submits one, from the `poll:` entries of the config.

Both print a `JobPoll(...)` expression: the reading operation's path and id parameter, the
status field and the values that end the job, interval, timeout and the allowed hosts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import layout
from .config import MethodConfig, SdkConfig
from .flow_config import PollConfig
from .model import AndWait, Argument, Field, ResponseSchema, Signature, Wait
from .operations import Operation, read_operation
from .resolve import Spec

_WAIT_TIMES = (
    Argument("interval", "float | None", "None"),
    Argument("timeout", "float | None", "None"),
)
_POLL_TIMES = (
    Argument("poll_interval", "float | None", "None"),
    Argument("poll_timeout", "float | None", "None"),
)


@dataclass(frozen=True)
class Reader:
    """The method that reads a job: its path, its id parameter and the job's model."""

    path: str
    id_param: str
    job: ResponseSchema


def find_method(config: SdkConfig, qualified: str) -> MethodConfig | None:
    resource, _, name = qualified.rpartition(".")
    for entry in config.resources:
        if entry.name == resource:
            return next((m for m in entry.methods if m.name == name), None)
    return None


def reader(
    spec: Spec,
    config: SdkConfig,
    poll: PollConfig,
    named: Callable[[str, Operation], ResponseSchema],
) -> Reader:
    """The reading method of `poll`; `named` gives the model of a method's response."""
    method = find_method(config, poll.get)
    assert method is not None  # the config reader checked it
    op = read_operation(spec, config.document, method)
    path_params = [p.value["name"] for p in op.parameters if p.value["in"] == "path"]
    if len(path_params) != 1:
        raise spec.error(
            op.node,
            f"the job-reading operation {method.path} must take the job id as its one "
            "path parameter",
            "map `get:` under poll to an operation like `get /jobs/{id}`",
        )
    return Reader(method.path, path_params[0], named(poll.get, op))


def poll_expression(poll: PollConfig, reader: Reader) -> str:
    values = (
        f"path={reader.path!r}",
        f"id_param={reader.id_param!r}",
        f"status={poll.status!r}",
        f"done={poll.done!r}",
        f"failed={poll.failed!r}",
        f"interval={poll.interval!r}",
        f"timeout={poll.timeout!r}",
        f"allowed_hosts={poll.allowed_hosts!r}",
    )
    return f"JobPoll({', '.join(values)})"


def wait_method(poll: PollConfig, reader: Reader, id_field: Field) -> Wait:
    job = reader.job
    arguments = (Argument(id_field.name, "str", ""), *_WAIT_TIMES)
    return Wait(
        poll=poll_expression(poll, reader),
        id_argument=id_field.name,
        job_type=job.name,
        signature=Signature(arguments, job.name, False),
        imports=_imports(job, "wait_for_job"),
        async_imports=_imports(job, "async_wait_for_job"),
    )


def and_wait_method(
    poll: PollConfig,
    reader: Reader,
    name: str,
    submit: Signature,
    fields: tuple[Field, ...],
    overloaded: bool = False,
) -> AndWait:
    """`overloaded`: the submitting method has one overload a body variant, none of which
    takes every field at once as `..._and_wait` passes them on: it is called through the
    runtime's `any_variant`."""
    job = reader.job
    submitter = f"self.with_raw_response.{name}"
    helpers = ("submitted_job", *(("any_variant",) if overloaded else ()))
    own = [a for a in submit.arguments if a.name in {f.name for f in fields}]
    trailing = [a for a in submit.arguments if a not in own]
    call = ", ".join(f"{a.name}={a.name}" for a in submit.arguments)
    return AndWait(
        name=f"{name}_and_wait",
        poll=poll_expression(poll, reader),
        job_type=job.name,
        id_field=poll.id,
        url_field=poll.url,
        call=call,
        submitter=f"any_variant({submitter})" if overloaded else submitter,
        signature=Signature((*own, *_POLL_TIMES, *trailing), job.name, False),
        imports=_imports(job, *helpers, "wait_for_job"),
        async_imports=_imports(job, *helpers, "async_wait_for_job"),
    )


def _imports(job: ResponseSchema, *functions: str) -> tuple[str, ...]:
    names = [(".._polling", "JobPoll"), *((".._polling", f) for f in functions)]
    names.append((f"..{layout.types_module(job.module)}", job.name))
    return layout.import_lines(names)
