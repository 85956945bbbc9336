"""A JSON Schema for facts.toml, made from the same field specs ingest.validate checks against.

Editors that validate TOML with JSON Schema (Taplo / Even Better TOML) can then flag a wrong
field while it is typed. The schema checks shapes: fields, types, allowed values and date
forms. What needs the whole file (unique ids, references that resolve, real calendar dates,
quotes found in their articles) stays with `kzkg verify`.
"""

from __future__ import annotations

from typing import Any

from kzkg_cli.core.fields import Spec, TableSpec, record_spec, table_of
from kzkg_cli.core.model import KIND_BY_NAME

_DATE = r"\d{4}(-\d{2}(-\d{2})?)?"
_SCALARS: dict[str, dict[str, Any]] = {
    "str": {"type": "string", "pattern": r"\S"},
    "bool": {"type": "boolean"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
}


def schema_text(compact: bool) -> str:
    """The schema as `kzkg schema` prints it: indented JSON, or one line, and a newline."""
    import json

    indent = None if compact else 2
    return json.dumps(fact_file_schema(), ensure_ascii=False, indent=indent) + "\n"


def fact_file_schema() -> dict[str, Any]:
    """The schema of a whole fact file (draft 2020-12)."""
    properties: dict[str, Any] = {"schema_version": {"const": 1}}
    tables = [record_spec(kind) for kind in KIND_BY_NAME]
    for table in tables:
        properties[str(table.kind)] = {
            "type": "array",
            "description": table.doc,
            "items": {"$ref": f"#/$defs/{table.name}"},
        }
    definitions: dict[str, Any] = {}
    for table in tables:
        _define(table, definitions)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "kzkg fact file",
        "description": "Kazakhstan–Kyrgyzstan facts, each citing an article and a verbatim quote.",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "$defs": definitions,
    }


def _define(table: TableSpec, definitions: dict[str, Any]) -> dict[str, Any]:
    """A reference to a table's definition, adding the definition (and its parts') once."""
    if table.name not in definitions:
        definitions[table.name] = {}  # placeholder: parts may refer back
        properties = {field.name: _of(field.spec, definitions) for field in table.fields}
        definitions[table.name] = {
            "type": "object",
            "description": table.doc,
            "properties": properties,
            "required": [field.name for field in table.fields if field.required],
            "additionalProperties": False,
        }
        definitions[table.name].update(_RULES.get(table.name, dict)())
    return {"$ref": f"#/$defs/{table.name}"}


def _reading_rules() -> dict[str, Any]:
    """A reading holds a value or a text, not both, and its flags qualify a value (as
    ingest.validate checks)."""
    return {
        "oneOf": [{"required": ["value"]}, {"required": ["text"]}],
        "dependentRequired": {"bound": ["value"]},
        "if": {"properties": {"approximate": {"const": True}}, "required": ["approximate"]},
        "then": {"required": ["value"]},
    }


def _conflict_rules() -> dict[str, Any]:
    """The readings hold what the conflict's field does: a number (a whole one for count),
    or one of the field's allowed words (ingest.validate.reading_fields)."""
    from kzkg_cli.ingest.validate import reading_fields

    rules = []
    for name, spec in reading_fields().items():
        item: dict[str, Any]
        if spec.shape == "choice":
            item = {"properties": {"text": {"enum": list(spec.choices)}}}
            item["not"] = {"required": ["value"]}
        else:
            item = {
                "properties": {"value": {"type": "integer" if spec.shape == "int" else "number"}}
            }
            item["not"] = {"required": ["text"]}
        rules.append(
            {
                "if": {"properties": {"field": {"const": name}}, "required": ["field"]},
                "then": {"properties": {"readings": {"items": item}}},
            }
        )
    return {"allOf": rules}


_RULES = {"Reading": _reading_rules, "Conflict": _conflict_rules}
"""What a table's fields say together, beyond each field's own shape."""


def _of(spec: Spec, definitions: dict[str, Any]) -> dict[str, Any]:
    """The schema of one field spec, as ingest.validate reads it (TOML has no null: a missing key
    is "none", so optional fields are simply not required)."""
    if spec.date == "date":
        return {"type": "string", "pattern": f"^{_DATE}$"}
    if spec.date == "period":
        return {"type": "string", "pattern": f"^{_DATE}(/{_DATE})?$"}
    if spec.shape == "choice":
        schema: dict[str, Any] = {"enum": list(spec.choices)}
    elif spec.shape == "array":
        assert spec.item is not None
        schema = {"type": "array", "items": _of(spec.item, definitions)}
    elif spec.shape == "table":
        schema = _define(table_of(spec), definitions)
    else:
        schema = dict(_SCALARS[spec.shape])
    if spec.ref is not None:
        schema["description"] = f"id of a record ({' or '.join(spec.ref) or 'any'})"
    elif spec.english:
        schema["description"] = "curated English of the field it is named after"
    return schema
