"""`sdkforge init --spec openapi.yaml [--config sdk.yaml]`: draft a config from a document.

Names come from `init_names`, the pagination and job guesses from `init_guess`. The draft is
then put through sdkforge's own build, merge and response-model stages (`pipeline.
unsupported`): every method they cannot build yet is written commented out, with the
reason, so that the draft generates as it is; a guess they refuse is commented out too.
The text is written by hand, not by a YAML dumper, to keep its comments and its order (the
document's), and so that the same document always gives the same bytes.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import init_guess, init_names
from .diagnostics import Diagnostic, Location, Reporter, SpecError
from .init_names import Operation
from .load import load_yaml
from .pipeline import Inputs, unsupported
from .resolve import Spec, check_openapi_root
from .resource_config import HTTP_METHODS, PATH_CHARS
from .servers import server_url

_URL_PATH = re.compile(rf"/[{PATH_CHARS}]*(\?[{PATH_CHARS}?]*)?")
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_ ./{}\-]*")
_NOT_PLAIN = frozenset({"yes", "no", "true", "false", "null", "on", "off", "y", "n"})
_ROUNDS = 6  # build rounds: a method left out can only make others buildable, never fewer


@dataclass
class _Method:
    name: str
    resource: tuple[str, ...]
    verb: str
    path: str
    operation: dict[str, Any]
    left_out: str = ""  # why the draft leaves it out ('' when it is in)

    @property
    def qualified(self) -> str:
        return ".".join((*self.resource, self.name))


@dataclass
class _Draft:
    spec_name: str
    package: str
    headers: list[str]  # the `client:` lines after the class names
    methods: list[_Method]
    flows: list[str] = field(default_factory=list)  # pagination: and poll: lines
    flow_problem: str = ""
    renamed: dict[tuple[str, ...], str] = field(default_factory=dict)  # resource -> why


def init(spec: Path, config: Path) -> str:
    """Write the drafted config to `config` (never over an existing file); returns a summary."""
    if config.exists() or config.is_symlink():
        raise SpecError(
            [
                Diagnostic(
                    Location(str(config), 1, 1),
                    "the config exists already: init never overwrites one",
                    "edit it, or pass --config with a new file name",
                )
            ]
        )
    document = load_yaml(spec, str(spec))
    reporter = Reporter()
    check_openapi_root(Spec(document), reporter)
    reporter.raise_if_any()
    draft = _draft(Spec(document), spec.name)
    text = _verified(draft, spec, config)
    config.parent.mkdir(parents=True, exist_ok=True)
    with open(config, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    left_out = sum(1 for m in draft.methods if m.left_out)
    kept = len(draft.methods) - left_out
    summary = f"{config}: drafted ({kept} methods, {left_out} left out; see its `# review:` lines)"
    if not kept:
        summary += "\nwarning: sdkforge cannot generate any operation of this document yet"
    return summary


def _draft(spec: Spec, spec_name: str) -> _Draft:
    data: dict[str, Any] = spec.document.data
    info = _mapping(data.get("info"))
    package = init_names.package_name(str(info.get("title") or "api"))
    env = package.upper()
    sync = init_names.client_name(package)
    headers = [f"sync: {sync}", f"async: Async{sync}"]
    headers += [*_auth_lines(data, env), f"base_url_env: {env}_BASE_URL"]
    if not server_url(spec, spec.document, Reporter()):
        headers.append(
            "default_base_url: https://api.example.com  "
            "# review: the document names no absolute server: write the API's URL"
        )
    return _Draft(spec_name, package, headers, _methods(data))


def _auth_lines(data: dict[str, Any], env: str) -> list[str]:
    schemes = _mapping(data.get("components")).get("securitySchemes")
    if not isinstance(schemes, dict) or not schemes:
        return []
    kinds = {name: init_guess.deref(data, body) for name, body in schemes.items()}
    said = ", ".join(f"{name} ({_scheme_kind(body)})" for name, body in kinds.items())
    lines = []
    if any(_scheme_kind(body) != "http basic" for body in kinds.values()):
        lines.append(f"api_key_env: {env}_API_KEY  # review: the key of {said}")
    if any(_scheme_kind(body) == "http basic" for body in kinds.values()):
        lines += [f"username_env: {env}_USERNAME", f"password_env: {env}_PASSWORD"]
    return lines


def _mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _scheme_kind(body: dict[str, Any]) -> str:
    kind = str(body.get("type", "?"))
    if kind == "http":
        return f"http {str(body.get('scheme', '')).lower()}"
    if kind == "apiKey":
        return f"apiKey in {body.get('in', '?')} {body.get('name', '')}".rstrip()
    return kind


def _methods(data: dict[str, Any]) -> list[_Method]:
    paths = _mapping(data.get("paths"))
    operations = []
    for path, item in paths.items():
        for verb, body in item.items() if isinstance(item, dict) else ():
            if verb in HTTP_METHODS and isinstance(body, dict):
                tags = tuple(str(t) for t in body.get("tags") or () if isinstance(t, str))
                operation_id = body.get("operationId")
                op_id = operation_id if isinstance(operation_id, str) else ""
                operations.append((Operation(verb, str(path), op_id, tags), body))
    placed = [(op, body, init_names.resource_path(op)) for op, body in operations]
    resources = {resource[:i] for _, _, resource in placed for i in range(1, len(resource) + 1)}
    taken: dict[tuple[str, ...], set[str]] = {}
    for resource in resources:
        if len(resource) > 1:
            taken.setdefault(resource[:-1], set()).add(resource[-1])
    methods = []
    for op, body, resource in placed:
        names = taken.setdefault(resource, set())
        name = _unique(init_names.method_candidates(op, resource), names)
        method = _Method(name, resource, op.verb, op.path, body)
        if not _URL_PATH.fullmatch(op.path):
            method.left_out = "its path holds characters sdk.yaml cannot name"
        methods.append(method)
    return methods


def _unique(candidates: list[str], taken: set[str]) -> str:
    for name in candidates:
        if name not in taken:
            taken.add(name)
            return name
    number = 2
    while f"{candidates[0]}_{number}" in taken:
        number += 1
    taken.add(f"{candidates[0]}_{number}")
    return f"{candidates[0]}_{number}"


def _verified(draft: _Draft, spec: Path, config: Path) -> str:
    """The draft's text once the build leaves nothing of it out: the methods it cannot
    build, then the guesses it refuses, commented out."""
    with tempfile.TemporaryDirectory(prefix="sdkforge-init-") as folder:
        trial = Path(folder) / config.name

        def problems(text: str) -> tuple[dict[str, str], str]:
            trial.write_text(text, encoding="utf-8")
            try:
                skipped = unsupported(Inputs(spec, trial))
            except SpecError as error:
                if _rename_clashing(draft, error.diagnostics, str(trial), text):
                    return {}, ""
                return {}, str(error.diagnostics[0]).replace(str(trial), config.name)
            return {s.method: _reason(s.reasons) for s in skipped}, "" if skipped else "done"

        for _ in range(_ROUNDS):
            skipped, failure = problems(_text(draft))
            for method in draft.methods:
                method.left_out = method.left_out or skipped.get(method.qualified, "")
            if failure == "done":
                break
            if all(m.left_out for m in draft.methods):
                break
            if failure:
                raise SpecError([_draft_error(config, failure)])
        kept = [m for m in draft.methods if not m.left_out]
        root = Spec(load_yaml(spec, str(spec))).document.data
        found = [init_guess.Drafted(m.qualified, m.verb, m.path, m.operation) for m in kept]
        for _ in range(_ROUNDS):
            # A method the guess makes unbuildable (its page items inline, say) is left out
            # of the guess, not of the draft.
            flows = init_guess.pagination(root, found) + init_guess.polls(root, found)
            if not flows:
                break
            skipped, failure = problems(_text(replace(draft, flows=flows, flow_problem="")))
            draft.flows, draft.flow_problem = flows, "" if failure == "done" else failure
            if failure:
                break
            if skipped:
                draft.flow_problem = next(f"{k}: {v}" for k, v in sorted(skipped.items()))
                found = [m for m in found if m.qualified not in skipped]
    return _text(draft)


def _rename_clashing(
    draft: _Draft, diagnostics: tuple[Diagnostic, ...], trial: str, text: str
) -> bool:
    """Rename each resource whose class an error says clashes (with a response model, say):
    the error is located at the resource's own line of the trial config."""
    named = [resource for _, resource in _lines(draft)]
    if len(named) != len(text.splitlines()):
        return False
    renamed = False
    for diagnostic in diagnostics:
        if diagnostic.location.file != trial or "class" not in diagnostic.message:
            continue
        old = named[diagnostic.location.line - 1]
        if not old or old in draft.renamed:
            continue
        new = (*old[:-1], f"{old[-1]}_api")
        for method in draft.methods:
            if method.resource[: len(old)] == old:
                method.resource = (*new, *method.resource[len(old) :])
        draft.renamed[new] = f"not {old[-1]}: {_one_line(diagnostic.message)}"
        renamed = True
    return renamed


