"""Compiled templates kept between runs (generator/template_cache.py): the output never depends
on them, a broken entry is a miss, and an edited template is compiled afresh."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from sdkforge import template_cache
from sdkforge.pipeline import Inputs, generate_files
from sdkforge.template_cache import TemplateCache


def _environment(folder: Path, cache: TemplateCache) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=cache)


def test_a_second_environment_loads_what_the_first_compiled(tmp_path: Path) -> None:
    (tmp_path / "t.jinja").write_text("{{ 1 + 1 }}", encoding="utf-8")
    cache = TemplateCache(tmp_path / "cache")
    assert _environment(tmp_path, cache).get_template("t.jinja").render() == "2"
    entries = list((tmp_path / "cache").iterdir())
    assert [entry.suffix for entry in entries] == [".cache"]  # no scratch file left behind
    assert _environment(tmp_path, cache).get_template("t.jinja").render() == "2"


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    template = tmp_path / "t.jinja"
    template.write_text("one", encoding="utf-8")
    cache = TemplateCache(tmp_path / "cache")
    assert _environment(tmp_path, cache).get_template("t.jinja").render() == "one"
    template.write_text("two", encoding="utf-8")
    assert _environment(tmp_path, cache).get_template("t.jinja").render() == "two"


def test_a_corrupt_entry_is_a_miss(tmp_path: Path) -> None:
    (tmp_path / "t.jinja").write_text("{{ 'ok' }}", encoding="utf-8")
    cache = TemplateCache(tmp_path / "cache")
    _environment(tmp_path, cache).get_template("t.jinja")
    for entry in (tmp_path / "cache").iterdir():
        entry.write_bytes(b"j2\x00\x00 half written")
    assert _environment(tmp_path, cache).get_template("t.jinja").render() == "ok"


def test_an_unwritable_folder_only_costs_a_compile(tmp_path: Path) -> None:
    (tmp_path / "t.jinja").write_text("fine", encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    cache = TemplateCache(blocker / "cache")  # a folder under a file cannot be made
    assert _environment(tmp_path, cache).get_template("t.jinja").render() == "fine"


def test_output_is_the_same_with_and_without_the_cache(
    project_inputs: Inputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = generate_files(project_inputs)  # fills the cache
    assert list(template_cache.cache_folder().iterdir())
    cached = generate_files(project_inputs)
    monkeypatch.setenv("SDKFORGE_NO_TEMPLATE_CACHE", "1")
    assert template_cache.template_cache() is None
    assert generate_files(project_inputs) == cached == first
