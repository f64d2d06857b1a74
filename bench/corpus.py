"""Where the generator stands on the real image-API documents of the shared corpus.

For each document `../shared/corpus/<name>.openapi.yaml` that has a config of ours in
`tests/corpus/<name>/sdk.yaml`, the generator runs twice, each time as
`python -m sdkforge generate --spec ... --config ... --out <temporary folder> --skip-unsupported
--force`:

- **ours**: our config, the one a user writes after reading the README (tests/corpus/README.md
  says how each was made and what it leaves out);
- **all**: a config naming every get/put/post/delete/patch operation of the document
  mechanically (bench/full_doc.py's `write_config`: the resource is the first path segment,
  the method the operationId in snake case), with our config's `default_base_url` for the
  documents that name no server.

With `--skip-unsupported` the generator leaves out each method whose operation uses what it
does not support yet, names it on stderr as `FILE:LINE:COL: skipped RESOURCE.METHOD: reason`
and generates the rest. The table has a row a run: operations configured, generated, skipped,
and the time taken; below it, for each run, every skip reason (its particulars left out) with
the number of methods it stops. A run that fails whole (exit 2: every method skipped, or bad
input) has no counts: its errors are printed instead, grouped the same way, then line by line.
With `--lint`, each generated package is also checked with `ruff check` (the package's own
settings) and `mypy --strict`, and their findings are counted by rule.

    .venv/bin/python bench/corpus.py                     # every document, both configs
    .venv/bin/python bench/corpus.py luma photoroom      # only these documents
    .venv/bin/python bench/corpus.py --configs ours --lint --keep /tmp/corpus-out

a1111 takes a few seconds, the others about one. Nothing is written into the repository: the
packages go to a temporary folder, or under `--keep DIR` to look at them afterwards.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import full_doc
from make_specs import dump, load
from report import seconds, table
from run import _reason_kind as reason_kind

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
CONFIGS = ROOT / "tests" / "corpus"
TIMEOUT = 600  # seconds for one generator run; a1111 needs a few
NAMED = 6  # skipped methods named under each reason, before "and N more"
ERROR = re.compile(r"^.+?:\d+:\d+: error: (?P<message>.*)$")
# `ruff check --output-format concise`: `FILE:LINE:COL: CODE message`; mypy: `... [code]`.
RUFF_FINDING = re.compile(r"^.+?:\d+:\d+: (?P<code>[A-Z]+[0-9]+) ")
MYPY_FINDING = re.compile(r"^.+?:\d+: error: .*\[(?P<code>[a-z-]+)\]$")


@dataclass(frozen=True)
class Document:
    name: str
    spec: Path
    config: Path  # ours


@dataclass
class Run:
    """One generator run on one document with one config."""

    document: str
    kind: str  # "ours" or "all": which config
    ops: list[dict[str, str]]
    package: str
    elapsed: float = 0.0  # seconds
    outcome: full_doc.Outcome | None = None  # None when the run failed whole
    errors: list[str] = field(default_factory=list)
    lint: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.document} ({self.kind})"


def documents(only: list[str]) -> list[Document]:
    """The corpus documents that have a config of ours, in name order."""
    found = []
    for config in sorted(CONFIGS.glob("*/sdk.yaml")):
        name = config.parent.name
        spec = CORPUS / f"{name}.openapi.yaml"
        if spec.is_file() and (not only or name in only):
            found.append(Document(name, spec, config))
    missing = sorted(set(only) - {d.name for d in found})
    if missing:
        raise SystemExit(f"corpus: no document with a config of ours named {', '.join(missing)}")
    return found


def configured_ops(config: dict[str, Any], parent: str = "") -> list[dict[str, str]]:
    """The methods a config names, nested resources' too (their resource is the dotted path
    from the client), in the shape full_doc.outcome reads."""
    ops = []
    for name, body in config["resources"].items():
        resource = f"{parent}{name}"
        for method, target in (body.get("methods") or {}).items():
            verb, path = target.split()
            ops.append({"resource": resource, "method": method, "verb": verb, "path": path})
        if body.get("resources"):
            ops += configured_ops(body, f"{resource}.")
    return ops


def every_operation_config(document: Document, folder: Path) -> tuple[Path, Run]:
    """A config naming every operation of the document, written into `folder`."""
    path = folder / "sdk.yaml"
    ops = full_doc.write_config(document.spec, path)
    base_url = load(document.config)["client"].get("default_base_url")
    config = load(path)
    if base_url:
        # Without it the generator refuses a document that names no server.
        config["client"]["default_base_url"] = base_url
        dump(config, path)
    return path, Run(document.name, "all", ops, config["package"])


def shown(path: Path) -> str:
    """`path` as the generator's messages should name it: relative to the repository when it
    is ours or the corpus's, so that the report reads the same on every machine."""
    if path.is_relative_to(ROOT.parent):
        return os.path.relpath(path, ROOT)
    return str(path)