def _draft_error(config: Path, failure: str) -> Diagnostic:
    return Diagnostic(
        Location(str(config), 1, 1),
        f"the drafted config does not generate: {failure}",
        "please report it; nothing was written",
    )


def _reason(reasons: tuple[Diagnostic, ...]) -> str:
    first = reasons[0]
    where = f"{Path(first.location.file).name}:{first.location.line}"
    more = f"; and {len(reasons) - 1} more" if len(reasons) > 1 else ""
    return f"{first.message} ({where}){more}"


def _scalar(text: str) -> str:
    if _PLAIN.fullmatch(text) and text.lower() not in _NOT_PLAIN and not text.endswith(" "):
        return text
    return json.dumps(text)


def _one_line(text: str) -> str:
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def _text(draft: _Draft) -> str:
    return "\n".join(line for line, _ in _lines(draft)) + "\n"


def _lines(draft: _Draft) -> list[tuple[str, tuple[str, ...]]]:
    """The draft's lines, each with the resource it opens (() for the others)."""
    lines = [
        f"# Drafted by `sdkforge init` from {_one_line(draft.spec_name)}. Read the lines marked",
        "# `# review:` (guesses), and the methods left out (commented out, each with the reason",
        "# sdkforge cannot generate it yet). Every key is described in sdkforge's README.",
        f"package: {draft.package}  # the Python package: `import {draft.package}`",
        "version: 0.1.0",
        "client:",
        *(f"  {line}" for line in draft.headers),
        "# Resources are the document's tags (else its first path segments), nested where",
        "# its paths nest; methods are its operationIds in snake_case (else verb and path).",
        "resources:",
    ]
    if all(m.left_out for m in draft.methods):
        lines.append(
            "# review: sdkforge cannot generate any of these operations yet (see each one)"
        )
    tail: list[str] = []
    if draft.flows and not draft.flow_problem:
        tail += draft.flows
    elif draft.flows:
        tail.append(f"# review: this guess does not build ({_one_line(draft.flow_problem)}):")
        tail += [f"# {line}" for line in draft.flows if not line.startswith("#")]
    resources = _resource_lines(draft.methods, (), "  ", draft.renamed)
    return [(line, ()) for line in lines] + resources + [(line, ()) for line in tail]


