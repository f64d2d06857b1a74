"""A build cache inside the output directory, so that unchanged input costs almost nothing.

`state.json` records a fingerprint of everything the output depends on (spec, config,
templates, the generator's own source and the versions of the tools it runs) and the hash
of every file written. When the fingerprint is the same and every file still has its hash,
`check` and `generate` can answer without building anything. `models.json` keeps
datamodel-code-generator's last output, module by module, each keyed by what it is made
from (`model_reuse`), so that a change runs DCG only on the modules it touches, and a change
that touches no response schema skips DCG (and its import).

The cache is only ever a shortcut: a missing, stale or corrupt cache means a full run. It
lives in `.sdkforge-cache/`, which the manifest, `check` and the write stage ignore, and
which should not be committed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .package_data import TEMPLATES

CACHE_DIR = ".sdkforge-cache"
_STATE = "state.json"
_MODELS = "models.json"
_FINISHED = "finished.json"
_FORMATTED = "formatted.json"
_METHODS = "methods.json"
_GENERATOR = Path(__file__).resolve().parent
_TOOLS = ("ruff", "datamodel-code-generator", "jinja2", "pyyaml", "pydantic")


def _tree_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _digest(parts: Iterable[bytes]) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(len(part).to_bytes(8, "big"))
        hasher.update(part)
    return hasher.hexdigest()


def _normal(project: str) -> str:
    return project.lower().replace("_", "-").replace(".", "-")


def _versions() -> list[bytes]:
    """The installed versions of the tools, read off their `.dist-info` folder names:
    `importlib.metadata` would cost a third of an unchanged `check`."""
    wanted = {_normal(tool) for tool in _TOOLS}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                project, _, version = name.removesuffix(".dist-info").partition("-")
                found.setdefault(_normal(project), version)
    return [f"{tool}={found.get(tool, 'missing')}".encode() for tool in sorted(wanted)]


@functools.cache
def generator_fingerprint() -> str:
    """What the generator itself is: its source and its tools' versions (fixed for the life
    of the process, and asked for by both the input fingerprint and the model cache)."""
    parts = _versions()
    for path in _tree_files(_GENERATOR):
        if path.suffix == ".py":
            parts += [path.relative_to(_GENERATOR).as_posix().encode(), path.read_bytes()]
    return _digest(parts)


def input_fingerprint(
    spec: Path, config: Path, templates: Path | None, options: str = ""
) -> str | None:
    """Everything an output tree depends on; None when an input cannot be read."""
    try:
        parts = [
            generator_fingerprint().encode(),
            options.encode(),
            spec.name.encode(),
            spec.read_bytes(),
            config.read_bytes(),
        ]
        for label, root in (("ours", TEMPLATES), ("override", templates)):
            if root is None:
                continue
            for path in _tree_files(root):
                parts += [
                    f"{label}:{path.relative_to(root).as_posix()}".encode(),
                    path.read_bytes(),
                ]
    except OSError:
        return None
    return _digest(parts)


def file_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read(out: Path, name: str) -> Any:
    try:
        return json.loads((out / CACHE_DIR / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write(out: Path, name: str, data: object) -> None:
    folder = out / CACHE_DIR
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, sort_keys=True)
        os.replace(temporary, folder / name)
    except OSError:
        pass  # a cache that cannot be written only makes the next run slower


def is_fresh(out: Path, fingerprint: str | None) -> bool:
    """True when `out` holds exactly what the fingerprinted inputs produced last time."""
    state = _read(out, _STATE)
    if (
        fingerprint is None
        or not isinstance(state, dict)
        or state.get("fingerprint") != fingerprint
    ):
        return False
    files = state.get("files")
    if not isinstance(files, dict) or not files:
        return False
    for name, expected in files.items():
        try:
            current = (out / name).read_bytes()
        except OSError:
            return False
        if hashlib.sha256(current).hexdigest() != expected:
            return False
    # A kept file may hold anything, but a run writes it again when it is gone.
    return all((out / name).is_file() for name in kept_files(out))


def save_state(
    out: Path, fingerprint: str | None, files: dict[str, str], kept: Iterable[str] = ()
) -> None:
    """`kept`: the files the team took over (`keep:`), which a quick answer still lists."""
    if fingerprint is not None:
        _write(
            out,
            _STATE,
            {
                "fingerprint": fingerprint,
                "files": {name: file_hash(text) for name, text in files.items()},
                "kept": sorted(kept),
            },
        )


def kept_files(out: Path) -> list[str]:
    """The kept files the last run listed (when `is_fresh` answers instead of a run)."""
    state = _read(out, _STATE)
    kept = state.get("kept") if isinstance(state, dict) else None
    return [str(name) for name in kept] if isinstance(kept, list) else []


class Memo:
    """Results of a pure step (finishing a DCG module, formatting a file) by a hash of its
    input, from the last run: a run keeps, and saves, only the ones it asked for."""

    def __init__(self, out: Path | None, name: str) -> None:
        self.out = out
        self.name = name
        self._earlier: dict[str, Any] | None = None
        self._asked: dict[str, Any] = {}

    @staticmethod
    def key(*parts: str) -> str:
        return _digest([generator_fingerprint().encode(), *(p.encode() for p in parts)])

    def get(self, key: str) -> Any:
        if key in self._asked:
            return self._asked[key]
        if self._earlier is None:
            data = _read(self.out, self.name) if self.out is not None else None
            self._earlier = data if isinstance(data, dict) else {}
        found = self._earlier.get(key)
        if found is not None:
            self._asked[key] = found
        return found

    def put(self, key: str, value: object) -> None:
        self._asked[key] = value

    def flush(self) -> None:
        if self.out is None or not self._asked:
            return
        earlier = self._earlier or {}
        # The same entries as the file holds: writing megabytes again would change nothing.
        if len(earlier) == len(self._asked) and all(
            earlier.get(key) == value for key, value in self._asked.items()
        ):
            return
        _write(self.out, self.name, self._asked)


class ModelCache:
    """datamodel-code-generator's output from the last run: module by module, each under
    the key `model_reuse` gives it; or, when DCG wrote a module that belongs to no one
    component, whole, under the key of the whole input. Beside it, the finished modules
    and the formatted files, by their input."""

    def __init__(self, out: Path | None) -> None:
        self.out = out
        self.saved: dict[str, Any] | None = None
        self._data: Any = None
        self.finished = Memo(out, _FINISHED)
        self.formatted = Memo(out, _FORMATTED)
        self.methods = Memo(out, _METHODS)

    @staticmethod
    def key(document: object) -> str:
        text = json.dumps(document, sort_keys=True, default=str)
        return _digest([generator_fingerprint().encode(), text.encode()])

    def _read(self) -> dict[str, Any]:
        if self._data is None:
            data = _read(self.out, _MODELS) if self.out is not None else None
            self._data = data if isinstance(data, dict) else {}
        return dict(self._data)

    def get(self, key: str) -> dict[str, str] | None:
        """The whole output last made from the input `key`, when it was kept whole."""
        data = self._read()
        if data.get("key") == key and isinstance(data.get("raw"), dict):
            return {str(k): str(v) for k, v in data["raw"].items()}
        return None

    def modules(self) -> dict[str, str | None] | None:
        """Module key -> DCG's module (None: it wrote none), as the last run left them."""
        found = self._read().get("modules")
        made = self.saved.get("modules") if self.saved else None  # this run's, so far
        if not isinstance(found, dict) and not isinstance(made, dict):
            return None
        both = {**(found if isinstance(found, dict) else {}), **(made or {})}
        return {str(k): v if isinstance(v, str) else None for k, v in both.items()}

    def put(self, key: str, raw: dict[str, str], modules: dict[str, str | None] | None) -> None:
        """Several calls in one run (`--skip-unsupported` makes the models again without the
        methods whose models fail) keep all of their modules, so the next run reuses both."""
        if modules is None:
            self.saved = {"key": key, "raw": raw}
            return
        earlier = self.saved.get("modules") if self.saved else None
        self.saved = {"modules": {**(earlier if isinstance(earlier, dict) else {}), **modules}}

    def flush(self) -> None:
        """Written only once the output itself is written, so it never describes a tree
        that a failed run did not produce."""
        if self.out is not None and self.saved is not None:
            _write(self.out, _MODELS, self.saved)
        self.finished.flush()
        self.formatted.flush()
        self.methods.flush()