def generate(run: Run, spec: Path, config: Path, out: Path) -> None:
    """Run the generator; fill in `run` from its exit code and stderr."""
    command = [sys.executable, "-m", "sdkforge", "generate", "--spec", shown(spec)]
    command += ["--config", shown(config), "--out", str(out), "--skip-unsupported", "--force"]
    start = time.perf_counter()
    try:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        run.errors = [f"the generator did not finish in {TIMEOUT} s"]
        return
    run.elapsed = time.perf_counter() - start
    if done.returncode == 0:
        run.outcome = full_doc.outcome(run.ops, done)
        return
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    run.errors = (
        [line for line in lines if ERROR.match(line)]
        or lines
        or [f"exit {done.returncode} and no output"]
    )


def lint(run: Run, out: Path) -> None:
    """Count what `ruff check` and `mypy --strict` find in the generated package, by rule."""
    checks = {
        "ruff": (
            [sys.executable, "-m", "ruff", "check", "--output-format", "concise", "."],
            RUFF_FINDING,
        ),
        "mypy": ([sys.executable, "-m", "mypy", "--strict", run.package], MYPY_FINDING),
    }
    for tool, (command, finding) in checks.items():
        done = subprocess.run(
            command, cwd=out, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
        found = Counter(
            match["code"]
            for line in (done.stdout + done.stderr).splitlines()
            if (match := finding.match(line.strip()))
        )
        if done.returncode != 0 and not found:
            found["did not run"] = 1  # a crash or a usage error, not findings
        run.lint[tool] = found


def counts(found: Counter[str]) -> str:
    if not found:
        return "clean"
    total = sum(found.values())
    return f"{total}: " + ", ".join(f"{code} {n}" for code, n in found.most_common())


def row(run: Run, with_lint: bool) -> list[str]:
    outcome = run.outcome
    cells = [run.label, str(len(run.ops))]
    if outcome is None:
        cells += ["0", "failed whole", seconds(run.elapsed) if run.elapsed else "-"]
    else:
        cells += [str(len(outcome.supported)), str(len(outcome.skipped)), seconds(run.elapsed)]
    if with_lint:
        cells += [counts(run.lint[tool]) if tool in run.lint else "-" for tool in ("ruff", "mypy")]
    return cells


def reasons(run: Run) -> list[str]:
    """The run's skip reasons with the number of methods each stops, or its errors."""
    if run.outcome is None:
        kinds = Counter(
            reason_kind(match["message"]) if (match := ERROR.match(line)) else line
            for line in run.errors
        )
        lines = [f"{run.label}: failed whole, {len(run.errors)} errors"]
        lines += [f"  {n:4}  {kind}" for kind, n in kinds.most_common()]
        return [*lines, "  errors:", *(f"    {line}" for line in run.errors)]
    # A method stopped by several reasons counts under each.
    stopped: dict[str, list[str]] = {}
    for op, why in run.outcome.skipped:
        for kind in dict.fromkeys(reason_kind(reason) for reason in why):
            stopped.setdefault(kind, []).append(f"{op['resource']}.{op['method']}")
    if not stopped:
        return [f"{run.label}: nothing skipped"]
    lines = [f"{run.label}: {len(run.outcome.skipped)} methods skipped, by reason"]
    for kind, methods in sorted(stopped.items(), key=lambda item: -len(item[1])):
        named = ", ".join(methods[:NAMED])
        more = f" and {len(methods) - NAMED} more" if len(methods) > NAMED else ""
        lines.append(f"  {len(methods):4}  {kind}: {named}{more}")
    unmatched = run.outcome.unmatched
    lines += [f"  `skipped` line naming no configured method: {line}" for line in unmatched]
    return lines


def measure_document(
    document: Document, which: list[str], work: Path, with_lint: bool
) -> list[Run]:
    runs = []
    for kind in which:
        folder = work / document.name / kind
        folder.mkdir(parents=True, exist_ok=True)
        if kind == "ours":
            ours = load(document.config)
            config = document.config
            run = Run(document.name, "ours", configured_ops(ours), ours["package"])
        else:
            config, run = every_operation_config(document, folder)
        out = folder / "out"
        generate(run, document.spec, config, out)
        if with_lint and run.outcome is not None:
            lint(run, out)
        print(f"  {run.label}: {' | '.join(row(run, with_lint)[1:])}", file=sys.stderr)
        runs.append(run)
    return runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="documents to run (default: every one)")
    parser.add_argument("--configs", choices=("ours", "all", "both"), default="both")
    parser.add_argument("--lint", action="store_true", help="ruff check and mypy --strict too")
    parser.add_argument("--keep", type=Path, help="generate under DIR and leave it there")
    args = parser.parse_args()
    which = ["ours", "all"] if args.configs == "both" else [args.configs]
    chosen = documents(args.names)
    with tempfile.TemporaryDirectory(prefix="sdkforge-corpus-") as scratch:
        work = args.keep.resolve() if args.keep else Path(scratch)
        runs = [run for doc in chosen for run in measure_document(doc, which, work, args.lint)]
    header = ["document (config)", "operations", "generated", "skipped", "time"]
    if args.lint:
        header += ["ruff check", "mypy --strict"]
    print(table(header, [row(run, args.lint) for run in runs]))
    for run in runs:
        print()
        print("\n".join(reasons(run)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
