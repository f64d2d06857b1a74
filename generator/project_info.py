"""What the generated project's metadata takes from the document's `info` (and
`externalDocs`), and the install line its README shows for `--out`.

pyproject.toml gets `license` as an SPDX expression (PEP 639): `info.license.identifier`
(OpenAPI 3.1), else the name when it is a well-known license, else `LicenseRef-<name>`, the
SPDX way to name a license without an identifier; and `[project.urls]` from the contact URL,
the terms of service, the external docs and the license URL. A value that cannot be put in
package metadata as it is (not an absolute http(s) URL, a quote in it) is left out: the
client does not depend on it, so it is not worth failing the run.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

# Only for annotations: the command line imports this module before it knows whether the
# cache answers, and the pipeline's modules are imported only when it does not.
if TYPE_CHECKING:
    from .model import Package
    from .resolve import Spec

DEFAULT_OUT = Path("generated")
# Printed into TOML basic strings: no quote, backslash, space or control character.
_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_SPDX_EXPRESSION = re.compile(r"[A-Za-z0-9.+\-:]+( +(AND|OR|WITH) +[A-Za-z0-9.+\-:]+)*")
# Licenses as documents often name them (OpenAPI 3.0 has only `name`), by SPDX identifier.
_WELL_KNOWN = {
    name.lower(): spdx
    for spdx, names in {
        "MIT": ("MIT", "MIT License"),
        "Apache-2.0": ("Apache-2.0", "Apache 2.0", "Apache License 2.0", "Apache License, 2.0"),
        "BSD-2-Clause": ("BSD-2-Clause", "BSD 2-Clause"),
        "BSD-3-Clause": ("BSD-3-Clause", "BSD 3-Clause", "BSD"),
        "ISC": ("ISC",),
        "MPL-2.0": ("MPL-2.0", "MPL 2.0", "Mozilla Public License 2.0"),
        "GPL-3.0-only": ("GPL-3.0", "GPLv3", "GPL 3.0"),
        "LGPL-3.0-only": ("LGPL-3.0", "LGPLv3"),
        "CC0-1.0": ("CC0-1.0", "CC0"),
        "Unlicense": ("Unlicense", "The Unlicense"),
    }.items()
    for name in names
}


def project_package(package: Package, spec: Spec, out: Path | None) -> Package:
    info = _mapping(spec.root.value, "info")
    licence = _mapping(info, "license")
    urls = (
        ("Homepage", _mapping(info, "contact").get("url")),
        ("Documentation", _mapping(spec.root.value, "externalDocs").get("url")),
        ("Terms of Service", info.get("termsOfService")),
        ("License", licence.get("url")),
    )
    return replace(
        package,
        license=_license(licence),
        urls=tuple(
            (label, url) for label, url in urls if isinstance(url, str) and _URL.fullmatch(url)
        ),
        install_path=install_path(out),
    )


def install_path(out: Path | None) -> str:
    """What `pip install` takes for `out`: `./generated`, `./sdk`, `../sdk` as it was given.
    An absolute path is made relative to the current folder; one outside it is named from
    its own parent (`./sdk`): a path of one machine has no place in a committed README."""
    path = PurePath(os.path.normpath(out if out is not None else DEFAULT_OUT))
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            path = PurePath(path.name or DEFAULT_OUT.name)
    text = path.as_posix()
    return text if text.startswith("../") else f"./{text}".removesuffix("/.")


def _license(licence: dict[str, Any]) -> str:
    identifier, name = licence.get("identifier"), licence.get("name")
    if isinstance(identifier, str) and _SPDX_EXPRESSION.fullmatch(identifier.strip()):
        return identifier.strip()
    if not isinstance(name, str) or not name.strip():
        return ""
    known = _WELL_KNOWN.get(" ".join(name.split()).lower())
    if known:
        return known
    reference = re.sub(r"[^A-Za-z0-9.\-]+", "-", name.strip()).strip("-.")
    return f"LicenseRef-{reference}" if reference else ""


def _mapping(parent: Any, key: str) -> dict[str, Any]:
    value = parent.get(key) if isinstance(parent, dict) else None
    return value if isinstance(value, dict) else {}
