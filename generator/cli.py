"""Command line: `sdkforge generate|check|diff|schema` (also `python -m sdkforge`).

Exit codes: 0 done (check: no drift), 1 check found drift (diff: a change `--fail-on`
names), 2 invalid input (or an environment that cannot hold the output: a full disk, a
read-only folder), 3 internal error, 130 interrupted.

An exception nobody expected is a bug in sdkforge, not in the user's input: it is reported in
one line with exit code 3 rather than as a traceback. `SDKFORGE_DEBUG=1` lets it propagate, to
get the traceback for a bug report. One raised by an override template (`--templates`) is the
user's, and is reported at the template's own line.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import sys
import tempfile
from pathlib import Path
from types import TracebackType

from . import __version__, cache
from .cli_output import (
    DEFAULT_CONFIG,
    DEFAULT_OUT,
    DEFAULT_SPEC,
    QUIET,
    Progress,
    add_verbosity,
    rerun,
)
from .diagnostics import Diagnostic, Location, SpecError
from .model_worker import ModelWorker
from .project_info import install_path

# The pipeline (Jinja, PyYAML, the model builder) is imported only when the cache cannot
# answer: an unchanged `check` in CI then costs little more than starting Python.

EXIT_OK, EXIT_DRIFT, EXIT_INVALID, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sdkforge",
        description="Generate a typed Python client package from an OpenAPI document.",
    )
    parser.add_argument("--version", action="version", version=f"sdkforge {__version__}")
    add_verbosity(parser, top_level=True)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, text in (
        ("generate", "write the client package into --out"),
        ("check", "exit 1 with a diff when --out differs from what the spec produces"),
        (
            "diff",
            "list the changes to the SDK's surface between --out and the spec, with the semver bump",
        ),
    ):
        command = commands.add_parser(name, help=text, description=text)
        add_verbosity(command, top_level=False)
        command.add_argument(
            "--spec",
            type=Path,
            default=DEFAULT_SPEC,
            help=f"OpenAPI document (default: {DEFAULT_SPEC})",
        )
        command.add_argument(
            "--config",
            type=Path,
            default=DEFAULT_CONFIG,
            help=f"generator config (default: {DEFAULT_CONFIG})",
        )
        command.add_argument(
            "--out",
            type=Path,
            default=DEFAULT_OUT,
            help=f"output directory (default: {DEFAULT_OUT}/)",
        )
        command.add_argument(
            "--templates",
            type=Path,
            default=None,
            help="folder of templates that override the built-in ones",
        )
        command.add_argument(
            "--skip-unsupported",
            action="store_true",
            help="leave out methods whose operations use what sdkforge does "
            "not support yet, listing each with its reasons, instead of failing",
        )
        command.add_argument(
            "--layout",
            choices=("project", "package"),
            default=None,
            help="project: the package with its pyproject, README and tests; package: the "
            "package's files only, to vendor it (default: the config's layout:, else project)",
        )
        if name == "check":
            command.add_argument(
                "--stat",
                action="store_true",
                help="print the changed, added and removed files with line counts, not the diff",
            )
        if name == "diff":
            _diff_arguments(command)
        if name == "generate":
            command.add_argument(
                "--force",
                action="store_true",
                help="generate into a directory that holds files sdkforge "
                "did not write (they are kept unless overwritten)",
            )
    schema_help = "print the JSON Schema of sdk.yaml, for editors that check and complete it"
    add_verbosity(
        commands.add_parser("schema", help=schema_help, description=schema_help), top_level=False
    )
    _init_parser(commands)
    return parser


def _init_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    text = "draft a config (sdk.yaml) from an OpenAPI document; never overwrites one"
    command = commands.add_parser("init", help=text, description=text)
    add_verbosity(command, top_level=False)
    command.add_argument("--spec", type=Path, required=True, help="OpenAPI document")
    command.add_argument(
        "--config",
        type=Path,
        default=None,
        help="where to write the config (default: sdk.yaml beside the document)",
    )


def _init(args: argparse.Namespace) -> int:
    from .init_config import init

    config = args.config or args.spec.with_name("sdk.yaml")
    summary = init(args.spec, config)
    if args.verbosity > QUIET:
        print(summary)
        print(f"next: sdkforge generate --spec {args.spec} --config {config} --out OUT")
    return EXIT_OK


def _diff_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--format", choices=("text", "json"), default="text", help="report format (default: text)"
    )
    command.add_argument(
        "--fail-on",
        choices=("never", "breaking", "any"),
        default="never",
        help="exit 1 when there are breaking changes, or any change (default: never)",
    )


# What a full or read-only disk, or a folder of someone else's, raises: the environment's
# problem, whichever stage meets it, not a bug.
_ENVIRONMENT_ERRORS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}
)
_NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})


def _write_error(out: Path, error: OSError) -> SpecError:
    reason = error.strerror or str(error)
    if error.filename:
        reason += f": {error.filename}"
    return _environment_error(
        str(out),
        f"cannot write the output: {reason}",
        error,
        (
            "free some space on that disk",
            "check that --out and its parent are writable directories",
        ),
    )


def _scratch_error(error: OSError) -> SpecError:
    """An environment error before the output is written: in the temporary folder, where
    the formatter works, unless the error names another file."""
    return _environment_error(
        str(error.filename or tempfile.gettempdir()),
        f"cannot write temporary files: {error.strerror or error}",
        error,
        (
            "free some space there, or set TMPDIR to a folder with room",
            "set TMPDIR to a folder you can write",
        ),
    )


def _environment_error(
    where: str, message: str, error: OSError, hints: tuple[str, str]
) -> SpecError:
    """`hints`: what to do about a full disk, and about any other environment error."""
    hint = hints[0] if error.errno in _NO_SPACE else hints[1]
    return SpecError([Diagnostic(Location(where, 1, 1), message, hint)])


def _template_error(error: BaseException, templates: Path | None) -> SpecError | None:
    """A located error when `error` was raised in an override template: Jinja's traceback
    shows template frames under the template's own file name and line."""
    if templates is None:
        return None
    folder = templates.resolve()
    found: tuple[str, int] | None = None
    trace: TracebackType | None = error.__traceback__
    while trace is not None:
        file = trace.tb_frame.f_code.co_filename
        if Path(file).resolve().is_relative_to(folder):
            found = (file, trace.tb_lineno)  # the innermost one wins
        trace = trace.tb_next
    if found is None:
        return None
    import jinja2

    detail = " ".join(str(error).split()) or "no detail"
    if isinstance(error, jinja2.TemplateError):
        message = f"template error: {detail}"
    else:
        message = f"template raised {type(error).__name__}: {detail}"
    return SpecError([Diagnostic(Location(found[0], found[1], 1), message, "fix the template")])


