"""What `sdkforge diff` prints, the surface summary at the end of a failing `check`, and the
short form of a drift that `check --stat` prints instead of the full diff."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

from .diagnostics import Diagnostic, Location, SpecError
from .surface import SURFACE, read_surface
from .surface_diff import SurfaceDiff, compare_surfaces
from .write import Drift


def surface_diff(files: dict[str, str], out: Path) -> SurfaceDiff:
    """The committed output's surface against the one `files` record; raises a located
    `SpecError` when the output holds no readable record."""
    old = read_surface(out)
    try:
        return compare_surfaces(old, json.loads(files[SURFACE]))
    except (KeyError, TypeError, AttributeError):
        # Edited by hand, or cut short: the record lacks what every generated one holds.
        where = Location(str(out / SURFACE), 1, 1)
        hint = "regenerate the output; the file is written by sdkforge, not by hand"
        raise SpecError([Diagnostic(where, "the surface record is damaged", hint)]) from None


def diff_command(args: argparse.Namespace, files: dict[str, str]) -> int:
    """Print the surface diff; 1 when `--fail-on` says its changes should fail the run."""
    result = surface_diff(files, args.out)
    if args.format == "json":
        print(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(result.report())
    failing = result.breaking if args.fail_on == "breaking" else result.changes
    return 1 if args.fail_on != "never" and failing else 0


def surface_summary(files: dict[str, str], out: Path) -> str:
    """The surface diff in short, for a `check` that found drift; one line saying why when
    the output has no surface record to compare with."""
    try:
        result = surface_diff(files, out)
    except SpecError as error:
        return f"SDK surface: not compared: {error.diagnostics[0].message}\n"
    return result.report()


def stat_report(files: dict[str, str], out: Path, drift: Drift) -> str:
    """One line a file (`path | +added -removed`) and the totals, for `check --stat`."""
    rows: list[tuple[str, int, int, str]] = []
    for name in sorted({*drift.changed, *drift.missing}):
        old = _lines(out / name) if name in drift.changed else []
        added, removed = _counts(old, files[name].splitlines())
        rows.append((name, added, removed, "" if name in drift.changed else " (new)"))
    for name in drift.extra:
        rows.append((name, 0, len(_lines(out / name)), " (removed)"))
    width = max((len(name) for name, *_ in rows), default=0)
    lines = [f" {name:<{width}} | +{a} -{r}{note}" for name, a, r, note in rows]
    total_added = sum(row[1] for row in rows)
    total_removed = sum(row[2] for row in rows)
    lines.append(
        f" {len(drift.changed)} changed, {len(drift.missing)} added, {len(drift.extra)} removed;"
        f" +{total_added} -{total_removed} lines"
    )
    return "\n".join(lines) + "\n"


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (UnicodeDecodeError, OSError):
        return []


def _counts(old: list[str], new: list[str]) -> tuple[int, int]:
    added = removed = 0
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag != "equal":
            removed += old_end - old_start
            added += new_end - new_start
    return added, removed
