"""Stage 6: write the output tree atomically, or compare it with what is on disk.

The new tree is built complete in a staging directory beside the output, then swapped in
with one rename, so a failed or killed run leaves the previous output as it was. A manifest
lists what the generator wrote: files it wrote earlier and no longer produces are removed,
and everything else is carried over untouched: files it never wrote are hard-linked into the
new tree, every folder comes back with its mode (empty ones too), and a generated file that
was there keeps its mode.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import difflib
import glob
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, Location, SpecError

MANIFEST = ".sdkforge-manifest"
# Caches that tools create inside a package; they are nobody's files to protect or report.
IGNORED_PARTS = frozenset(
    {
        "__pycache__",
        ".pytest_cache",
        ".mypy_cache",
        ".ruff_cache",
        ".hypothesis",
        "node_modules",
        ".sdkforge-cache",
    }
)


def manifest_text(header: str, paths: list[str]) -> str:
    return header + "".join(f"{path}\n" for path in sorted(paths))


def read_manifest(out: Path) -> set[str] | None:
    try:
        text = (out / MANIFEST).read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None
    return {line for line in text.splitlines() if line and not line.startswith("#")}


def disk_files(out: Path) -> set[str]:
    if not out.is_dir():
        return set()
    found = set()
    for path in out.rglob("*"):
        relative = path.relative_to(out)
        if any(part in IGNORED_PARTS or part.endswith(".egg-info") for part in relative.parts):
            continue
        if path.is_file() or path.is_symlink():
            found.add(relative.as_posix())
    return found


@dataclass(frozen=True)
class Drift:
    diffs: tuple[str, ...]
    missing: tuple[str, ...]
    extra: tuple[str, ...]
    changed: tuple[str, ...] = ()  # the files `diffs` are of, in the same order

    @property
    def clean(self) -> bool:
        return not (self.diffs or self.changed or self.missing or self.extra)

    def report(self) -> str:
        parts = list(self.diffs)
        if self.missing:
            parts.append(
                "missing files (the spec produces them):\n"
                + "".join(f"  {name}\n" for name in self.missing)
            )
        if self.extra:
            parts.append(
                "extra files (generated earlier, no longer produced):\n"
                + "".join(f"  {name}\n" for name in self.extra)
            )
        return "".join(parts)


def compare(files: dict[str, str], out: Path, keep: frozenset[str] = frozenset()) -> Drift:
    """`keep`: files the team took over (`keep:`), never compared nor reported as extra."""
    return _drift(files, out, (read_manifest(out) or set()) - keep, disk_files(out))


def _drift(
    files: dict[str, str], out: Path, previous: set[str], present: set[str], diff: bool = True
) -> Drift:
    """`diff`: spell out each change (`check` shows them; writing only asks whether any)."""
    diffs, missing, changed = [], [], []
    for name in sorted(files):
        path = out / name
        if name not in present:
            missing.append(name)
            continue
        try:
            current = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            current = ""
        if current != files[name]:
            changed.append(name)
            if not diff:
                continue
            diffs.append(
                "".join(
                    difflib.unified_diff(
                        current.splitlines(keepends=True),
                        files[name].splitlines(keepends=True),
                        fromfile=f"{out.name}/{name} (on disk)",
                        tofile=f"{out.name}/{name} (from spec)",
                    )
                )
            )
    extra = sorted((previous & present) - set(files))
    return Drift(tuple(diffs), tuple(missing), tuple(extra), tuple(changed))


def _refuse(out: Path, message: str, hint: str) -> SpecError:
    return SpecError([Diagnostic(Location(str(out), 1, 1), message, hint)])


def write_tree(
    files: dict[str, str],
    out: Path,
    *,
    force: bool,
    force_command: str = "",
    keep: frozenset[str] = frozenset(),
) -> bool:
    """Make `out` hold exactly `files` plus the files the generator never wrote, and the
    files of `keep`: an earlier manifest may list them, but they are the team's now.

    Returns False when nothing had to change. `force_command`: the command that would
    generate with --force, for the hint when the directory is not the generator's.
    """
    for name in files:
        check_relative_path(name)
    forcing = f"run `{force_command}`" if force_command else "pass --force"
    return _write_tree(files, out.resolve(), force=force, forcing=forcing, keep=keep)


def check_relative_path(name: str) -> None:
    """Every generated path stays inside the directory it is written to, whatever the spec
    said: the output, or the formatter's scratch directory.

    The names are checked where they are made (config.py, naming.py); this is the last line
    of defence, so its failure is a bug in sdkforge, not bad input.
    """
    parts = name.split("/")
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\0" in name
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise ValueError(f"refusing to write {name!r}: not a plain relative path")


def _write_tree(
    files: dict[str, str], out: Path, *, force: bool, forcing: str, keep: frozenset[str]
) -> bool:
    if out.exists() and not out.is_dir():
        raise _refuse(out, "--out is not a directory", "point --out at a directory")
    previous = read_manifest(out)
    if previous is not None:
        previous -= keep
    present = disk_files(out)
    if previous is None and present and not force:
        sample = ", ".join(sorted(present)[:3])
        raise _refuse(
            out,
            f"the output directory holds files sdkforge did not write ({sample})",
            f"choose an empty or new directory, or {forcing} to generate into it",
        )
    foreign = present - (previous or set())
    clash = sorted(foreign & set(files))
    if clash and not force:
        raise _refuse(
            out,
            f"generating would overwrite files sdkforge did not write: {', '.join(clash[:3])}",
            f"move them away, or {forcing}",
        )
    drift = _drift(files, out, previous or set(), present, diff=False)
    if previous is not None and drift.clean and not (previous - set(files)):
        return False
    # Files already on disk as they are to be: the new tree links them instead of writing
    # them again (a regeneration after a small change keeps most of a large tree).
    same = set(files) - set(drift.missing) - set(drift.changed)
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(out)
    staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(out, os.getpid()), dir=out.parent))
    # mkdtemp makes a private (0700) folder; the output keeps the mode it had, or gets what
    # a plain mkdir would give it.
    os.chmod(staging, _directory_mode(out))
    try:
        emptied = _carry_over(out, staging, (previous or set()) | set(files))
        for name, text in files.items():
            if name not in same or not _link_unchanged(out / name, staging / name):
                _write_file(staging / name, text, out / name)
        for relative in emptied:
            _remove_if_empty(staging / relative)
        _swap_in(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return True


def _staging_prefix(out: Path, pid: int) -> str:
    # Hidden, beside `out` (a rename cannot cross file systems) and never inside it, so
    # that `check` and the generated package's tools never see it.
    return f".{out.name}.new-{pid}-"


def _remove_stale_staging(out: Path) -> None:
    """Staging directories of runs that were killed: their process is gone."""
    marker = f".{out.name}.new-"
    for path in out.parent.glob(f"{glob.escape(marker)}*"):
        pid_text = path.name[len(marker) :].split("-", 1)[0]
        if not pid_text.isdigit() or not path.is_dir() or _alive(int(pid_text)):
            continue
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _directory_mode(out: Path) -> int:
    try:
        return out.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o777 & ~umask


def _carry_over(out: Path, staging: Path, ours: set[str]) -> list[str]:
    """Rebuild in `staging` every folder of `out` with its mode, and hard-link into it every
    entry that is not `ours` (listed in the manifest, or about to be written): the new tree
    then differs from the old one in the generator's files only.

    Returns the folders that held files of ours, deepest first: those left empty once the
    generator's files are gone were the generator's, and go too. A folder that was empty
    already, or holds anything else, stays.
    """
    held_ours: list[str] = []
    if not out.is_dir():
        return held_ours

    def visit(source: Path, relative: str) -> bool:
        found_ours = False
        with os.scandir(source) as entries:
            for entry in sorted(entries, key=lambda entry: entry.name):
                name = f"{relative}{entry.name}"
                target = staging / name
                if entry.is_dir(follow_symlinks=False):
                    target.mkdir()
                    os.chmod(target, entry.stat(follow_symlinks=False).st_mode & 0o7777)
                    if visit(Path(entry.path), f"{name}/"):
                        held_ours.append(name)
                        found_ours = True
                elif name in ours:
                    found_ours = True
                else:
                    _link(Path(entry.path), target)
        return found_ours

    visit(out, "")
    return held_ours


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def _link_unchanged(source: Path, target: Path) -> bool:
    """Hard-link an unchanged regular file into the new tree; False where it cannot be (a
    symlink or other special file there, no hard links on this file system)."""
    if source.is_symlink() or not source.is_file() or not target.parent.is_dir():
        return False
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        return False
    return True


def _write_file(target: Path, text: str, previous: Path) -> None:
    """Write a generated file; one that was there before keeps its mode."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    try:
        mode = previous.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return
    if stat.S_ISREG(mode):
        os.chmod(target, stat.S_IMODE(mode))


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty: someone else's files are in it
        folder.rmdir()


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _swap_in(staging: Path, out: Path) -> None:
    """Put `staging` where `out` is in one step; `staging` then holds the old tree."""
    if not out.exists():
        os.rename(staging, out)
        staging.mkdir()
        return
    if _exchange(staging, out):
        return
    # Without an atomic exchange, the window in which `out` is absent is two renames wide.
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    old.rmdir()
    os.rename(out, old)
    os.rename(staging, out)
    os.rename(old, staging)


def _exchange(first: Path, second: Path) -> bool:
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return bool(result == 0)