def _check_templates(templates: Path | None) -> None:
    """Every file an override folder can hand to Jinja must be UTF-8: Jinja's loader would
    fail on it with no place to show."""
    if templates is None or not templates.is_dir():
        return  # the pipeline refuses a --templates that is not a folder
    from .load import decode_utf8

    for path in sorted(templates.rglob("*")):
        if path.is_file() and (path.suffix == ".jinja" or path.suffix == ".py"):
            decode_utf8(path.read_bytes(), str(path))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "schema":
        from .package_data import config_schema_text

        sys.stdout.write(config_schema_text())
        return EXIT_OK
    try:
        if args.command == "init":
            return _init(args)
        with Progress(args.verbosity) as progress:
            with progress.stage("cache"):
                fingerprint = cache.input_fingerprint(
                    args.spec,
                    args.config,
                    args.templates,
                    f"skip_unsupported={args.skip_unsupported} "
                    f"install_path={install_path(args.out)} layout={args.layout}",
                )
                # `diff` reads the new surface from the generated files, even when they
                # are fresh.
                fresh = args.command != "diff" and cache.is_fresh(args.out, fingerprint)
            if fresh:
                progress.detail("inputs unchanged since the last generate: nothing to redo")
                progress.total()
                for name in cache.kept_files(args.out):
                    progress.result(f"kept (not regenerated): {name}")
                progress.result(
                    f"{args.out}: {'up to date' if args.command == 'check' else 'unchanged'}"
                )
                return EXIT_OK
            code = _run(args, fingerprint, progress)
            progress.total()
            return code
    except SpecError as error:
        return _invalid(error)
    except KeyboardInterrupt:
        return interrupted()
    except Exception as error:
        if isinstance(error, OSError) and error.errno in _ENVIRONMENT_ERRORS:
            return _invalid(_scratch_error(error))
        located = _template_error(error, getattr(args, "templates", None))
        if located is not None:
            return _invalid(located)
        if os.environ.get("SDKFORGE_DEBUG") == "1":
            raise
        detail = " ".join(str(error).split()) or "no detail"
        print(
            f"error: internal error: {type(error).__name__}: {detail}; please report "
            f"(run `SDKFORGE_DEBUG=1 {rerun(args, args.command)}` for the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _invalid(error: SpecError) -> int:
    for diagnostic in error.diagnostics:
        print(diagnostic, file=sys.stderr)
    return EXIT_INVALID


def interrupted() -> int:
    print("interrupted; the output directory was left as it was", file=sys.stderr)
    return EXIT_INTERRUPTED


def _run(args: argparse.Namespace, fingerprint: str | None, progress: Progress) -> int:
    _check_templates(args.templates)
    # Started before the rest of the generator is imported (see model_worker); stopped when
    # the models are made, or when the model cache had them and it was not needed.
    with ModelWorker.start() or contextlib.nullcontext() as worker:
        progress.show()
        from .pipeline import Inputs, run

        inputs = Inputs(
            args.spec,
            args.config,
            args.templates,
            args.skip_unsupported,
            out=args.out,
            layout=args.layout,
        )
        model_cache = cache.ModelCache(args.out)
        output = run(inputs, model_cache, worker, progress.stage)
    from .keep import apply_keep
    from .write import compare, write_tree

    for method in output.skipped:
        for reason in method.reasons:
            progress.note(f"{reason.location}: skipped {method.method}: {reason.message}")
    for note in output.notes:
        progress.note(f"{note.location}: note: {note.message} ({note.hint})")
    if args.command == "diff":
        from .surface_report import diff_command

        return diff_command(args, output.files)
    files, kept = apply_keep(output.files, output.keep, args.out)
    for warning in kept.warnings():
        progress.note(warning)
    for line in kept.report().splitlines():
        progress.result(line)
    if args.command == "check":
        from .surface_report import stat_report, surface_summary

        with progress.stage("compare"):
            drift = compare(files, args.out, kept.paths)
        if drift.clean:
            progress.result(f"{args.out}: up to date")
            return EXIT_OK
        if progress.verbosity > QUIET:
            sys.stdout.write(stat_report(files, args.out, drift) if args.stat else drift.report())
            sys.stdout.write(surface_summary(files, args.out))
        progress.error(f"{args.out} has drifted from {args.spec}: run `{rerun(args, 'generate')}`")
        return EXIT_DRIFT
    try:
        with progress.stage("write"):
            changed = write_tree(
                files,
                args.out,
                force=args.force,
                force_command=rerun(args, "generate", "--force"),
                keep=kept.paths,
            )
    except OSError as error:
        # Permissions, a full disk, a file where a directory must go: a problem of the
        # environment, not a bug; the previous output is still in place.
        raise _write_error(args.out, error) from None
    # A kept file is the team's to edit: its hash would only make the next run a full one.
    ours = {name: text for name, text in files.items() if name not in kept.paths}
    cache.save_state(args.out, fingerprint, ours, (*kept.on_disk, *kept.started))
    model_cache.flush()
    progress.result(f"{args.out}: {'written' if changed else 'unchanged'} ({len(files)} files)")
    return EXIT_OK
