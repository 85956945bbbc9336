"""--fields keeps the keys asked for, in order, in every data format; a bad one lists all."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kzkg_cli.core.fields import record_spec
from kzkg_cli.index.entries import answer_keys
from kzkg_cli.present import formats as render
from kzkg_cli.present.columns import Column, View

from .conftest import Invoke


def test_json_keeps_only_the_fields_asked_for_in_order(invoke: Invoke) -> None:
    full = invoke("who", "Бектенов", "--json").json()
    cut = invoke("who", "Бектенов", "--json", "--fields", "roles,id,name").json()
    assert [list(row) for row in cut] == [["roles", "id", "name"]]
    assert cut[0] == {key: full[0][key] for key in ("roles", "id", "name")}


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "tsv"])
def test_the_other_data_formats_too(invoke: Invoke, fmt: str) -> None:
    result = invoke("export", "--type", "trade", "--format", fmt, "--fields", "id,value_usd")
    assert result.code == 0
    if fmt == "jsonl":
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        assert all(list(row) == ["id", "value_usd"] for row in rows)
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert rows and all(list(row) == ["id", "value_usd"] for row in rows)
    else:
        lines = result.stdout.splitlines()
        assert lines and all(len(line.split("\t")) == 2 for line in lines)
        assert "turnover-2024\t1700000000" in lines


def test_an_unknown_field_is_a_usage_error_listing_the_valid_ones(invoke: Invoke) -> None:
    result = invoke("who", "Бектенов", "--json", "--fields", "id,nmae")
    assert result.code == 2 and result.stdout == ""
    assert "unknown field 'nmae'" in result.stderr
    assert "valid: id, type, name, name_latin, roles" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["who", "Бектенов", "--format", "table", "--fields", "id"],
        ["who", "Бектенов", "--json", "--fields", " , "],
        ["export", "--format", "sqlite", "x.db", "--fields", "id"],
    ],
)
def test_fields_where_they_cannot_apply(invoke: Invoke, args: list[str]) -> None:
    assert invoke(*args).code == 2


@pytest.mark.parametrize(
    ("command", "extra"),
    [
        (["who"], "match"),
        (["when"], None),
        (["trade"], None),
        (["borders"], None),
        (["agreements"], None),
        (["search", "Бишкек"], "score"),
        (["sources"], "facts"),
        (["show", "bektenov"], None),
    ],
)
def test_every_command_takes_fields(invoke: Invoke, command: list[str], extra: str | None) -> None:
    fields = "id,type" + (f",{extra}" if extra else "")
    result = invoke(*command, "--json", "--fields", fields)
    assert result.code == 0, result.stderr
    assert all(list(row) == fields.split(",") for row in result.json())


def test_the_valid_fields_are_the_keys_rows_really_have(invoke: Invoke) -> None:
    """answer_keys stays in step with the rows: every key printed is listed, in the order it
    is printed, and every field of the model is printed."""
    for row in invoke("export", "--json").json():
        listed = answer_keys(row["type"])
        assert [key for key in listed if key in row] == list(row)
        assert {f.name for f in record_spec(row["type"]).fields} <= set(row)


def test_fields_cells_are_neutralised_in_tsv() -> None:
    view = View("t", [Column("x", lambda row: render.plain_cell(row["x"]))])
    out = io.StringIO()
    assert render.write_tsv([{"x": "a\x1b[31mb"}], view, out) == 1
    assert out.getvalue() == "a\\x1b[31mb\n"
