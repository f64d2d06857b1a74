"""Benchmarks of sdkforge against its peers: `.venv/bin/python bench/run.py [--quick]`.

Prints the tables and writes them, with the machine they ran on, to bench/RESULTS.md.
What is measured and how: bench/README.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import full_doc
import make_specs
import report
from measure import (
    ROOT,
    VENV_BIN,
    Command,
    Series,
    environment,
    machine,
    measure,
    run_once,
)
from report import Verdict, micros, seconds, table, times, verdict

BENCH = ROOT / "bench"
WORK = BENCH / ".work"
SPEC = ROOT / "spec" / "openapi.yaml"
CONFIG = ROOT / "spec" / "sdk.yaml"
FULL_DOC = ROOT.parent / "shared" / "corpus" / "openai-full.openapi.yaml"
PY = sys.executable
OPC = str(VENV_BIN / "openapi-python-client")
DMC = str(VENV_BIN / "datamodel-codegen")
SIZES = (10, 100, 1000)
BIG = 1000  # from this many operations on, rows use the --big-repeats count


@dataclass(frozen=True)
class Settings:
    repeats: int
    big_repeats: int
    import_repeats: int
    iterations: int
    batches: int
    profile: bool
    timeout: float
    import_python: str = PY


@dataclass
class Section:
    title: str
    intro: str = ""
    blocks: list[str] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)
    profiles: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        parts = [f"## {self.title}", self.intro, *self.blocks]
        if self.verdicts:
            parts += ["Targets:", report.verdict_table(self.verdicts)]
        parts += self.profiles + self.details
        return "\n\n".join(part for part in parts if part)


def say(text: str) -> None:
    print(text, flush=True)


def _reset(path: Path) -> Callable[[], None]:
    def reset() -> None:
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)

    return reset


def _remover(path: Path) -> Callable[[], None]:
    return lambda: shutil.rmtree(path, ignore_errors=True)


def ours(command: str, spec: Path, config: Path, out: Path) -> list[str]:
    return [
        PY,
        "-m",
        "sdkforge",
        command,
        "--spec",
        str(spec),
        "--config",
        str(config),
        "--out",
        str(out),
    ]


def peers(spec: Path, work: Path) -> dict[str, Command]:
    """The two peers generating from `spec` into folders under `work`."""
    return {
        "openapi-python-client": Command(
            [
                OPC,
                "generate",
                "--path",
                str(spec),
                "--output-path",
                str(work / "opc"),
                "--overwrite",
            ],
            setup=_reset(work / "opc"),
        ),
        "datamodel-codegen": Command(
            [
                DMC,
                "--input",
                str(spec),
                "--input-file-type",
                "openapi",
                "--output-model-type",
                "pydantic_v2.BaseModel",
                "--output",
                str(work / "dmc" / "models.py"),
            ],
            setup=_reset(work / "dmc"),
        ),
    }


def _runs(series: Series) -> str:
    return str(len(series.runs))


# -- 1. generation --------------------------------------------------------------------------


def generate_client(settings: Settings) -> tuple[Path, str]:
    """Generate the image SDK once, untimed: the tree `check` compares with, and the client
    that section 3 measures. Returns its folder and, when generation failed, why."""
    work = WORK / "gen"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    pristine = work / "pristine"
    first = run_once(
        ours("generate", SPEC, CONFIG, pristine),
        cwd=ROOT,
        env=environment(),
        timeout=settings.timeout,
    )
    if first is None:
        return pristine, "timed out"
    if first.returncode != 0:
        return pristine, f"exit {first.returncode}: " + (first.stderr or first.stdout).strip()[
            -300:
        ]
    return pristine, ""


def generation(settings: Settings, pristine: Path, failed: str) -> Section:
    say("\n# 1. Generation of the image SDK (spec/openapi.yaml)")
    work = WORK / "gen"
    changed_spec = WORK / "specs" / "changed" / "openapi.yaml"

    def copy_pristine() -> None:
        shutil.rmtree(work / "regen", ignore_errors=True)
        shutil.copytree(pristine, work / "regen")

    commands = {
        "sdkforge generate": Command(
            ours("generate", SPEC, CONFIG, work / "ours"),
            setup=lambda: shutil.rmtree(work / "ours", True),
        ),
        **peers(SPEC, work),
        "sdkforge check": Command(ours("check", SPEC, CONFIG, pristine)),
        "sdkforge regenerate": Command(
            ours("generate", changed_spec, CONFIG, work / "regen"), setup=copy_pristine
        ),
    }
    if failed:
        say(f"  sdkforge cannot generate the image SDK: {failed}")
        del commands["sdkforge check"], commands["sdkforge regenerate"]
    series = measure(commands, settings.repeats, timeout=settings.timeout, progress=say)
    regen = series.get("sdkforge regenerate")
    if regen is not None and regen.ok and any("unchanged" in r.stdout for r in regen.runs):
        regen.discard("the changed description left the output unchanged")

    gen, opc, dmc = (
        series[k] for k in ("sdkforge generate", "openapi-python-client", "datamodel-codegen")
    )
    rows = []
    for label, key in (
        ("generate, cold", "sdkforge generate"),
        ("check, nothing changed", "sdkforge check"),
        ("regenerate after one description changed", "sdkforge regenerate"),
    ):
        mine = series.get(key)
        rows.append(
            [
                label,
                report.time_of(mine),
                report.memory_of(mine),
                report.time_of(opc),
                report.ratio_of(mine, opc),
                report.time_of(dmc),
                report.ratio_of(mine, dmc),
                _runs(mine) if mine else "-",
            ]
        )
    section = Section(
        "1. Generation of the image SDK",
        "Whole process, each run a new process (`sdkforge ...`, the peers' own "
        "commands), on `spec/openapi.yaml`. Ratios are sdkforge / peer (below 1: we are "
        "faster); each peer figure is the peer's *generation* from the same run. "
        f"The changed description: {CHANGED_WHERE[0]}.",
    )
    section.blocks.append(
        table(
            [
                "sdkforge",
                "time",
                "peak memory",
                "openapi-python-client",
                "ratio",
                "datamodel-codegen",
                "ratio",
                "runs",
            ],
            rows,
        )
    )
    faster = min((s.seconds for s in (opc, dmc) if s.ok), default=None)
    section.verdicts.append(
        verdict(
            "cold generation no slower than either peer (limit: the faster peer)",
            gen.seconds if gen.ok else None,
            faster,
            why_not=gen.failure(),
        )
    )
    check = series.get("sdkforge check")
    section.verdicts.append(
        verdict(
            "`check` with nothing changed at most 1/5 of the faster peer's generation",
            check.seconds if check is not None and check.ok else None,
            faster / 5 if faster else None,
            why_not=check.failure() if check is not None else "sdkforge cannot generate the spec",
        )
    )
    if settings.profile:
        if gen.ok:  # always: the margin is thin either way
            section.profiles.append(
                profile_generator(
                    "generate, cold",
                    ours("generate", SPEC, CONFIG, work / "profiled"),
                    setup=lambda: shutil.rmtree(work / "profiled", True),
                )
            )
            shutil.rmtree(work / "profiled", ignore_errors=True)
        if section.verdicts[1].met is False:
            section.profiles.append(
                profile_generator("check, nothing changed", ours("check", SPEC, CONFIG, pristine))
            )
    return section


# -- 2. scale -------------------------------------------------------------------------------


def scale(settings: Settings, sizes: tuple[int, ...], full: bool) -> Section:
    say("\n# 2. Scale")
    section = Section(
        "2. Scale",
        "Specs with N image-like operations (bench/make_specs.py: copies of the three image "
        "endpoints under their own paths, each copy with its own copies of the schemas, N "
        "methods over ceil(N/3) resources). Time and peak memory (the largest process, "
        "ruff included) of one cold run; growth is the factor over the previous size.",
    )
    rows: list[list[str]] = []
    previous: dict[str, Series] = {}
    by_size: dict[int, dict[str, Series]] = {}
    names = ("sdkforge", "openapi-python-client", "datamodel-codegen")
    for n in sizes:
        folder = WORK / "specs" / f"ops{n}"
        out = WORK / "scale" / f"ops{n}"
        say(f"  -- {n} operations")
        commands = {
            "sdkforge": Command(
                ours("generate", folder / "openapi.yaml", folder / "sdk.yaml", out / "ours"),
                setup=_remover(out / "ours"),
            ),
            **peers(folder / "openapi.yaml", out),
        }
        series = measure(
            commands,
            settings.big_repeats if n >= BIG else settings.repeats,
            warmup=False,
            timeout=settings.timeout,
            progress=say,
        )
        by_size[n] = series
        size_mb = (folder / "openapi.yaml").stat().st_size / 1e6
        row = [f"{n} ({size_mb:.1f} MB)"]
        for name in names:
            current, before = series[name], previous.get(name)
            growth = (
                f"x{current.seconds / before.seconds:.1f}"
                if before is not None and before.ok and current.ok
                else ""
            )
            row += [
                report.time_of(current) + (f" {growth}" if growth else ""),
                report.memory_of(current),
            ]
        row += [
            report.ratio_of(series["sdkforge"], series["openapi-python-client"]),
            report.ratio_of(series["sdkforge"], series["datamodel-codegen"]),
            "/".join(_runs(series[name]) for name in names),
        ]
        rows.append(row)
        previous = series
        shutil.rmtree(out, ignore_errors=True)  # 1,000 operations make thousands of files
    header = [
        "operations (spec size)",
        "sdkforge",
        "memory",
        "openapi-python-client",
        "memory",
        "datamodel-codegen",
        "memory",
        "ratio to opc",
        "ratio to dmc",
        "runs",
    ]
    section.blocks.append(table(header, rows))
    if 100 in by_size and BIG in by_size:
        small, big = by_size[100]["sdkforge"], by_size[BIG]["sdkforge"]
        ok = small.ok and big.ok
        section.verdicts.append(
            verdict(
                "1,000 operations take at most 11 times what 100 take",
                big.seconds / small.seconds if ok else None,
                11.0 if ok else None,
                times,
                why_not=small.failure() or big.failure(),
            )
        )
        if settings.profile and section.verdicts[-1].met is False:
            folder = WORK / "specs" / f"ops{BIG}"
            section.profiles.append(
                profile_generator(
                    f"generate, {BIG} operations",
                    ours(
                        "generate",
                        folder / "openapi.yaml",
                        folder / "sdk.yaml",
                        WORK / "scale" / "profiled",
                    ),
                    setup=lambda: shutil.rmtree(WORK / "scale" / "profiled", True),
                )
            )
            shutil.rmtree(WORK / "scale" / "profiled", ignore_errors=True)
    if full:
        full_document(settings, section)
        full_document_speed(settings, section)
    return section


def full_document(settings: Settings, section: Section) -> None:
    if not FULL_DOC.is_file():
        section.blocks.append(f"The full OpenAI document ({FULL_DOC}) is not present: skipped.")
        return
    say(
        f"  -- the full OpenAI document ({FULL_DOC.name}), every operation named, "
        "sdkforge with --skip-unsupported"
    )
    work = WORK / "full"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    config = work / "sdk.yaml"
    ops = full_doc.write_config(FULL_DOC, config)
    commands = {
        "sdkforge": Command(
            [*ours("generate", FULL_DOC, config, work / "out"), "--skip-unsupported"],
            setup=lambda: shutil.rmtree(work / "out", True),
        ),
        **peers(FULL_DOC, work),
    }
    series = measure(
        commands, settings.big_repeats, warmup=False, timeout=settings.timeout, progress=say
    )
    ours_series = series["sdkforge"]
    first = ours_series.runs[0] if ours_series.runs else None
    outcome = full_doc.outcome(ops, first)
    if outcome.error:
        say(f"  sdkforge on the full document: {outcome.error}")
    else:
        say(
            f"  sdkforge on the full document: {len(outcome.supported)} operations generated, "
            f"{len(outcome.skipped)} skipped"
        )
    opc = series["openapi-python-client"]
    opc_skipped = sum(
        r.stderr.count("Endpoint will not be generated")
        + r.stdout.count("Endpoint will not be generated")
        for r in opc.runs[:1]
    )
    opc_note = (
        f" (its warnings: {opc_skipped} endpoints not generated)" if opc.ok and opc_skipped else ""
    )
    what = (
        f"failed: {outcome.error}"
        if outcome.error
        else f"{len(outcome.supported)} generated, {len(outcome.skipped)} skipped"
    )
    rows = [
        [
            f"all {len(ops)} operations named ({what})",
            report.time_of(ours_series),
            report.memory_of(ours_series),
            report.time_of(opc) + opc_note + f", {report.memory_of(opc)}",
            report.time_of(series["datamodel-codegen"])
            + f", {report.memory_of(series['datamodel-codegen'])}",
        ]
    ]
    section.blocks.append(
        f"The full OpenAI document ({FULL_DOC.stat().st_size / 1e6:.1f} MB, {len(ops)} "
        "operations). sdkforge gets a config naming every operation and runs once with "
        "`--skip-unsupported`: it leaves out the methods whose operations use something "
        "unsupported, names each on stderr with the reason, and generates the rest; that run "
        "is the time below (bench/full_doc.py reads the skipped methods back). The peers get "
        "the whole document and skip what they cannot do themselves."
    )
    section.blocks.append(
        table(
            [
                "full OpenAI document",
                "sdkforge",
                "memory",
                "openapi-python-client",
                "datamodel-codegen",
            ],
            rows,
        )
    )
    if outcome.unmatched:
        section.blocks.append(
            f"{len(outcome.unmatched)} `skipped` lines name no configured method:\n\n"
            + "\n".join(f"    {line}" for line in outcome.unmatched[:10])
        )
    if outcome.skipped:
        reasons = Counter(
            kind
            for _, why in outcome.skipped
            for kind in dict.fromkeys(_reason_kind(reason) for reason in why)
        )
        several = sum(
            1 for _, why in outcome.skipped if len({_reason_kind(reason) for reason in why}) > 1
        )
        note = f" ({several} skipped for more than one reason count under each)" if several else ""
        section.blocks.append(
            f"Skipped: {len(outcome.skipped)} operations, by reason{note}:\n\n"
            + table(["reason", "operations"], [[r, str(c)] for r, c in reasons.most_common()])
        )
        lines = [
            f"- `{op['resource']}.{op['method']}` ({op['verb'].upper()} {op['path']}): "
            + "; ".join(why)
            for op, why in outcome.skipped
        ]
        section.details.append(
            "<details><summary>Every skipped operation, by name and "
            "reason</summary>\n\n" + "\n".join(lines) + "\n\n</details>"
        )
    if outcome.supported:
        names = ", ".join(f"`{op['resource']}.{op['method']}`" for op in outcome.supported)
        section.details.append(f"Supported: {names}.")


EXAMPLE_CONFIG = ROOT / "examples" / "openai" / "sdk.yaml"


def full_document_speed(settings: Settings, section: Section) -> None:
    """The speed targets at the size of the whole OpenAI document: cold generation against
    openapi-python-client on the same document (time and peak memory), regenerating after
    one response schema changed against the cold run, and importing the generated package
    against `import openai`; every figure from this one run."""
    if not FULL_DOC.is_file():
        return
    work = WORK / "full-speed"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    if EXAMPLE_CONFIG.is_file():
        config, which = EXAMPLE_CONFIG, f"`{EXAMPLE_CONFIG.relative_to(ROOT)}`"
    else:
        config, which = work / "sdk.yaml", "the config naming every operation (bench/full_doc.py)"
        full_doc.write_config(FULL_DOC, config)
    say(f"  -- speed on the full OpenAI document, config: {which}")
    pristine = work / "pristine"
    first = run_once(
        [*ours("generate", FULL_DOC, config, pristine), "--skip-unsupported"],
        cwd=ROOT,
        env=environment(),
        timeout=settings.timeout,
    )
    if first is None or first.returncode != 0:
        why = "timed out" if first is None else (first.stderr or first.stdout).strip()[-300:]
        section.blocks.append(f"Speed on the full OpenAI document not measured: {why}")
        return
    skipped = sorted(set(re.findall(r": skipped (\S+?):", first.stderr)))
    changed = work / "changed" / FULL_DOC.name
    changed.parent.mkdir()
    schema = full_doc.change_one_response_schema(FULL_DOC, changed, skipped)

    def copy_pristine() -> None:
        shutil.rmtree(work / "regen", ignore_errors=True)
        shutil.copytree(pristine, work / "regen")

    commands = {
        "sdkforge generate, cold": Command(
            [*ours("generate", FULL_DOC, config, work / "cold"), "--skip-unsupported"],
            setup=_remover(work / "cold"),
        ),
        "sdkforge regenerate": Command(
            [*ours("generate", changed, config, work / "regen"), "--skip-unsupported"],
            setup=copy_pristine,
        ),
        "openapi-python-client": peers(FULL_DOC, work)["openapi-python-client"],
    }
    series = measure(
        commands, settings.big_repeats, warmup=False, timeout=settings.timeout, progress=say
    )
    cold, regen, opc = (series[name] for name in commands)
    if regen.ok and any("unchanged" in r.stdout for r in regen.runs):
        regen.discard(f"the edited description of {schema} left the output unchanged")
    package = next((p.parent.name for p in sorted(pristine.glob("*/__init__.py"))), "openai_full")
    compile_bytecode(pristine)
    imports = measure(
        {
            f"import {package}": Command(
                [settings.import_python, "-c", f"import {package}"],
                cwd=WORK,
                env={"PYTHONPATH": str(pristine)},
            ),
            "import openai": Command([settings.import_python, "-c", "import openai"], cwd=WORK),
        },
        settings.import_repeats,
        timeout=120,
        progress=say,
    )
    mine, theirs = imports[f"import {package}"], imports["import openai"]
    rows = [
        [
            "generate, cold",
            report.time_of(cold),
            report.memory_of(cold),
            report.time_of(opc),
            report.memory_of(opc),
            report.ratio_of(cold, opc),
            _runs(cold),
        ],
        [
            f"regenerate after {schema}'s description changed",
            report.time_of(regen),
            report.memory_of(regen),
            "-",
            "-",
            report.ratio_of(regen, cold) + " of cold",
            _runs(regen),
        ],
        [
            f"`import {package}` / `import openai`",
            report.time_of(mine),
            report.memory_of(mine),
            report.time_of(theirs),
            report.memory_of(theirs),
            report.ratio_of(mine, theirs),
            _runs(mine),
        ],
    ]
    section.blocks.append(
        f"Speed on the full OpenAI document, config: {which}, `--skip-unsupported` "
        f"({len(skipped)} methods skipped). The regeneration edits the description of "
        f"`{schema}` (the first response schema of a generated method with a one-line "
        "description) and generates over the cold run's output, cache included; the import "
        "is of the cold run's package, bytecode compiled.\n\n"
        + table(
            ["full OpenAI document", "sdkforge", "memory", "peer", "memory", "ratio", "runs"],
            rows,
        )
    )
    ok = cold.ok and opc.ok
    section.verdicts += [
        verdict(
            "full document: cold generation at most 1/2 of openapi-python-client's",
            cold.seconds if ok else None,
            opc.seconds / 2 if ok else None,
            why_not=cold.failure() or opc.failure(),
        ),
        verdict(
            "full document: cold generation's peak memory no more than openapi-python-client's",
            cold.peak_mb if ok else None,
            opc.peak_mb if ok else None,
            report.megabytes,
            why_not=cold.failure() or opc.failure(),
        ),
        verdict(
            "full document: regenerating after one response schema changed at most 1/4 of cold",
            regen.seconds if regen.ok and cold.ok else None,
            cold.seconds / 4 if cold.ok else None,
            why_not=regen.failure() or cold.failure(),
        ),
        verdict(
            f"full document: `import {package}` at most 1/3 of `import openai`",
            mine.seconds if mine.ok and theirs.ok else None,
            theirs.seconds / 3 if theirs.ok else None,
            why_not=mine.failure() or theirs.failure(),
        ),
    ]
    if settings.profile and section.verdicts[-2].met is False:
        section.profiles.append(
            profile_generator(
                "regenerate the full document after one response schema changed",
                [*ours("generate", changed, config, work / "regen"), "--skip-unsupported"],
                setup=copy_pristine,
            )
        )
    shutil.rmtree(work / "cold", ignore_errors=True)
    shutil.rmtree(work / "regen", ignore_errors=True)


def _reason_kind(reason: str) -> str:
    """A reason without its particulars, for counting."""
    text = re.sub(r" \[[^\]]*\]$", "", reason)
    text = re.sub(r"\b(GET|PUT|POST|DELETE|PATCH) /\S*", r"\1 …", text)
    text = re.sub(r" \([^()]*\)$", "", text)
    return re.sub(r"'[^']*'", "'…'", text)


# -- 3. the generated client ----------------------------------------------------------------


def client(settings: Settings, pristine: Path, failed: str) -> Section:
    say("\n# 3. The generated client")
    section = Section(
        "3. The generated client",
        "`imagesdk` as generated now from spec/openapi.yaml, against the OpenAI SDK. "
        "openai runs on httpx2 (its own fork of httpx), so its floors are taken with httpx2 "
        "and ours with httpx.",
    )
    if failed:
        section.blocks.append(f"Not measured: sdkforge cannot generate the image SDK: {failed}")
        return section
    client_dir = WORK / "client"
    shutil.rmtree(client_dir, ignore_errors=True)
    shutil.copytree(pristine, client_dir)
    compile_bytecode(client_dir)
    env = {"PYTHONPATH": str(client_dir)}
    python = settings.import_python
    commands = {
        "python -c pass": Command([python, "-c", "pass"], cwd=WORK),
        "import httpx": Command([python, "-c", "import httpx"], cwd=WORK),
        "import httpx, pydantic": Command([python, "-c", "import httpx, pydantic"], cwd=WORK),
        "import httpx2, pydantic": Command([python, "-c", "import httpx2, pydantic"], cwd=WORK),
        "import imagesdk": Command([python, "-c", "import imagesdk"], cwd=WORK, env=env),
        "import openai": Command([python, "-c", "import openai"], cwd=WORK),
    }
    series = measure(commands, settings.import_repeats, timeout=120, progress=say)
    openai_s = series["import openai"]
    rows = [
        [name, report.time_of(s), report.ratio_of(s, openai_s), report.memory_of(s), _runs(s)]
        for name, s in series.items()
    ]
    where = "this environment" if python == PY else f"`{python}`"
    section.blocks.append(
        'Import: wall time of `python -c "import ..."`, bytecode already '
        f"compiled (a warm-up run first), in {where}. {HTTPX_CLI_NOTE}\n\n"
        + table(["command", "time", "ratio to import openai", "peak memory", "runs"], rows)
    )
    mine = series["import imagesdk"]
    floor = series["import httpx"]
    section.verdicts.append(
        verdict(
            "`import imagesdk` at most 1/3 of `import openai`",
            mine.seconds if mine.ok else None,
            openai_s.seconds / 3 if openai_s.ok else None,
            why_not=mine.failure() or openai_s.failure(),
        )
    )
    if mine.ok and floor.ok:
        section.blocks.append(
            f"`import imagesdk` costs {seconds(mine.seconds - floor.seconds)} above "
            "`import httpx` (it imports pydantic only when it first parses a response, so it "
            "can come in under `import httpx, pydantic`); `import openai` costs "
            f"{seconds(openai_s.seconds - series['import httpx2, pydantic'].seconds)} above "
            "its floor (`import httpx2, pydantic`)."
        )
    importtime = import_profile(python, client_dir)
    if importtime:
        section.profiles.append(importtime)

    say("  -- per call")
    percall = run_once(
        [
            PY,
            str(BENCH / "percall.py"),
            "--client-dir",
            str(client_dir),
            "--iterations",
            str(settings.iterations),
            "--batches",
            str(settings.batches),
        ],
        cwd=WORK,
        env=environment(),
        timeout=max(settings.timeout, 1800),
    )
    if percall is None or percall.returncode != 0:
        why = "timed out" if percall is None else (percall.stderr.strip()[-500:] or "no output")
        section.blocks.append(f"Per call: not measured: {why}")
        return section
    data = json.loads(percall.stdout)
    results = data["results"]

    def median(contender: str, call: str) -> float | None:
        entry = results.get(contender, {})
        return statistics.median(entry[call]["ns"]) if call in entry else None

    def show(contender: str, call: str) -> str:
        value = median(contender, call)
        if value is None:
            return f"failed ({results.get(contender, {}).get('error', 'no figure')})"
        return micros(value)

    rows = []
    for call, label in (
        ("generate", "generate"),
        ("edit", "edit with a file"),
        ("stream", f"iterate a {data['events']}-event stream"),
    ):
        above_ours = _difference(median("imagesdk", call), median("floor_httpx", call))
        above_theirs = _difference(median("openai", call), median("floor_httpx2", call))
        rows.append(
            [
                label,
                show("floor_httpx", call),
                show("imagesdk", call),
                report.above_floor(above_ours),
                show("floor_httpx2", call),
                show("openai", call),
                report.above_floor(above_theirs),
                f"{above_ours / above_theirs:.2f}"
                if above_ours is not None and above_theirs
                else "-",
            ]
        )
        section.verdicts.append(
            verdict(
                f"per call, {label}: our time above the floor at most 1/5 of theirs",
                above_ours,
                above_theirs / 5 if above_theirs is not None else None,
                micros,
                why_not=str(results.get("imagesdk", {}).get("error", "")),
            )
        )
    section.blocks.append(
        f"Per call: median over {data['batches']} batches of {data['iterations']} calls (after "
        f"{data['warmup']} warm-up calls), in one process, interleaved; an in-process mock "
        "transport answers with a canned ImagesResponse or a canned event stream; every call "
        "reads a field of the parsed result. The floor is a bare post with the same transport "
        "and a `json.loads` of the body (for the stream: the body split at blank lines and a "
        "`json.loads` of each `data:` line). A figure under the floor means imagesdk's call "
        "costs less than httpx's convenience `post()`: it builds the request itself (URLs "
        "cached per path, its own JSON and multipart encoding).\n\n"
        + table(
            [
                "call",
                "floor (httpx)",
                "imagesdk",
                "above floor",
                "floor (httpx2)",
                "openai",
                "above floor",
                "ratio of the above-floor times",
            ],
            rows,
        )
    )
    if settings.profile and any(v.met is False for v in section.verdicts[1:]):
        section.profiles.append(profile_calls(client_dir))
    return section


def _difference(value: float | None, floor: float | None) -> float | None:
    return value - floor if value is not None and floor is not None else None


def compile_bytecode(folder: Path) -> None:
    subprocess.run(
        [PY, "-m", "compileall", "-q", str(folder)],
        check=False,
        env=environment(),
        capture_output=True,
    )


def import_profile(python: str, client_dir: Path) -> str:
    """`python -X importtime -c "import imagesdk"`: the modules that cost the most."""
    result = subprocess.run(
        [python, "-X", "importtime", "-c", "import imagesdk"],
        cwd=WORK,
        env=environment({"PYTHONPATH": str(client_dir)}),
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            rows.append((int(match[1]), int(match[2]), (len(match[3]) - 1) // 2, match[4]))
    if not rows:
        return ""
    top_self = sorted(rows, reverse=True)[:10]
    # `-X importtime` lists children before their parent: the imports done while importing
    # imagesdk are the rows above it that are nested deeper.
    start = next((i for i, r in enumerate(rows) if r[3] == "imagesdk" and r[2] == 0), None)
    inside = []
    if start is not None:
        for row in reversed(rows[:start]):
            if row[2] == 0:
                break
            inside.append(row)
    tree = sorted((r for r in inside if r[2] <= 3 and r[1] >= 1000), key=lambda r: -r[1])[:15]
    return (
        "<details><summary>Where `import imagesdk` spends its time "
        "(`python -X importtime`, one run)</summary>\n\n"
        + table(
            ["module (by own time)", "self", "cumulative"],
            [[m, f"{s / 1000:.1f} ms", f"{c / 1000:.1f} ms"] for s, c, _, m in top_self],
        )
        + "\n\n"
        + table(
            ["imported under imagesdk (depth <= 3, by cumulative time)", "depth", "cumulative"],
            [[m, str(level), f"{c / 1000:.1f} ms"] for _, c, level, m in tree],
        )
        + "\n\n</details>"
    )


def profile_calls(client_dir: Path) -> str:
    result = subprocess.run(
        [
            PY,
            str(BENCH / "percall.py"),
            "--client-dir",
            str(client_dir),
            "--iterations",
            "500",
            "--warmup",
            "50",
            "--profile",
            "imagesdk",
        ],
        cwd=WORK,
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    text = result.stdout if result.returncode == 0 else result.stderr
    return (
        "<details><summary>cProfile of imagesdk's calls (500 calls each, by own time)"
        "</summary>\n\n```\n" + _trim_pstats(text) + "\n```\n\n</details>"
    )


def profile_generator(label: str, argv: list[str], setup: Callable[[], None] | None = None) -> str:
    """cProfile of one run of the generator: its own functions by cumulative time, and the
    functions with the most own time anywhere."""
    say(f"  profiling: {label}")
    if setup is not None:
        setup()
    stats = WORK / "profile.pstats"
    command = [PY, "-m", "cProfile", "-o", str(stats), *argv[1:]]
    result = subprocess.run(
        command, cwd=ROOT, env=environment(), capture_output=True, text=True, check=False
    )
    if not stats.exists():
        return f"Profile of {label}: failed ({result.stderr.strip()[-300:]})"
    script = (
        "import pstats, sys, io\n"
        "s = pstats.Stats(sys.argv[1], stream=sys.stdout)\n"
        "s.sort_stats('cumulative').print_stats(r'generator/', 25)\n"
        "s.sort_stats('tottime').print_stats(15)\n"
    )
    shown = subprocess.run(
        [PY, "-c", script, str(stats)], capture_output=True, text=True, check=False
    ).stdout
    stats.unlink(missing_ok=True)
    return (
        f"<details><summary>cProfile of `{label}` (times are inflated by the profiler)"
        f"</summary>\n\n```\n{_trim_pstats(shown)}\n```\n\n</details>"
    )


def _trim_pstats(text: str) -> str:
    keep = []
    for line in text.splitlines():
        if (
            not line.strip()
            or line.lstrip().startswith(("Ordered by", "List reduced"))
            or line.rstrip().endswith(".pstats")
        ):
            continue
        keep.append(line.replace(str(ROOT) + "/", "").replace(str(VENV_BIN.parent) + "/", ""))
    return "\n".join(keep)


# -- 4. upload memory ----------------------------------------------------------------------

UPLOADS = (("sync", "path", 1024), ("async", "path", 1024), ("sync", "bytes", 256))
UPLOAD_LIMIT_MB = 64.0


def uploads(settings: Settings, pristine: Path, failed: str) -> Section:
    say("\n# 4. Upload memory")
    section = Section(
        "4. Upload memory",
        "Peak memory an upload adds to the client (bench/upload_memory.py): "
        "`images.edit(image=...)` of a sparse file to a server on 127.0.0.1, in another "
        "process, that reads the body and drops it; one upload a process, after a small "
        "warm-up upload; growth is the peak resident size during the upload (the peak set "
        "back just before it) minus the resident size before it. The `bytes` row reads the "
        "file into memory first, for reference: its growth is the content itself.",
    )
    if failed:
        section.blocks.append(f"Not measured: sdkforge cannot generate the image SDK: {failed}")
        return section
    rows, growth = [], {}
    for client_kind, content, size_mb in UPLOADS:
        label = f"{client_kind} client, {size_mb:,} MB {'Path' if content == 'path' else 'bytes'}"
        say(f"  -- {label}")
        command = [PY, str(BENCH / "upload_memory.py"), "--client", client_kind]
        command += ["--content", content, "--size-mb", str(size_mb), "--client-dir", str(pristine)]
        run = run_once(command, cwd=ROOT, env=environment(), timeout=settings.timeout)
        if run is None or run.returncode != 0:
            why = "timed out" if run is None else (run.stderr.strip()[-300:] or "no output")
            rows.append([label, f"failed ({why})", "-", "-"])
            continue
        result = json.loads(run.stdout)
        growth[(client_kind, content)] = result["growth_mb"]
        rows.append(
            [
                label,
                f"{result['growth_mb']:.1f} MB",
                f"{result['resident_before_mb']:.0f} MB",
                seconds(result["seconds"]),
            ]
        )
    section.blocks.append(
        table(["upload", "peak memory added", "resident before", "upload time"], rows)
    )
    for client_kind in ("sync", "async"):
        section.verdicts.append(
            verdict(
                f"a 1 GB upload from a Path adds under 64 MB of peak memory ({client_kind})",
                growth.get((client_kind, "path")),
                UPLOAD_LIMIT_MB,
                lambda mb: f"{mb:.1f} MB",
                why_not="the upload failed",
            )
        )
    return section


# -- the command ----------------------------------------------------------------------------


PEERS: dict[str, Callable[[], bool]] = {
    "openapi-python-client": lambda: Path(OPC).exists(),
    "datamodel-codegen": lambda: Path(DMC).exists(),
    "openai": lambda: importlib.util.find_spec("openai") is not None,
    "httpx2 (installed with openai)": lambda: importlib.util.find_spec("httpx2") is not None,
}

CHANGED_WHERE = [""]

HTTPX_CLI_NOTE = (
    "Note: `import httpx` also imports httpx's command line (`httpx._main`: click, rich, "
    "pygments) whenever those are installed, and the `bench` extra installs them "
    "(openapi-python-client needs typer); httpx2 does not. To measure imports in an "
    "environment with only the clients' own dependencies, pass `--import-python` (see "
    "bench/README.md)."
)


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmarks of sdkforge against its peers.")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer repeats and iterations (3 runs a row; 1 for the biggest inputs)",
    )
    parser.add_argument(
        "--sections",
        default="generation,scale,client,upload",
        help="comma-separated subset of: generation, scale, client, upload; or full (the "
        "full OpenAI document alone, which scale includes)",
    )
    parser.add_argument("--no-full", action="store_true", help="leave out the full OpenAI document")
    parser.add_argument("--no-profile", action="store_true", help="do not profile missed targets")
    parser.add_argument(
        "--import-python",
        default=PY,
        metavar="PYTHON",
        help="the Python whose environment the import times are taken in "
        "(default: this one); it needs httpx, pydantic and openai",
    )
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS.md")
    args = parser.parse_args()

    sections_wanted = {s.strip() for s in args.sections.split(",")}
    missing = [name for name, present in PEERS.items() if not present()]
    if missing and sections_wanted != {"upload"}:  # the upload section has no peers
        print(
            "The peers are not installed: " + ", ".join(missing) + ".\n"
            f"Install them into this environment ({sys.prefix}) with:\n\n"
            "    .venv/bin/pip install -e '.[bench]'\n",
            file=sys.stderr,
        )
        return 2
    settings = Settings(
        repeats=3 if args.quick else 5,
        big_repeats=1 if args.quick else 3,
        import_repeats=5 if args.quick else 11,
        iterations=500 if args.quick else 2000,
        batches=3 if args.quick else 5,
        profile=not args.no_profile,
        timeout=900.0,
        import_python=args.import_python,
    )
    started = time.time()
    about = machine()
    made = make_specs.make_all(WORK / "specs", list(SIZES), None if args.no_full else FULL_DOC)
    CHANGED_WHERE[0] = made["changed"]

    sections: list[Section] = []
    pristine, failed = generate_client(settings)
    if "generation" in sections_wanted:
        sections.append(generation(settings, pristine, failed))
    if "scale" in sections_wanted:
        sections.append(scale(settings, SIZES, full=not args.no_full))
    elif "full" in sections_wanted:
        say("\n# 2. Scale: the full OpenAI document alone")
        alone = Section("2. Scale: the full OpenAI document")
        full_document(settings, alone)
        full_document_speed(settings, alone)
        sections.append(alone)
    if "client" in sections_wanted:
        sections.append(client(settings, pristine, failed))
    if "upload" in sections_wanted:
        sections.append(uploads(settings, pristine, failed))

    elapsed = time.time() - started
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    about["load average at end"] = " ".join(f"{x:.2f}" for x in load)
    text = results_markdown(about, sections, settings, args.quick, elapsed)
    findings = BENCH / "FINDINGS.md"
    if findings.exists():
        # What was profiled and done about the targets: written by hand, kept with every run.
        text = text.rstrip("\n") + "\n\n" + findings.read_text(encoding="utf-8")
    if (
        sections_wanted == {"generation", "scale", "client", "upload"}
        or args.results != BENCH / "RESULTS.md"
    ):
        args.results.write_text(text, encoding="utf-8")
        written = f"\nWritten to {args.results.relative_to(ROOT) if args.results.is_relative_to(ROOT) else args.results}"
    else:
        written = "\n(a partial run: RESULTS.md left as it was)"
    say("\n" + text + written)
    return 0


def results_markdown(
    about: dict[str, str], sections: list[Section], settings: Settings, quick: bool, elapsed: float
) -> str:
    verdicts = [v for s in sections for v in s.verdicts]
    summary = table(
        ["target", "verdict"],
        [[v.target, f"**{v.word}**" + (f": {v.detail}" if v.detail else "")] for v in verdicts],
    )
    machine_table = table(["", ""], [[k, v] for k, v in about.items()])
    how = (
        f"{'`--quick`: ' if quick else ''}{settings.repeats} runs a row "
        f"({settings.big_repeats} for {BIG:,} operations and the full document, "
        f"{settings.import_repeats} for imports), medians; "
        f"the whole run took {elapsed / 60:.1f} minutes."
    )
    return (
        "\n\n".join(
            [
                "# Benchmarks",
                f"Made by `.venv/bin/python bench/run.py{' --quick' if quick else ''}` on "
                f"{time.strftime('%Y-%m-%d %H:%M %Z')}; {how} See bench/README.md for what is "
                "measured and how. The machine is shared and noisy: compare figures of the same run, "
                "not across runs.",
                "## Machine",
                machine_table,
                "## Targets",
                summary,
                *(s.markdown() for s in sections),
            ]
        )
        + "\n"
    )


if __name__ == "__main__":
    sys.exit(main())
