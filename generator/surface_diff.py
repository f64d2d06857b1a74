"""What changed in the SDK's surface between two `.sdkforge-surface.json` records, each change
marked breaking or not, and the version bump the changes call for under semver.

Breaking: a caller's code that worked may fail (a method, argument or field removed or
renamed, an argument now required, a type narrowed where the caller sends it). Minor: new
things to call or read. Patch: the same calls, sent differently (a route or a wire name).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .surface_types import READ, SENT, type_change

MAJOR, MINOR, PATCH, NONE = "major", "minor", "patch", "none"
_ORDER = (NONE, PATCH, MINOR, MAJOR)
_PLAIN_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)")


@dataclass(frozen=True)
class Change:
    where: str  # 'images.generate', 'ImageGenerateParams', 'model ImagesResponse'
    what: str
    level: str  # MAJOR for a breaking change, else MINOR or PATCH

    @property
    def breaking(self) -> bool:
        return self.level == MAJOR

    def as_json(self) -> dict[str, object]:
        return {
            "where": self.where,
            "change": self.what,
            "breaking": self.breaking,
            "bump": self.level,
        }


@dataclass(frozen=True)
class SurfaceDiff:
    changes: tuple[Change, ...]
    old_version: str
    new_version: str

    @property
    def bump(self) -> str:
        return max((c.level for c in self.changes), key=_ORDER.index, default=NONE)

    @property
    def breaking(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.breaking)

    @property
    def next_version(self) -> str | None:
        """The version after `old_version` that the bump calls for; a 0.x version takes a
        breaking change in its minor number, as semver leaves 0.x open and most tools read
        it. `None` when the version is not plain `X.Y.Z` or nothing changed."""
        match = _PLAIN_VERSION.fullmatch(self.old_version)
        if match is None or self.bump == NONE:
            return None
        major, minor, patch = (int(part) for part in match.groups())
        bump = self.bump
        if major == 0:
            bump = MINOR if bump == MAJOR else PATCH
        if bump == MAJOR:
            return f"{major + 1}.0.0"
        if bump == MINOR:
            return f"{major}.{minor + 1}.0"
        return f"{major}.{minor}.{patch + 1}"

    def as_json(self) -> dict[str, object]:
        return {
            "bump": self.bump,
            "breaking": bool(self.breaking),
            "old_version": self.old_version,
            "new_version": self.new_version,
            "next_version": self.next_version,
            "changes": [change.as_json() for change in self.changes],
        }

    def report(self) -> str:
        if not self.changes:
            return "SDK surface: no changes\n"
        count = len(self.changes)
        lines = [f"SDK surface: {count} change{'s' * (count != 1)}, {len(self.breaking)} breaking"]
        label = {MAJOR: "breaking", MINOR: "added", PATCH: "changed"}
        lines += [f"  {label[c.level]:<9} {c.where}: {c.what}" for c in self.changes]
        lines.append(f"semver: {self.bump} bump{self._version_note()}")
        return "\n".join(lines) + "\n"

    def _version_note(self) -> str:
        following = self.next_version
        if following is None:
            return ""
        note = f" (next version {following}"
        if self.old_version.startswith("0.") and self.bump == MAJOR:
            note += ": a 0.x version takes breaking changes in its minor number"
        if self.new_version != self.old_version:
            note += f"; the config says {self.new_version}"
        return note + ")"


def compare_surfaces(old: Mapping[str, Any], new: Mapping[str, Any]) -> SurfaceDiff:
    changes: list[Change] = []
    _client(changes, old, new)
    _resources(changes, old.get("resources", {}), new.get("resources", {}))
    for name, before, after in _common(changes, "params", old, new, "params class"):
        _fields(changes, name, before["fields"], after["fields"], SENT, "field")
    for name, before, after in _common(changes, "aliases", old, new, "type alias"):
        _type(changes, name, before, after, SENT)
    for name, before, after in _common(changes, "models", old, new, "response model"):
        where = f"model {name}"
        if "type" in before and "type" in after:
            _type(changes, where, before["type"], after["type"], READ)
        _fields(changes, where, before["fields"], after["fields"], READ, "field")
    return SurfaceDiff(
        tuple(changes), str(old.get("version", "")), str(new.get("version", "")) or "?"
    )


def _common(
    changes: list[Change], key: str, old: Mapping[str, Any], new: Mapping[str, Any], kind: str
) -> list[tuple[str, Any, Any]]:
    """The entries of `key` on both sides; those on one side only are reported here."""
    before, after = old.get(key, {}), new.get(key, {})
    for name in before.keys() - after.keys():
        changes.append(Change(name, f"{kind} removed", MAJOR))
    for name in after.keys() - before.keys():
        changes.append(Change(name, f"{kind} added", MINOR))
    _sort_tail(changes, len(before.keys() ^ after.keys()))
    return [(name, before[name], after[name]) for name in sorted(before.keys() & after.keys())]


def _sort_tail(changes: list[Change], count: int) -> None:
    if count:
        changes[-count:] = sorted(changes[-count:], key=lambda c: (c.where, c.what))


# What a caller writes or sets for each client setting: a changed name breaks imports and
# environments; a changed default address sends the same calls elsewhere.
_CLIENT = (
    ("sync", "client class", MAJOR),
    ("async", "async client class", MAJOR),
    ("api_key_env", "API key variable", MAJOR),
    ("base_url_env", "base URL variable", MAJOR),
    ("default_base_url", "default base URL", PATCH),
)


def _client(changes: list[Change], old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    if old.get("package") != new.get("package"):
        changes.append(
            Change("package", f"renamed: {old.get('package')} -> {new.get('package')}", MAJOR)
        )
    before, after = old.get("client", {}), new.get("client", {})
    for key, label, level in _CLIENT:
        if before.get(key) != after.get(key):
            was, now = before.get(key) or "(none)", after.get(key) or "(none)"
            changes.append(Change("client", f"{label}: {was} -> {now}", level))


def _resources(changes: list[Change], old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    for name in sorted(old.keys() | new.keys()):
        if name not in new:
            changes.append(Change(name, "resource removed", MAJOR))
        elif name not in old:
            changes.append(Change(name, "resource added", MINOR))
        else:
            _methods(changes, name, old[name]["methods"], new[name]["methods"])


def _methods(
    changes: list[Change], resource: str, old: Mapping[str, Any], new: Mapping[str, Any]
) -> None:
    removed = sorted(old.keys() - new.keys())
    added = sorted(new.keys() - old.keys())
    # One operation under another name: a rename, which callers meet as one change.
    renamed = {
        gone: made for gone in removed for made in added if old[gone]["route"] == new[made]["route"]
    }
    for gone in removed:
        if gone in renamed:
            changes.append(Change(f"{resource}.{gone}", f"renamed to {renamed[gone]}", MAJOR))
        else:
            changes.append(Change(f"{resource}.{gone}", "method removed", MAJOR))
    for made in added:
        if made not in renamed.values():
            changes.append(Change(f"{resource}.{made}", "method added", MINOR))
    for name in sorted(old.keys() & new.keys()):
        _method(changes, f"{resource}.{name}", old[name], new[name])


def _method(
    changes: list[Change], where: str, old: Mapping[str, Any], new: Mapping[str, Any]
) -> None:
    if old["route"] != new["route"]:
        changes.append(Change(where, f"route changed: {old['route']} -> {new['route']}", PATCH))
    _fields(changes, where, old["arguments"], new["arguments"], SENT, "argument")
    if old["streams"] and not new["streams"]:
        changes.append(Change(where, "no longer streams", MAJOR))
    elif new["streams"] and not old["streams"]:
        changes.append(Change(where, "can stream (stream=True)", MINOR))
    else:
        _type(changes, f"{where} returns", old["returns"], new["returns"], READ)


def _type(changes: list[Change], where: str, old: str, new: str, direction: str) -> None:
    found = type_change(old, new, direction)
    if found is not None:
        changes.append(Change(where, found.detail, MAJOR if found.breaking else MINOR))


def _fields(
    changes: list[Change],
    where: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    direction: str,
    noun: str,
) -> None:
    """Arguments or fields: `SENT` by the caller (arguments, params) or `READ` (models)."""
    removed = [name for name in old if name not in new]
    added = [name for name in new if name not in old]
    renamed = {
        gone: made
        for gone in removed
        for made in added
        if "wire" in old[gone] and _same_wire(old[gone], new[made])
    }
    left = [gone for gone in removed if gone not in renamed]
    made_left = [made for made in added if made not in renamed.values()]
    # One gone and one new of the same type in the same place: the spec renamed it.
    if len(left) == 1 and len(made_left) == 1 and _same_kind(old[left[0]], new[made_left[0]]):
        renamed[left[0]] = made_left[0]
    for gone in removed:
        if gone in renamed:
            changes.append(Change(where, f"{noun} '{gone}' renamed to '{renamed[gone]}'", MAJOR))
        else:
            changes.append(Change(where, f"{noun} '{gone}' removed", MAJOR))
    for made in added:
        if made in renamed.values():
            continue
        required = new[made]["required"]
        level = MAJOR if required and direction == SENT else MINOR
        changes.append(
            Change(
                where, f"{noun} '{made}' added ({'required' if required else 'optional'})", level
            )
        )
    for name in [n for n in old if n in new]:
        _field(changes, where, f"{noun} '{name}'", old[name], new[name], direction)


def _same_kind(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    return bool(old["type"] == new["type"] and old.get("in") == new.get("in"))


def _same_wire(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    return bool(old.get("wire") == new.get("wire") and old.get("in") == new.get("in"))


def _field(
    changes: list[Change],
    where: str,
    label: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    direction: str,
) -> None:
    if old["required"] != new["required"]:
        # A caller must now pass what it could leave out; a reader may now find it missing.
        tightened = new["required"] if direction == SENT else old["required"]
        state = "required now" if new["required"] else "optional now"
        changes.append(Change(where, f"{label} {state}", MAJOR if tightened else MINOR))
    found = type_change(old["type"], new["type"], direction)
    if found is not None:
        changes.append(
            Change(where, f"{label}: {found.detail}", MAJOR if found.breaking else MINOR)
        )
    for key, noun in (("wire", "sent as"), ("in", "sent in the")):
        if key in old and old.get(key) != new.get(key):
            changes.append(
                Change(where, f"{label} {noun} {new.get(key)!r} (was {old.get(key)!r})", PATCH)
            )
