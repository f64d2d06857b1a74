"""Compiled templates kept between runs, as Python keeps `.pyc` files.

Compiling the templates is about a sixth of a cold run. Jinja can keep what it compiled; this
keeps it in the user's cache folder, written atomically so that runs side by side never read a
half-written file, and read leniently: anything unreadable is a miss, never an error. Jinja
checks each entry against the template's source, so an edited or overriding template is
compiled afresh.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

# What the compiled code depends on besides the source: Jinja itself and the settings of
# `render.environment`.
_SETTINGS_TAG = "trim-lstrip-keepnl-strict-v1"


def cache_folder() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "sdkforge" / f"jinja-{jinja2.__version__}-{_SETTINGS_TAG}"


class TemplateCache(jinja2.BytecodeCache):
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.cache"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            with open(self._path(bucket), "rb") as handle:
                bucket.load_bytecode(handle)
        except Exception:  # missing, unreadable or written by another version: a miss
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, scratch = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    bucket.write_bytecode(handle)
                os.replace(scratch, self._path(bucket))
            except BaseException:
                os.unlink(scratch)
                raise
        except OSError:
            pass  # a read-only or full disk only costs the next run a compile


def template_cache() -> TemplateCache | None:
    """The cache, unless `SDKFORGE_NO_TEMPLATE_CACHE=1` turns it off."""
    if os.environ.get("SDKFORGE_NO_TEMPLATE_CACHE") == "1":
        return None
    try:
        return TemplateCache(cache_folder())
    except RuntimeError:  # no home folder to put it in
        return None