def _resource_lines(
    methods: list[_Method],
    parent: tuple[str, ...],
    indent: str,
    renamed: dict[tuple[str, ...], str],
) -> list[tuple[str, tuple[str, ...]]]:
    """The `resources:` entries under `parent`, in the document's order, each line with the
    resource it opens; a resource none of whose methods is in is written commented out, so
    that its reasons stay visible."""
    lines: list[tuple[str, tuple[str, ...]]] = []
    below = [m for m in methods if len(m.resource) > len(parent)]
    for child in dict.fromkeys(m.resource[len(parent)] for m in below):
        resource = (*parent, child)
        inside = [m for m in below if m.resource[: len(resource)] == resource]
        note = f"  # review: {renamed[resource]}" if resource in renamed else ""
        body = [(f"{indent}{child}:{note}", resource)]
        own = [m for m in inside if m.resource == resource]
        if own:
            body.append((f"{indent}  methods:", ()))
            for method in own:
                entry = f"{method.name}: {_scalar(f'{method.verb} {method.path}')}"
                if method.left_out:
                    entry = f"# {entry}  # left out: {_one_line(method.left_out)}"
                body.append((f"{indent}    {entry}", ()))
        nested = [m for m in inside if m.resource != resource]
        if nested:
            # Every nested one left out: an empty `resources:` would not read back.
            heading = f"{indent}  resources:"
            body.append((_comment(heading) if all(m.left_out for m in nested) else heading, ()))
            body += _resource_lines(inside, resource, f"{indent}    ", renamed)
        if all(m.left_out for m in inside):
            body = [(ln if ln.lstrip().startswith("#") else _comment(ln), r) for ln, r in body]
        lines += body
    return lines


def _comment(line: str) -> str:
    stripped = line.lstrip()
    return f"{line[: len(line) - len(stripped)]}# {stripped}"
