"""The params modules in the generator's model (`model.py`): their fields, TypedDicts and
type aliases."""

from __future__ import annotations

from dataclasses import dataclass

from .samples import Sample
from .shape import NO_OBJECTS, KeyMap, Shape


@dataclass(frozen=True)
class Field:
    """One request parameter: a TypedDict key and a method argument."""

    name: str  # Python identifier
    wire_name: str  # key on the wire
    type: str  # the value's type, e.g. 'Optional[int]'
    required: bool
    docstring: str  # a ready-to-print string literal, or '' when the spec says nothing
    doc_text: str  # the description as plain text, for the method's Args block
    is_file: bool
    sample: Sample  # a value valid for this field, sent by the generated tests
    location: str = "body"  # 'body' (files included), 'path', 'query', 'header', 'cookie'
    shape: Shape = NO_OBJECTS  # the objects in its value, for their keys' wire names
    wire_keys: str = ""  # the `WireKeys` its value is sent with; '' when nothing is renamed

    @property
    def wire_literal(self) -> str:
        return repr(self.wire_name)

    @property
    def value(self) -> str:
        """The expression a method sends for it: the argument, its keys renamed if need be."""
        return f"to_wire({self.name}, {self.wire_keys})" if self.wire_keys else self.name

    @property
    def annotation(self) -> str:
        """Its annotation in a TypedDict, which declares the wire name when Python's differs."""
        renamed = self.name != self.wire_name
        annotated = f"Annotated[{self.type}, Alias({self.wire_name!r})]" if renamed else self.type
        return f"Required[{annotated}]" if self.required else annotated

    @property
    def annotation_literal(self) -> str:
        """The annotation with its type as a string: a functional TypedDict's values are
        evaluated when the module runs, before classes defined below it exist (`Required`
        stays outside, so that the class knows its required keys)."""
        return f"Required[{self.type!r}]" if self.required else repr(self.type)


@dataclass(frozen=True)
class TypedDictClass:
    name: str
    bases: str  # e.g. 'TypedDict, total=False'
    docstring: str
    fields: tuple[Field, ...]
    # `Name = TypedDict("Name", {...})`, for keys a class body cannot hold (`from`, `a-b`).
    functional: bool = False

    @property
    def is_empty(self) -> bool:
        """No docstring and no field: the class body needs a `pass`."""
        return not self.fields and not self.docstring


@dataclass(frozen=True)
class TypeAlias:
    name: str
    value: str
    # `X: TypeAlias = ...`, for an alias the config lists; a params union stays a plain
    # assignment, as in the reference SDK.
    annotated: bool = False


@dataclass(frozen=True)
class Module:
    """A generated Python module of type definitions."""

    path: str  # relative to the package, e.g. 'types/image_generate_params.py'
    imports: tuple[str, ...]  # full import lines
    classes: tuple[TypedDictClass, ...]
    aliases: tuple[TypeAlias, ...]
    exports: tuple[str, ...]  # the module's __all__
    # What `types/__init__.py` re-exports: the module's own names, not the nested TypedDicts,
    # which may share a name with a response model.
    reexports: tuple[str, ...] = ()
    key_maps: tuple[KeyMap, ...] = ()  # in the order they refer to one another
    # What its code may import, (module, name), before `layout.used_imports` keeps the used
    # ones: merge moves nested classes that several modules share into a module of their own.
    import_candidates: tuple[tuple[str, str], ...] = ()

    @property
    def dotted(self) -> str:
        return self.path.removesuffix(".py").replace("/", ".")

    @property
    def stem(self) -> str:
        return self.path.rsplit("/", 1)[-1].removesuffix(".py")
