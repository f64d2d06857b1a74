"""`sdkforge diff`: spec edits and the surface changes they make, each breaking or not, the
semver bump they call for, the JSON form, `--fail-on`, and the summary a failing `check`
ends with (and `check --stat`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from _generate import write_inputs
from sdkforge.pipeline import Inputs, generate_files
from sdkforge.surface import SURFACE
from sdkforge.surface_diff import MAJOR, MINOR, NONE, PATCH, SurfaceDiff, compare_surfaces
from sdkforge.surface_types import READ, SENT, type_change

Run = Callable[..., Any]

SPEC = """\
openapi: 3.1.0
info: {title: Widgets, version: '1'}
servers: [{url: 'https://widgets.example.test'}]
paths:
  /widgets:
    post:
      summary: Make a widget.
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string, description: What to call it.}
                color: {type: string, enum: [red, green]}
                size: {type: integer}
      responses:
        '200':
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Widget'}
  /widgets/{widget_id}:
    get:
      parameters:
        - {name: widget_id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Widget'}
components:
  schemas:
    Widget:
      type: object
      required: [id]
      properties:
        id: {type: string}
        name: {type: string}
        color: {type: string, enum: [red, green]}
"""

CONFIG = """\
package: widgetsdk
version: {version}
client: {sync: WidgetClient, async: AsyncWidgetClient, api_key_env: WIDGET_API_KEY}
resources:
  widgets:
    methods:
      create: post /widgets
      get: get /widgets/{widget_id}
"""


def _surface(folder: Path, spec: str, config: str) -> dict[str, Any]:
    files = generate_files(write_inputs(folder, spec, config))
    data: dict[str, Any] = json.loads(files[SURFACE])
    return data


@pytest.fixture(scope="module")
def base_surface(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _surface(tmp_path_factory.mktemp("base"), SPEC, CONFIG.replace("{version}", "1.2.3"))


def _diff(
    tmp_path: Path, base: dict[str, Any], old: str, new: str, *, times: int = 1
) -> SurfaceDiff:
    assert SPEC.count(old) == times, old
    edited = _surface(tmp_path, SPEC.replace(old, new), CONFIG.replace("{version}", "1.2.3"))
    return compare_surfaces(base, edited)


def _summary(result: SurfaceDiff) -> set[tuple[str, str, bool]]:
    return {(c.where, c.what, c.breaking) for c in result.changes}


# (edit: old text, new text, how often old occurs), the changes, the bump.
EDITS = {
    "optional field added": (
        (
            "size: {type: integer}",
            "size: {type: integer}\n                weight: {type: number}",
            1,
        ),
        {
            ("widgets.create", "argument 'weight' added (optional)", False),
            ("WidgetCreateParams", "field 'weight' added (optional)", False),
        },
        MINOR,
    ),
    "field removed": (
        ("                size: {type: integer}\n", "", 1),
        {
            ("widgets.create", "argument 'size' removed", True),
            ("WidgetCreateParams", "field 'size' removed", True),
        },
        MAJOR,
    ),
    "argument renamed": (
        ("size: {type: integer}", "dimension: {type: integer}", 1),
        {
            ("widgets.create", "argument 'size' renamed to 'dimension'", True),
            ("WidgetCreateParams", "field 'size' renamed to 'dimension'", True),
        },
        MAJOR,
    ),
    "required added": (
        ("required: [name]", "required: [name, size]", 1),
        {
            ("widgets.create", "argument 'size' required now", True),
            ("WidgetCreateParams", "field 'size' required now", True),
        },
        MAJOR,
    ),
    "type changed": (
        ("size: {type: integer}", "size: {type: string}", 1),
        {
            ("widgets.create", "argument 'size': type changed: int -> str", True),
            ("WidgetCreateParams", "field 'size': type changed: int -> str", True),
        },
        MAJOR,
    ),
    "enum value removed": (
        (
            "color: {type: string, enum: [red, green]}\n                size",
            "color: {type: string, enum: [red]}\n                size",
            1,
        ),
        {
            ("widgets.create", "argument 'color': enum value 'green' removed", True),
            ("WidgetCreateParams", "field 'color': enum value 'green' removed", True),
        },
        MAJOR,
    ),
    "enum value added": (
        (
            "color: {type: string, enum: [red, green]}\n                size",
            "color: {type: string, enum: [red, green, blue]}\n                size",
            1,
        ),
        {
            ("widgets.create", "argument 'color': enum value 'blue' added", False),
            ("WidgetCreateParams", "field 'color': enum value 'blue' added", False),
        },
        MINOR,
    ),
    "description changed": (
        ("description: What to call it.", "description: The widget's name, shown to users.", 1),
        set(),
        NONE,
    ),
    "response field added": (
        (
            "        name: {type: string}\n        color",
            "        name: {type: string}\n        weight: {type: number}\n        color",
            1,
        ),
        {("model Widget", "field 'weight' added (optional)", False)},
        MINOR,
    ),
    "response field removed": (
        ("        name: {type: string}\n        color", "        color", 1),
        {("model Widget", "field 'name' removed", True)},
        MAJOR,
    ),
    "response field optional now": (
        ("      required: [id]\n", "", 1),
        {("model Widget", "field 'id' optional now", True)},
        MAJOR,
    ),
}


@pytest.mark.parametrize("case", sorted(EDITS))
def test_spec_edit_is_classified(case: str, base_surface: dict[str, Any], tmp_path: Path) -> None:
    (old, new, times), expected, bump = EDITS[case]
    result = _diff(tmp_path, base_surface, old, new, times=times)
    assert _summary(result) == expected
    assert result.bump == bump
    assert bool(result.breaking) == (bump == MAJOR)


def test_response_enum_value_added_is_not_breaking(
    base_surface: dict[str, Any], tmp_path: Path
) -> None:
    old = "        color: {type: string, enum: [red, green]}\n"
    spec = SPEC.rsplit(old, 1)
    assert len(spec) == 2
    edited = spec[0] + "        color: {type: string, enum: [red, green, blue]}\n" + spec[1]
    result = compare_surfaces(
        base_surface, _surface(tmp_path, edited, CONFIG.replace("{version}", "1.2.3"))
    )
    assert _summary(result) == {("model Widget", "field 'color': enum value 'blue' added", False)}


def test_method_renamed_is_one_breaking_change(
    base_surface: dict[str, Any], tmp_path: Path
) -> None:
    config = CONFIG.replace("{version}", "1.2.3").replace("      get: get", "      retrieve: get")
    result = compare_surfaces(base_surface, _surface(tmp_path, SPEC, config))
    assert ("widgets.get", "renamed to retrieve", True) in _summary(result)
    assert not any(
        "removed" in c.what or "added" in c.what
        for c in result.changes
        if c.where.startswith("widgets.")
    )


def test_client_renamed_is_breaking(base_surface: dict[str, Any], tmp_path: Path) -> None:
    config = CONFIG.replace("{version}", "1.2.3").replace("sync: WidgetClient", "sync: WidgetApi")
    result = compare_surfaces(base_surface, _surface(tmp_path, SPEC, config))
    assert _summary(result) == {("client", "client class: WidgetClient -> WidgetApi", True)}


def test_response_field_behind_a_single_all_of(
    base_surface: dict[str, Any], tmp_path: Path
) -> None:
    """`allOf: [$ref]` is the referenced type: swapping the target is a type change."""
    spec = SPEC.replace(
        "        name: {type: string}\n        color",
        "        name: {allOf: [{$ref: '#/components/schemas/Label'}]}\n        color",
    ).replace("components:\n  schemas:\n", "components:\n  schemas:\n    Label: {type: string}\n")
    config = CONFIG.replace("{version}", "1.2.3")
    result = compare_surfaces(base_surface, _surface(tmp_path, spec, config))
    assert ("model Widget", "field 'name': type changed: str -> Label", True) in _summary(result)


def test_fields_of_inline_response_objects_are_compared(tmp_path: Path) -> None:
    """A nested object (a model class of its own) and a list of them: their fields too."""
    nested = (
        "        meta: {type: object, properties: {tag: {type: string}, rank: {type: integer}}}\n"
        "        parts:\n"
        "          type: array\n"
        "          items: {type: object, required: [n], properties: {n: {type: integer}}}\n"
    )
    anchor = "        name: {type: string}\n        color"
    config = CONFIG.replace("{version}", "1.2.3")
    before = _surface(tmp_path / "a", SPEC.replace(anchor, nested + anchor), config)
    edited = nested.replace(", rank: {type: integer}", "").replace(
        "n: {type: integer}", "n: {type: string}"
    )
    after = _surface(tmp_path / "b", SPEC.replace(anchor, edited + anchor), config)
    assert _summary(compare_surfaces(before, after)) == {
        ("model Widget", "field 'meta.rank' removed", True),
        ("model Widget", "field 'parts[].n': type changed: int -> str", True),
    }


def test_route_change_is_a_patch(base_surface: dict[str, Any], tmp_path: Path) -> None:
    spec = SPEC.replace("/widgets/{widget_id}:", "/v2/widgets/{widget_id}:")
    config = CONFIG.replace("{version}", "1.2.3").replace("get /widgets/", "get /v2/widgets/")
    result = compare_surfaces(base_surface, _surface(tmp_path, spec, config))
    assert _summary(result) == {
        (
            "widgets.get",
            "route changed: get /widgets/{widget_id} -> get /v2/widgets/{widget_id}",
            False,
        )
    }
    assert result.bump == PATCH
    assert result.next_version == "1.2.4"


@pytest.mark.parametrize(
    ("version", "bump", "expected"),
    [
        ("1.2.3", MAJOR, "2.0.0"),
        ("1.2.3", MINOR, "1.3.0"),
        ("0.3.1", MAJOR, "0.4.0"),  # 0.x: a breaking change moves the minor number
        ("0.3.1", MINOR, "0.3.2"),
        ("2024.1", MAJOR, None),  # not X.Y.Z: no suggestion
    ],
)
def test_next_version(version: str, bump: str, expected: str | None) -> None:
    from sdkforge.surface_diff import Change

    result = SurfaceDiff((Change("x", "y", bump),), version, version)
    assert result.next_version == expected


def test_zero_x_version_is_noted() -> None:
    from sdkforge.surface_diff import Change

    report = SurfaceDiff(
        (Change("w.create", "argument 'a' removed", MAJOR),), "0.3.1", "0.3.1"
    ).report()
    assert "semver: major bump (next version 0.4.0: a 0.x version" in report


# -- the command line ----------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path, run_cli: Run) -> Inputs:
    """The widget spec generated into tmp_path/out, free to edit."""
    folder = tmp_path / "spec"
    folder.mkdir()
    inputs = write_inputs(folder, SPEC, CONFIG.replace("{version}", "0.1.0"))
    generated = run_cli(
        "generate", "--spec", inputs.spec, "--config", inputs.config, "--out", tmp_path / "out"
    )
    assert generated.code == 0, generated.err
    return inputs


def _cli(run_cli: Run, command: str, inputs: Inputs, *extra: str) -> Any:
    out = inputs.spec.parent.parent / "out"
    return run_cli(command, "--spec", inputs.spec, "--config", inputs.config, "--out", out, *extra)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_diff_of_unchanged_spec(run_cli: Run, project: Inputs) -> None:
    result = _cli(run_cli, "diff", project, "--fail-on", "any")
    assert (result.code, result.out, result.err) == (0, "SDK surface: no changes\n", "")


def test_diff_text_and_json(run_cli: Run, project: Inputs) -> None:
    _edit(project.spec, "                size: {type: integer}\n", "")
    _edit(
        project.spec,
        "        name: {type: string}\n        color",
        "        name: {type: string}\n        weight: {type: number}\n        color",
    )
    text = _cli(run_cli, "diff", project)
    assert text.code == 0, text.err
    assert text.out.splitlines() == [
        "SDK surface: 3 changes, 2 breaking",
        "  breaking  widgets.create: argument 'size' removed",
        "  breaking  WidgetCreateParams: field 'size' removed",
        "  added     model Widget: field 'weight' added (optional)",
        "semver: major bump (next version 0.2.0: a 0.x version takes breaking changes in its "
        "minor number)",
    ]
    shown = _cli(run_cli, "diff", project, "--format", "json")
    data = json.loads(shown.out)
    assert data == {
        "bump": "major",
        "breaking": True,
        "old_version": "0.1.0",
        "new_version": "0.1.0",
        "next_version": "0.2.0",
        "changes": [
            {
                "where": "widgets.create",
                "change": "argument 'size' removed",
                "breaking": True,
                "bump": "major",
            },
            {
                "where": "WidgetCreateParams",
                "change": "field 'size' removed",
                "breaking": True,
                "bump": "major",
            },
            {
                "where": "model Widget",
                "change": "field 'weight' added (optional)",
                "breaking": False,
                "bump": "minor",
            },
        ],
    }


@pytest.mark.parametrize(
    ("edit", "fail_on", "code"),
    [
        ("breaking", "breaking", 1),
        ("breaking", "never", 0),
        ("breaking", "any", 1),
        ("minor", "breaking", 0),
        ("minor", "any", 1),
        ("none", "any", 0),
    ],
)
def test_fail_on_exit_codes(
    run_cli: Run, project: Inputs, edit: str, fail_on: str, code: int
) -> None:
    if edit == "breaking":
        _edit(project.spec, "required: [name]", "required: [name, size]")
    elif edit == "minor":
        _edit(
            project.spec,
            "size: {type: integer}",
            "size: {type: integer}\n                weight: {type: number}",
        )
    result = _cli(run_cli, "diff", project, "--fail-on", fail_on)
    assert result.code == code, result.out + result.err


def test_diff_of_an_output_without_a_surface_record(run_cli: Run, project: Inputs) -> None:
    (project.spec.parent.parent / "out" / SURFACE).unlink()
    result = _cli(run_cli, "diff", project)
    assert result.code == 2
    assert result.out == ""
    (line,) = result.err.splitlines()
    assert line.startswith(f"{project.spec.parent.parent / 'out' / SURFACE}:1:1: error: ")
    assert "no record of its SDK surface" in line and "run `sdkforge generate`" in line


def test_failing_check_ends_with_the_surface_summary(run_cli: Run, project: Inputs) -> None:
    _edit(project.spec, "required: [name]", "required: [name, size]")
    result = _cli(run_cli, "check", project)
    assert result.code == 1
    assert "--- out/widgetsdk/resources/widgets.py (on disk)" in result.out
    tail = result.out[result.out.index("SDK surface:") :]
    assert tail.splitlines()[0] == "SDK surface: 2 changes, 2 breaking"
    assert "widgets.create: argument 'size' required now" in tail


def test_check_stat_prints_line_counts_not_the_diff(run_cli: Run, project: Inputs) -> None:
    out = project.spec.parent.parent / "out"
    (out / "widgetsdk" / "extra.py").write_text("x = 1\n", encoding="utf-8")  # not ours: not listed
    manifest = (out / ".sdkforge-manifest").read_text(encoding="utf-8")
    (out / "widgetsdk" / "gone.py").write_text("a = 1\nb = 2\n", encoding="utf-8")
    (out / ".sdkforge-manifest").write_text(manifest + "widgetsdk/gone.py\n", encoding="utf-8")
    (out / "api.md").unlink()
    _edit(project.spec, "description: What to call it.", "description: The widget's name.")
    result = _cli(run_cli, "check", project, "--stat")
    assert result.code == 1
    assert "@@" not in result.out and "(on disk)" not in result.out
    lines = result.out.splitlines()
    rows = {line.split("|")[0].strip(): line.split("|")[1].strip() for line in lines if "|" in line}
    assert rows["api.md"].endswith("(new)") and rows["api.md"].startswith("+")
    assert rows["widgetsdk/gone.py"] == "+0 -2 (removed)"
    assert rows["widgetsdk/resources/widgets.py"] == "+2 -2"  # the sync and async docstrings
    assert "widgetsdk/extra.py" not in rows
    assert any(line.startswith(" ") and "changed, 1 added, 1 removed;" in line for line in lines)
    assert lines[-1] == "SDK surface: no changes"


def test_a_damaged_surface_record_is_a_located_error(run_cli: Run, project: Inputs) -> None:
    record = project.spec.parent.parent / "out" / SURFACE
    data = json.loads(record.read_text(encoding="utf-8"))
    del data["resources"]["widgets"]["methods"]["create"]["route"]
    record.write_text(json.dumps(data), encoding="utf-8")
    result = _cli(run_cli, "diff", project)
    assert result.code == 2
    assert result.err.startswith(f"{record}:1:1: error: the surface record is damaged")
    record.write_text("{not json", encoding="utf-8")
    broken = _cli(run_cli, "diff", project)
    assert broken.code == 2
    assert broken.err.startswith(f"{record}:1:2: error: the surface record is not valid JSON")


@pytest.mark.parametrize(
    ("old", "new", "direction", "breaking", "detail"),
    [
        ("str", "Union[str, int]", SENT, False, "type widened: str -> Union[str, int]"),
        ("str", "Union[str, int]", READ, True, "type changed: str -> Union[str, int]"),
        ("Optional[str]", "str", READ, False, "type narrowed: Optional[str] -> str"),
        ("Optional[str]", "str", SENT, True, "type changed: Optional[str] -> str"),
        ("Literal['a', 'b']", "Literal['a']", READ, False, "enum value 'b' removed"),
        (
            "Optional[Literal['a, b', 'c']]",
            "Optional[Literal['a, b', 'c', 'd]']]",
            SENT,
            False,
            "enum value 'd]' added",
        ),
        ("int", "str", SENT, True, "type changed: int -> str"),
    ],
)
def test_type_changes(old: str, new: str, direction: str, breaking: bool, detail: str) -> None:
    found = type_change(old, new, direction)
    assert found is not None
    assert (found.breaking, found.detail) == (breaking, detail)


def test_same_type_spelled_differently_is_no_change() -> None:
    assert type_change("Union[str,  int]", "Union[str, int]", SENT) is None
    assert type_change("Literal['a b']", "Literal['a b']", READ) is None
