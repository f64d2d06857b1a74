"""What the generated `api.md` and README print about each resource and method, computed from
the `Sdk`: signatures as a caller writes them, links to the modules that define each type,
and one example call a resource, which the generated tests also type-check."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from . import layout
from .model import Method, Resource, Sdk, Signature
from .signatures import REQUEST_OPTIONS

# How a README example passes a file: a path the client opens itself.
EXAMPLE_FILE = 'Path("image.png")'


@dataclass(frozen=True)
class Link:
    text: str
    target: str  # relative to the output directory, where api.md and the README are


@dataclass(frozen=True)
class RefMethod:
    call: str  # 'client.images.generate'
    anchor: str
    summary: str  # the operation's summary, one line; '' when the spec gives none
    signature: str  # a Python block: the call with its arguments and return type
    params: tuple[Link, ...]  # the TypedDicts of its arguments
    returns: tuple[Link, ...]  # the models it returns (and streams)
    stream_note: str  # what `stream=True` changes, '' for a method that does not stream


@dataclass(frozen=True)
class RefResource:
    name: str
    anchor: str
    source: Link
    methods: tuple[RefMethod, ...]
    example: str  # a call of its first method with the required arguments


@dataclass(frozen=True)
class ExampleFunction:
    """An example as the body of a function that takes a sync `client`, for mypy."""

    name: str
    code: str


@dataclass(frozen=True)
class Reference:
    resources: tuple[RefResource, ...]
    params: tuple[Link, ...]
    models: tuple[Link, ...]
    # The method the README's snippets call: its resource ('images') and name ('generate').
    first_resource: str = ""
    first_method: str = ""
    stream_example: str = ""  # a call with `stream=True`, when a method streams
    upload_example: str = ""  # a call that uploads a file, when a method takes one
    # The README's examples: one a resource, streaming and uploads, then the config's.
    examples: tuple[ExampleFunction, ...] = ()


def reference(sdk: Sdk) -> Reference:
    pkg = sdk.package.name
    params = tuple(
        Link(name, layout.output(pkg, module.path))
        for module in sdk.type_modules
        for name in module.reexports
    )
    models = tuple(
        Link(name, layout.output(pkg, module.path))
        for module in sdk.models
        for name in module.exports
    )
    by_name = {link.text: link for link in (*params, *models)}
    resources = tuple(_resource(sdk, resource, by_name) for resource in sdk.resources)
    stream_example, upload_example = _stream_example(sdk), _upload_example(sdk)
    examples = [
        ExampleFunction(f"example_{_slug(r.name)}", r.example) for r in resources if r.example
    ]
    examples += [
        ExampleFunction(name, code)
        for name, code in (("example_stream", stream_example), ("example_upload", upload_example))
        if code
    ]
    examples += [
        ExampleFunction(f"example_{index}_{_slug(example.title)}".rstrip("_"), example.code)
        for index, example in enumerate(sdk.readme_examples, start=1)
    ]
    first = next((r for r in sdk.resources if r.methods), None)
    return Reference(
        resources,
        params,
        models,
        first_resource=first.name if first else "",
        first_method=first.methods[0].name if first else "",
        stream_example=stream_example,
        upload_example=upload_example,
        examples=tuple(examples),
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _resource(sdk: Sdk, resource: Resource, links: dict[str, Link]) -> RefResource:
    pkg = sdk.package.name
    methods: list[RefMethod] = []
    for method in resource.methods:
        methods.append(_method(resource, method, method.name, links))
        if method.wait is not None:
            methods.append(_made(resource, method.wait.signature, "wait", links))
        if method.and_wait is not None:
            and_wait = method.and_wait
            methods.append(_made(resource, and_wait.signature, and_wait.name, links))
    return RefResource(
        resource.name,
        _anchor(resource.name),
        Link(
            f"{pkg}/resources/{resource.module}.py",
            layout.output(pkg, layout.resource_path(resource.module)),
        ),
        tuple(methods),
        example_call(resource, resource.methods[0]) if resource.methods else "",
    )


def _documented(method: Method) -> tuple[Signature, ...]:
    """The signatures a caller reads: one a body variant when a union body gives overloads
    (the implementation's merged arguments would admit mixes no variant allows), else the
    implementation's; stream overloads are told by a note instead."""
    overloads = tuple(s for s in method.signatures if s.is_overload)
    if overloads and method.stream is None:
        return overloads
    return (method.signatures[-1],)


def _method(resource: Resource, method: Method, name: str, links: dict[str, Link]) -> RefMethod:
    # A list that pages returns a page of items: the item model is the one to read.
    returned = (
        [method.paging.item_type] if method.paging else [name for _, name in method.response.names]
    )
    stream_note = ""
    if method.stream is not None:
        event = method.stream.event_type
        returned.append(event)
        stream_note = (
            f"It returns a `Stream[{event}]` of events (`AsyncStream` on the async client)."
            if method.stream.always
            else f"With `stream=True` it returns a `Stream[{event}]` of events (`AsyncStream` "
            f"on the async client); otherwise it returns `{method.response.annotation}`."
        )
    params_path = "/" + method.params_module.replace(".", "/") + ".py"
    return RefMethod(
        f"client.{resource.name}.{name}",
        _anchor(f"{resource.name}.{name}"),
        _summary(method.docstring),
        "\n\n".join(
            _signature_block(f"client.{resource.name}.{name}", signature, positional=0)
            for signature in _documented(method)
        ),
        tuple(link for link in links.values() if link.target.endswith(params_path)),
        tuple(links[n] for n in returned if n in links),
        stream_note,
    )


def _made(resource: Resource, signature: Signature, name: str, links: dict[str, Link]) -> RefMethod:
    """A method made beside the API's own (`wait`, `..._and_wait`)."""
    call = f"client.{resource.name}.{name}"
    # `wait` takes the job id positionally.
    block = _signature_block(call, signature, positional=1 if name == "wait" else 0)
    returned = (links[signature.returns],) if signature.returns in links else ()
    return RefMethod(call, _anchor(f"{resource.name}.{name}"), "", block, (), returned, "")


def _signature_block(call: str, signature: Signature, positional: int) -> str:
    arguments = [a for a in signature.arguments if a not in REQUEST_OPTIONS]
    lines = [
        f"    {a.name}: {a.annotation}{f' = {a.default}' if a.default else ''}," for a in arguments
    ]
    if len(arguments) > positional:
        lines.insert(positional, "    *,")
    if not lines:
        return f"{call}() -> {signature.returns}"
    return f"{call}(\n" + "\n".join(lines) + f"\n) -> {signature.returns}"


def _anchor(name: str) -> str:
    return name.replace(".", "-").replace("_", "-")


def _summary(docstring: str) -> str:
    """The first paragraph of a method's docstring literal, on one line."""
    try:
        text = ast.literal_eval(docstring) if docstring else ""
    except (ValueError, SyntaxError):
        return ""
    first = str(text).strip().split("\n\n", 1)[0]
    return "" if first.startswith("Args:") else " ".join(first.split())


def example_call(resource: Resource, method: Method) -> str:
    """`result = client.<resource>.<method>(<required arguments>)`, with the imports it needs."""
    call = f"client.{resource.name}.{method.name}({method.required_call(EXAMPLE_FILE)})"
    if method.paging is not None:
        return _with_path(f"for item in {call}:\n    print(item)")
    if method.returns_nothing:  # binding a call that returns None is a mypy error
        return _with_path(call)
    return _with_path(f"result = {call}\nprint(result)")


def _stream_example(sdk: Sdk) -> str:
    for resource in sdk.resources:
        for method in resource.methods:
            if method.stream is not None:
                flag = "" if method.stream.always else "stream=True"
                arguments = method.required_call_with(EXAMPLE_FILE, flag)
                call = f"client.{resource.name}.{method.name}({arguments})"
                return _with_path(f"stream = {call}\nfor event in stream:\n    print(event)")
    return ""


def _upload_example(sdk: Sdk) -> str:
    for resource in sdk.resources:
        for method in resource.methods:
            if method.file_fields:
                files = ", ".join(
                    f"{f.name}={f.sample.spell(EXAMPLE_FILE)}"
                    for f in method.file_fields
                    if not f.required
                )
                arguments = method.required_call_with(EXAMPLE_FILE, files)
                call = f"client.{resource.name}.{method.name}({arguments})"
                return _with_path(f"result = {call}")
    return ""


def _with_path(code: str) -> str:
    return f"from pathlib import Path\n\n{code}" if EXAMPLE_FILE in code else code
