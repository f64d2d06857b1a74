"""The one call into datamodel-code-generator (DCG), with the options sdkforge uses.

Kept apart from `response_models` and importing nothing of sdkforge, so that the model
worker (`model_worker`) can load it without the rest of the generator.
"""

from __future__ import annotations

import warnings
from typing import Any

# DCG only accepts an absolute import path as base class; this one is rewritten to the
# package's runtime module, `.._models`, once DCG is done.
BASE_PLACEHOLDER = "sdkforge_placeholder_runtime._models"
_PLAIN_STRING_FORMATS = (
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uri-template",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "password",
    "byte",  # base64 text: pydantic's Base64Str would decode it, the client hands it back
)


def warm_up() -> None:
    """Import what `generate` needs; this is most of the cost of a first call."""
    import datamodel_code_generator.config
    import datamodel_code_generator.parser.openapi  # noqa: F401


def generate(
    schemas: dict[str, Any], version: str, aliases: dict[str, str] | None = None
) -> dict[str, str]:
    """DCG's modules, by file stem, for an OpenAPI document holding only `schemas`, whose
    fields are named by `aliases` (wire name -> Python name) where they say."""
    # Imported here: DCG takes a few hundred milliseconds to import and warm up, which
    # commands that generate no models should not pay.
    import datamodel_code_generator as dcg

    document = {
        "openapi": version,
        "info": {"title": "models", "version": "0"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    with warnings.catch_warnings():
        # Every $ref was followed and checked before; what DCG would warn about beyond
        # that is its own business, not the spec author's.
        warnings.simplefilter("ignore")
        result = dcg.generate(
            document,
            input_file_type=dcg.InputFileType.OpenAPI,
            **_options(f"{BASE_PLACEHOLDER}.BaseModel", aliases or {}),
        )
    if not isinstance(result, dict):
        raise TypeError(f"expected one module per schema, got {type(result).__name__}")
    return {
        path[0].removesuffix(".py"): code
        for path, code in result.items()
        if len(path) == 1 and path[0] != "__init__.py"
    }


def _options(base_class: str, aliases: dict[str, str]) -> dict[str, Any]:
    from datamodel_code_generator import LiteralType, PythonVersion
    from datamodel_code_generator.enums import DataModelType
    from datamodel_code_generator.format import DatetimeClassType

    return {
        "output_model_type": DataModelType.PydanticV2BaseModel,
        "target_python_version": PythonVersion.PY_310,
        "base_class": base_class,
        "enum_field_as_literal": LiteralType.All,  # Literal["a", "b"], no Enum classes
        "use_title_as_name": True,  # inline objects are named by their titles
        "treat_dot_as_module": True,  # `module.Name` keys: one module per component
        "use_exact_imports": True,  # `from .image import Image`, not `from . import image`
        "import_overrides": {"Literal": "typing_extensions"},  # as in the params modules
        "use_union_operator": False,  # Optional[T] / Union[...], as in the params modules
        "use_schema_description": True,  # class docstrings
        "use_field_description": True,  # attribute docstrings below each field
        "use_annotated": True,  # Annotated[..., Field(discriminator=...)] on unions
        "use_type_alias": True,  # a union is an alias, not a RootModel
        "collapse_root_models": True,  # enum and scalar components inline into fields
        "strict_nullable": True,  # required-but-nullable stays required
        "strict_refs": True,  # a dangling $ref fails instead of becoming Any
        # A client hands back what the API sent: pydantic's URL types rewrite the text (a
        # trailing slash), EmailStr needs a package we do not ship, SecretStr hides it, and
        # AwareDatetime rejects a timestamp without a zone.
        "type_mappings": [f"string+{name}=string" for name in _PLAIN_STRING_FORMATS],
        "output_datetime_class": DatetimeClassType.Datetime,
        "disable_timestamp": True,  # deterministic output
        "formatters": [],  # ruff formats the finished modules later
        # Python names as the params modules give them (`model_names`), the wire name as
        # each one's pydantic alias.
        "aliases": aliases,
    }
