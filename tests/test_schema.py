"""`kzkg schema` accepts what the loader accepts and rejects what it rejects for its shape."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import tomli

from kzkg_cli.core.errors import FactFileError
from kzkg_cli.ingest.read import parse_toml
from kzkg_cli.ingest.schema import fact_file_schema
from kzkg_cli.ingest.validate import validate

from .conftest import DATA, MINI_FACTS, REAL_FACTS, Invoke

VALIDATOR = jsonschema.Draft202012Validator(fact_file_schema())


def as_json(value: Any) -> Any:
    """Parsed TOML as an editor's JSON view of it: dates become ISO strings."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def schema_accepts(data: dict[str, Any]) -> bool:
    return bool(VALIDATOR.is_valid(as_json(data)))


# What only the whole file can tell, and so the schema leaves to `kzkg verify`.
LINK_PROBLEMS = (
    "unknown id",
    "duplicate id",
    "is not the id of any",
    "' is a ",  # a reference to a record of the wrong kind
    "is not a real date",
)


def loader_accepts(data: dict[str, Any]) -> bool:
    """The loader's verdict on the shape of the file (links and calendars aside)."""
    try:
        validate(data, "", "facts.toml")
    except FactFileError as exc:
        shape = [p for p in exc.problems if not any(t in p.message for t in LINK_PROBLEMS)]
        return not shape
    return True


def test_the_schema_is_valid_json_schema_and_the_command_prints_it(invoke: Invoke) -> None:
    jsonschema.Draft202012Validator.check_schema(fact_file_schema())
    assert json.loads(invoke("schema").stdout) == fact_file_schema()
    assert len(invoke("schema", "--compact").stdout.splitlines()) == 1


@pytest.mark.parametrize("path", [REAL_FACTS, MINI_FACTS], ids=["real", "mini"])
def test_valid_fact_files_pass(path: Path) -> None:
    data = tomli.loads(path.read_text(encoding="utf-8"))
    errors = [e.message for e in VALIDATOR.iter_errors(as_json(data))]
    assert errors == []


SHAPE_PROBLEMS = [
    "unknown_field.toml",
    "wrong_type.toml",
    "missing_field.toml",
    "bad_literal.toml",
    "bad_date_shape.toml",
    "unknown_kind.toml",
    "not_an_array.toml",
]


@pytest.mark.parametrize("name", SHAPE_PROBLEMS)
def test_files_the_loader_rejects_for_their_shape_fail(name: str) -> None:
    data = tomli.loads((DATA / "bad" / name).read_text(encoding="utf-8"))
    assert not loader_accepts(data)
    assert not schema_accepts(data)


def field_mutations() -> list[tuple[str, int, str, Any]]:
    """(kind, index, field, new value): every field of every mini record, set to values of
    every other TOML type, and every field removed (None)."""
    data = tomli.loads(MINI_FACTS.read_text(encoding="utf-8"))
    cases = []
    for kind, records in data.items():
        if not isinstance(records, list):
            continue
        for index, record in enumerate(records):
            for field in record:
                for value in (7, 2.5, True, [], ["x"], {"x": 1}, " ", None):
                    cases.append((kind, index, field, value))
    return cases


@pytest.mark.parametrize(("kind", "index", "field", "value"), field_mutations())
def test_schema_and_loader_agree_on_every_field_mutation(
    kind: str, index: int, field: str, value: Any
) -> None:
    data = parse_toml(MINI_FACTS.read_text(encoding="utf-8"), "facts.toml")
    record = data[kind][index]
    if value is None:
        del record[field]
    else:
        record[field] = value
    schema_says = schema_accepts(data)
    loader_says = loader_accepts(parse_again(data))
    assert schema_says == loader_says, (kind, field, value, schema_says, loader_says)


def parse_again(data: dict[str, Any]) -> dict[str, Any]:
    """A fresh copy (validation consumes the parsed tables)."""
    copy: dict[str, Any] = json.loads(json.dumps(as_json(data)))
    return copy
