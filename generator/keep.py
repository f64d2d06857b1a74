"""Files a team has taken over (`keep:` in sdk.yaml): custom code that survives regeneration.

A kept file is written by the generator once, when it is not on disk yet, as the team's
starting point; from then on it is the team's. `generate` leaves it as it is, `check` does
not compare it (it lists it as kept), and the manifest never lists it, so no later run
removes it. An entry that names a file the generator no longer produces (a renamed
resource, say) is reported: the team's file is still there, but nothing generated refers
to it any more.

A whole file rather than a patch: there is nothing to merge and nothing that can fail to
apply; the price is that the team's copy no longer follows spec changes, which `check`
reminds them of by listing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Location, _printable
from .write import MANIFEST


@dataclass(frozen=True)
class KeptFiles:
    on_disk: tuple[str, ...]  # the team's files, left as they are
    started: tuple[str, ...]  # not on disk yet: written this once from the spec
    stale: tuple[tuple[str, Location], ...]  # entries the generator no longer produces

    @property
    def paths(self) -> frozenset[str]:
        return frozenset((*self.on_disk, *self.started, *(path for path, _ in self.stale)))

    def warnings(self) -> list[str]:
        return [
            f"{where}: warning: keep entry '{_printable(path)}' names no file the spec produces (any more) "
            "(the file stays as it is; drop the entry, or delete the file if nothing uses it)"
            for path, where in self.stale
        ]

    def report(self) -> str:
        lines = [f"kept (not regenerated): {path}\n" for path in self.on_disk]
        lines += [f"kept (written once, yours from now on): {path}\n" for path in self.started]
        return "".join(lines)


def apply_keep(
    files: dict[str, str], keep: tuple[tuple[str, Location], ...], out: Path
) -> tuple[dict[str, str], KeptFiles]:
    """`files` as `generate` writes them (and `check` compares them) into `out`: the kept
    files that are on disk left out, and none of the kept ones in the manifest."""
    on_disk, started, stale = [], [], []
    for path, where in keep:
        if path not in files:
            stale.append((path, where))
        elif (out / path).is_file():
            on_disk.append(path)
        else:
            started.append(path)
    if not keep:
        return files, KeptFiles((), (), ())
    kept = {path for path, _ in keep}
    result = {path: text for path, text in files.items() if path not in on_disk}
    if MANIFEST in result:
        lines = result[MANIFEST].splitlines(keepends=True)
        result[MANIFEST] = "".join(line for line in lines if line.rstrip("\n") not in kept)
    return result, KeptFiles(tuple(on_disk), tuple(started), tuple(stale))
