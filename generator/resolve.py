"""Stage 2: follow `$ref`s and check the parts of the OpenAPI document the generator reads.

A `Node` is a piece of the document together with its path, so that anything found wrong
deep inside a schema can be reported at its own line and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from .diagnostics import Diagnostic, Location, Reporter, SpecError
from .load import Document, PathKey


# Never changed once made, but not a frozen dataclass: a large document makes hundreds of
# thousands of nodes, and a frozen one's constructor is four times as slow.
@dataclass(slots=True, unsafe_hash=True)
class Node:
    value: Any
    path: PathKey

    def get(self, key: str) -> Node | None:
        if isinstance(self.value, dict) and key in self.value:
            return Node(self.value[key], (*self.path, key))
        return None

    def items(self) -> list[tuple[str, Node]]:
        if not isinstance(self.value, dict):
            return []
        return [(key, Node(value, (*self.path, key))) for key, value in self.value.items()]

    def elements(self) -> list[Node]:
        if not isinstance(self.value, list):
            return []
        return [Node(value, (*self.path, index)) for index, value in enumerate(self.value)]


class Spec:
    """The OpenAPI document with `$ref` resolution and located errors."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.root = Node(document.data, ())
        # Where each `$ref` text leads (the same few hundred are followed tens of thousands of
        # times); only targets that exist are kept, so an error is raised each time.
        self._targets: dict[str, Node] = {}

    def locate(self, node: Node | PathKey) -> Location:
        return self.document.locate(node.path if isinstance(node, Node) else node)

    def error(self, node: Node | PathKey, message: str, hint: str) -> SpecError:
        """An error located at `node`, to raise."""
        return SpecError([Diagnostic(self.locate(node), message, hint)])

    def ref_name(self, node: Node) -> str | None:
        """The last segment of `node`'s own `$ref`, e.g. 'ImageModel'."""
        ref = node.value.get("$ref") if isinstance(node.value, dict) else None
        return (
            unquote(ref.rsplit("/", 1)[-1]).replace("~1", "/").replace("~0", "~")
            if isinstance(ref, str)
            else None
        )

    def deref(self, node: Node) -> Node:
        """Follow `$ref` until a node that is not a reference; errors name the `$ref`'s place."""
        seen: list[PathKey] = []
        while isinstance(node.value, dict) and "$ref" in node.value:
            if node.path in seen:
                # Reported where the cycle itself starts, not where this walk entered it, so
                # that every way into one cycle gives the same single error.
                cycle = seen[seen.index(node.path) :]
                chain = " -> ".join(pointer(p) for p in [*cycle, node.path])
                raise SpecError(
                    [
                        Diagnostic(
                            self.locate(cycle[0]),
                            f"circular $ref: {chain}",
                            "a schema cannot be only a reference to itself; break the cycle",
                        )
                    ]
                )
            seen.append(node.path)
            node = self._follow(node)
        return node

    def _follow(self, node: Node) -> Node:
        ref = node.value["$ref"]
        if isinstance(ref, str):
            found = self._targets.get(ref)
            if found is None:
                found = self._targets[ref] = self._target(node)
            return found
        return self._target(node)

    def _target(self, node: Node) -> Node:
        ref_node = node.get("$ref")
        assert ref_node is not None
        ref = ref_node.value
        where = self.locate(ref_node)
        if not isinstance(ref, str) or not ref.startswith("#/"):
            raise SpecError(
                [
                    Diagnostic(
                        where,
                        f"unsupported $ref {ref!r}",
                        "only references inside this document, starting with '#/', are supported",
                    )
                ]
            )
        current = self.root
        for raw_part in ref[2:].split("/"):
            part = unquote(raw_part).replace("~1", "/").replace("~0", "~")
            if (
                isinstance(current.value, list)
                and part.isdigit()
                and int(part) < len(current.value)
            ):
                current = Node(current.value[int(part)], (*current.path, int(part)))
                continue
            child = current.get(part)
            if child is None:
                raise SpecError(
                    [
                        Diagnostic(
                            where,
                            f"$ref {ref!r} points nowhere: no '{part}' in "
                            f"#/{'/'.join(map(str, current.path))}",
                            "fix the reference or add the missing schema",
                        )
                    ]
                )
            current = child
        return current


def pointer(path: PathKey) -> str:
    """`path` as a JSON pointer fragment: '#/paths/~1images/post'."""
    return "#" + "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def check_openapi_root(spec: Spec, reporter: Reporter) -> None:
    """Check what everything else stands on; raises (with what `reporter` holds) if broken.

    Problems found earlier, e.g. in the config, do not stop here: the spec can still be
    checked in full, so that one run reports the problems of both files.
    """
    found = _root_problems(spec)
    if found:
        reporter.diagnostics.extend(found)
        reporter.raise_if_any()


def _root_problems(spec: Spec) -> list[Diagnostic]:
    data = spec.root.value
    if not isinstance(data, dict):
        where = spec.locate(())
        return [
            Diagnostic(
                where, "an OpenAPI document must be a mapping", "start with `openapi: 3.1.0`"
            )
        ]
    found = []
    version = data.get("openapi")
    if "swagger" in data and "openapi" not in data:
        found.append(
            Diagnostic(
                spec.locate(("swagger",)),
                "not an OpenAPI 3.x document but Swagger 2.0",
                "convert it to OpenAPI 3, e.g. with swagger2openapi",
            )
        )
    elif not isinstance(version, str) or not version.startswith("3."):
        found.append(
            Diagnostic(
                spec.locate(("openapi",)),
                "not an OpenAPI 3.x document",
                "set `openapi: 3.1.0` or `openapi: 3.0.3`",
            )
        )
    if not isinstance(data.get("paths"), dict):
        found.append(
            Diagnostic(
                spec.locate(("paths",)),
                "the document has no 'paths' mapping",
                "describe the operations under `paths:`",
            )
        )
    return found
