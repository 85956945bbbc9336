"""A JSON Schema for facts.toml, made from the same type hints the loader validates against.

Editors that validate TOML with JSON Schema (Taplo / Even Better TOML) can then flag a wrong
field while it is typed. The schema checks shapes: fields, types, allowed values and date
forms. What needs the whole file (unique ids, references that resolve, real calendar dates,
quotes found in their articles) stays with `kzkg verify`.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any

from kzkg_cli.model import RECORD_TYPES, DateText, EnglishText, PeriodText, Record, Ref

_DATE = r"\d{4}(-\d{2}(-\d{2})?)?"


def fact_file_schema() -> dict[str, Any]:
    """The schema of a whole fact file (draft 2020-12)."""
    properties: dict[str, Any] = {"schema_version": {"const": 1}}
    for cls in RECORD_TYPES:
        properties[cls.kind_name] = {
            "type": "array",
            "description": _first_line(cls.__doc__),
            "items": {"$ref": f"#/$defs/{cls.__name__}"},
        }
    definitions: dict[str, Any] = {}
    for cls in RECORD_TYPES:
        _define(cls, definitions)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "kzkg fact file",
        "description": "Kazakhstan–Kyrgyzstan facts, each citing an article and a verbatim quote.",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "$defs": definitions,
    }


def _define(cls: type[Any], definitions: dict[str, Any]) -> dict[str, Any]:
    """A reference to cls's definition, adding the definition (and its parts') once."""
    name = cls.__name__
    if name not in definitions:
        definitions[name] = {}  # placeholder: parts may refer back
        hints = typing.get_type_hints(cls, include_extras=True)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in dataclasses.fields(cls):
            properties[field.name] = _of(hints[field.name], definitions)
            no_default = field.default is dataclasses.MISSING
            if no_default and field.default_factory is dataclasses.MISSING:
                required.append(field.name)
        definitions[name] = {
            "type": "object",
            "description": _first_line(cls.__doc__),
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }
        if isinstance(cls, type) and issubclass(cls, Record) and cls.kind_name == "conflict":
            definitions[name]["required"] = [r for r in required if r != "sources"]
    return {"$ref": f"#/$defs/{name}"}


def _of(hint: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    """The schema of one type hint, as the loader reads it."""
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        base, *markers = typing.get_args(hint)
        schema = _of(base, definitions)
        for marker in markers:
            if isinstance(marker, DateText):
                schema = {"type": "string", "pattern": f"^{_DATE}$"}
            elif isinstance(marker, PeriodText):
                schema = {"type": "string", "pattern": f"^{_DATE}(/{_DATE})?$"}
            elif isinstance(marker, Ref):
                kinds = " or ".join(marker.kinds) or "any"
                schema = {**schema, "description": f"id of a record ({kinds})"}
            elif isinstance(marker, EnglishText):
                schema = {**schema, "description": "curated English of the field it is named after"}
        return schema
    if origin in (types.UnionType, typing.Union):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _of(options[0], definitions)  # TOML has no null: a missing key is "none"
    if origin is typing.Literal:
        return {"enum": list(typing.get_args(hint))}
    if origin is tuple:
        return {"type": "array", "items": _of(typing.get_args(hint)[0], definitions)}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _define(hint, definitions)
    simple = {str: {"type": "string", "pattern": r"\S"}, bool: {"type": "boolean"}}
    simple |= {int: {"type": "integer"}, float: {"type": "number"}}
    return dict(simple[hint])


def _first_line(doc: str | None) -> str:
    return (doc or "").strip().splitlines()[0] if doc else ""
