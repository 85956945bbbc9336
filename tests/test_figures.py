"""Figures read as the sources say them (present.figures): a bound or an approximation inside
the value, scale words, units and decimal marks in the view's language, one figure a cell,
and a conflict's readings as numbers with their flags."""

from __future__ import annotations

import re
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import jsonschema
import pytest
import tomli
from hypothesis import given
from hypothesis import strategies as st

from kzkg_cli.core import model
from kzkg_cli.core.errors import FactFileError
from kzkg_cli.index.store import Store
from kzkg_cli.ingest.schema import fact_file_schema
from kzkg_cli.ingest.validate import reading_fields, validate
from kzkg_cli.present import figures, views
from kzkg_cli.present.formats import LIST_SEPARATOR, unescape_tsv

from .conftest import Invoke, working_copy

LANGS = ("ru", "en")
LATIN = re.compile(r"[A-Za-z]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


# ----------------------------------------------------------------------------- reading back


class Parsed(NamedTuple):
    """A formatted figure read back by a reader who knows only the written conventions."""

    value: Decimal
    approximate: bool
    bound: str | None
    dollars: bool
    percent: bool
    unit: str


SPOKEN_BOUNDS = {
    "ru": {"свыше": "more_than", "менее": "less_than"},
    "en": {"more than": "more_than", "less than": "less_than"},
}
"""How each bound is said: "свыше 80%" as the Russian sources write it."""
SCALE_WORDS = {
    "ru": {"млн": 10**6, "млрд": 10**9, "трлн": 10**12},
    "en": {"mn": 10**6, "bn": 10**9, "tn": 10**12},
}
NUMBER = {
    "ru": re.compile(
        r"(?P<sign>[-+]?)(?P<dollar>\$?)(?P<digits>\d{1,3}(?:\u00a0\d{3})+|\d+)(?:,(?P<fraction>\d+))?"
    ),
    "en": re.compile(
        r"(?P<sign>[-+]?)(?P<dollar>\$?)(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d+))?"
    ),
}


def parse(text: str, lang: str) -> Parsed:
    """A figure as a reader of lang reads it: "свыше $1,4 млрд", "~4.2 mn t", "+21%"."""
    bound = None
    for said, name in SPOKEN_BOUNDS[lang].items():
        if text.startswith(said + " "):
            bound, text = name, text.removeprefix(said + " ")
    approximate = text.startswith("~")
    text = text.removeprefix("~")
    sign = "-" if text.startswith("-") else ""
    text = text.removeprefix("-")
    match = NUMBER[lang].match(text)
    assert match, text
    digits = re.sub(r"[,\u00a0]", "", match["digits"])
    value = Decimal(sign + digits + ("." + match["fraction"] if match["fraction"] else ""))
    rest = text[match.end() :]
    percent = rest.startswith("%")
    words = rest.removeprefix("%").split(" ", 2)[1:]
    if words and words[0] in SCALE_WORDS[lang]:
        value *= SCALE_WORDS[lang][words.pop(0)]
    return Parsed(value, approximate, bound, match["dollar"] == "$", percent, " ".join(words))


def exact(value: float) -> Decimal:
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


# ----------------------------------------------------------------------------- formatting


def test_every_bound_of_the_model_has_its_words_in_both_languages() -> None:
    assert set(figures.BOUNDS) == set(typing.get_args(model.Bound))
    for lang in LANGS:
        assert {figures.BOUNDS[b][lang] for b in figures.BOUNDS} == set(SPOKEN_BOUNDS[lang])


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["more than 80%", "~$2 bn", "$1.4 bn", "4.2 mn t", "80.5%", "$1.35 bn"]),
        ("ru", ["свыше 80%", "~$2 млрд", "$1,4 млрд", "4,2 млн т", "80,5%", "$1,35 млрд"]),
    ],
)
def test_the_issues_examples(lang: str, expected: list[str]) -> None:
    tonnes = figures.unit_of({"count_unit": "тонн", "count_unit_en": "tonnes"}, "count_unit", lang)
    assert [
        figures.percent(80, lang, bound="more_than"),
        figures.money(2_000_000_000, lang, approximate=True),
        figures.money(1.4e9, lang),
        figures.count(4_200_000, tonnes, lang),
        figures.percent(80.5, lang),
        figures.money(1.35e9, lang),
    ] == expected


def test_a_number_no_scale_keeps_exact_is_written_whole() -> None:
    assert figures.money(1_234_567_891, "en") == "$1,234,567,891"
    assert figures.money(1_234_567_891, "ru") == "$1\u00a0234\u00a0567\u00a0891"
    assert figures.count(195, "товарных позиций", "ru") == "195 товарных позиций"


figure_values = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=0, max_value=10**13, places=3).map(float),
)
flags = st.tuples(st.booleans(), st.sampled_from([None, *figures.BOUNDS]))


@given(value=figure_values, flag=flags, lang=st.sampled_from(LANGS))
def test_money_reads_back_as_the_stored_number(
    value: float, flag: tuple[bool, str | None], lang: str
) -> None:
    approximate, bound = flag
    text = figures.money(value, lang, approximate, bound)
    read = parse(text, lang)
    assert read.value == exact(value), text
    assert read.dollars and not read.unit, text
    assert read.bound == bound and read.approximate == (approximate and not bound), text
    assert not (LATIN if lang == "ru" else CYRILLIC).search(text), text


@given(value=figure_values, signed=st.booleans(), lang=st.sampled_from(LANGS))
def test_percentages_read_back_with_the_decimal_mark_of_the_language(
    value: float, signed: bool, lang: str
) -> None:
    text = figures.percent(value, lang, signed=signed)
    read = parse(text, lang)
    assert read.percent and read.value == exact(value), text
    assert text.startswith("+") == (signed and value > 0), text
    assert not (LATIN if lang == "ru" else CYRILLIC).search(text), text


@given(
    value=st.integers(min_value=0, max_value=10**14),
    unit=st.sampled_from(["тонн", "товарных позиций", None]),
    lang=st.sampled_from(LANGS),
)
def test_counts_read_back_with_their_unit(value: int, unit: str | None, lang: str) -> None:
    row = {"count_unit": unit, "count_unit_en": {"тонн": "tonnes"}.get(unit or "", "items")}
    shown = figures.unit_of(row, "count_unit", lang) if unit else None
    text = figures.count(value, shown, lang)
    read = parse(text, lang)
    assert read.value == value and read.unit == (shown or ""), text


# ----------------------------------------------------------------------------- the trade view


def columns(store: Store, lang: str) -> list[str]:
    return [column.header for column in views.trade(store, lang).columns]


FIGURE_COLUMNS = {"value": "value_usd", "share": "share_pct", "quantity": "count"}


def cells(invoke: Invoke, lang: str, *args: str) -> list[list[list[str]]]:
    """The trade TSV's lines, each a list of cells, each a list of items."""
    out = invoke("trade", "--lang", lang, "--format", "tsv", *args).stdout
    return [
        [[unescape_tsv(i) for i in cell.split(LIST_SEPARATOR)] for cell in line.split("\t")]
        for line in out.splitlines()
    ]


def test_a_bound_reads_inside_the_figure(invoke: Invoke, real_store: Store) -> None:
    rows = invoke("trade", "--json").json()
    bounded = [i for i, row in enumerate(rows) if row["bound"] == "more_than"]
    assert bounded, "the shipped file has 'свыше 80%'"
    header = columns(real_store, "en")
    for lang, words in (("en", "more than"), ("ru", "свыше")):
        lines = cells(invoke, lang)
        assert len(lines) == len(rows)
        for i in bounded:
            row, line = rows[i], lines[i]
            key = figures.qualified_key(row)
            header_of_key = next(h for h, k in FIGURE_COLUMNS.items() if k == key)
            [shown] = line[header.index(header_of_key)]
            assert shown.startswith(words + " "), shown
            marks = [m for m in line[header.index("note")] if not m.startswith("CONFLICT:")]
            assert not any(w in m for m in marks for w in (words, "more than", "approx")), marks


def test_every_figure_cell_holds_one_figure_that_reads_back(
    invoke: Invoke, real_store: Store
) -> None:
    rows = invoke("trade", "--json").json()
    assert any(sum(row[key] is not None for key in FIGURE_COLUMNS.values()) > 1 for row in rows), (
        "the shipped file has a figure in dollars and a count ($260 mn, 195 items)"
    )
    for lang in LANGS:
        header = columns(real_store, lang)
        for row, line in zip(rows, cells(invoke, lang), strict=True):
            for name, key in (*FIGURE_COLUMNS.items(), ("growth", "growth_pct")):
                [shown] = line[header.index(name)]
                if row[key] is None:
                    assert shown == "", (name, row["id"])
                    continue
                assert len(re.findall(r"\d+(?:[.,\u00a0]\d+)*", shown)) == 1, shown
                read = parse(shown, lang)
                assert read.value == exact(row[key]), (shown, row[key])
                qualified = key == figures.qualified_key(row)
                assert read.approximate == (qualified and row["approximate"]), shown
                assert read.bound == (row["bound"] if qualified else None), shown
                assert not (LATIN if lang == "ru" else CYRILLIC).search(shown), shown


def test_the_note_gives_each_conflict_with_its_readings(invoke: Invoke, real_store: Store) -> None:
    rows = invoke("trade", "--json").json()
    disputed = [i for i, row in enumerate(rows) if row["conflicts"]]
    assert disputed
    for lang in LANGS:
        note = columns(real_store, lang).index("note")
        lines = cells(invoke, lang)
        for i in disputed:
            for conflict_id, item in zip(rows[i]["conflicts"], lines[i][note], strict=True):
                [conflict] = invoke("show", conflict_id, "--json").json()
                assert item.startswith(f"CONFLICT: {conflict_id}"), item
                shown = item.rsplit(": ", 1)[1].split(" / ")
                for text, reading in zip(shown, conflict["readings"], strict=True):
                    if reading["value"] is None:
                        assert text == reading["text"]
                        continue
                    read = parse(text, lang)
                    assert read.value == exact(reading["value"]), text
                    assert (read.approximate, read.bound) == (
                        reading["approximate"] and not reading["bound"],
                        reading["bound"],
                    ), text


# ----------------------------------------------------------------------------- readings


def test_readings_are_numbers_with_flags_in_the_shipped_file(invoke: Invoke) -> None:
    for conflict in invoke("export", "-t", "conflict").json():
        holds = reading_fields().get(conflict["field"])
        for reading in conflict["readings"]:
            assert (reading["value"] is None) != (reading["text"] is None), conflict["id"]
            if holds is not None and holds.shape in ("int", "float"):
                assert isinstance(reading["value"], int | float), conflict["id"]


def a_conflict(invoke: Invoke, facts: Path) -> tuple[str, list[dict[str, Any]]]:
    """A new conflict between two dollar figures of the file, each reading quoting its
    record; returns its TOML head and its readings as dicts."""
    rows = [r for r in invoke("trade", "--facts", str(facts), "--json").json() if r["value_usd"]]
    first, second = rows[:2]
    readings = [{"value": row["value_usd"], "sources": row["sources"]} for row in (first, second)]
    head = (
        f'[[conflict]]\nid = "test-conflict"\nfield = "value_usd"\n'
        f'records = ["{first["id"]}", "{second["id"]}"]\ncertainty = "possible"\n'
        'certainty_note = "A test."\nsummary = "Проверка."\nsummary_en = "A test."\n'
    )
    return head, readings


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    return repr(value)


def append(facts: Path, head: str, readings: list[dict[str, Any]]) -> None:
    body = "readings = [\n" + "".join(f"  {toml_value(r)},\n" for r in readings) + "]\n"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n" + head + body, encoding="utf-8")


def test_a_new_conflict_of_numbers_verifies_and_shows(invoke: Invoke, tmp_path: Path) -> None:
    facts = working_copy(tmp_path)
    head, readings = a_conflict(invoke, facts)
    append(facts, head, readings)
    result = invoke("verify", "--strict", "--facts", str(facts))
    assert result.code == 0, result.stdout
    chart = invoke("trade", "--chart", "--lang", "en", "--indicator", "turnover",
                   "--facts", str(facts), env={"COLUMNS": "80"}).stdout  # fmt: skip
    if "test-conflict" in chart:  # its records are turnover figures
        assert all(figures.money(r["value"], "en") in " ".join(chart.split()) for r in readings)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"value": "около {value}"},
            "got a string (did you mean value = {value} and approximate = true?)",
        ),
        ({"value": "свыше {value}"}, 'did you mean value = {value} and bound = "more_than"?'),
        ({"text": "agreed"}, "not both"),
        ({"value": None, "text": "около {value}"}, "value_usd holds a number: write it as value"),
        ({"value": None}, "a reading has its value (a number) or its text (words)"),
        ({"bound": "more_tan"}, "did you mean 'more_than'?"),
    ],
)
def test_a_bad_reading_says_what_to_write(
    invoke: Invoke, tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    facts = working_copy(tmp_path)
    head, readings = a_conflict(invoke, facts)
    value = readings[0]["value"]
    changed = {k: v.format(value=value) if isinstance(v, str) else v for k, v in change.items()}
    readings[0] = {k: v for k, v in {**readings[0], **changed}.items() if v is not None}
    append(facts, head, readings)
    result = invoke("verify", "--facts", str(facts))
    assert result.code == 3
    assert "conflict[" in result.stdout and message.format(value=value) in result.stdout, (
        result.stdout
    )


def test_a_status_reading_is_one_of_the_fields_words(invoke: Invoke, tmp_path: Path) -> None:
    facts = working_copy(tmp_path)
    [initiative, *_] = [
        r for r in invoke("export", "-t", "initiative", "--facts", str(facts)).json()
        if r["status"]
    ]  # fmt: skip
    head = (
        f'[[conflict]]\nid = "test-status"\nfield = "status"\nrecords = ["{initiative["id"]}"]\n'
        'certainty = "possible"\ncertainty_note = "A test."\nsummary = "Проверка."\n'
        'summary_en = "A test."\n'
    )
    source = initiative["sources"][0]
    append(facts, head, [{"text": initiative["status"][:-1] + "x", "sources": [source]}])
    result = invoke("verify", "--facts", str(facts))
    assert result.code == 3 and f"did you mean '{initiative['status']}'?" in result.stdout


def test_a_reading_the_quotes_do_not_state_is_reported(invoke: Invoke, tmp_path: Path) -> None:
    facts = working_copy(tmp_path)
    head, readings = a_conflict(invoke, facts)
    readings[0]["value"] = readings[0]["value"] * 7 + 13_000_000
    append(facts, head, readings)
    result = invoke("verify", "--strict", "--facts", str(facts))
    assert result.code != 0 and "readings[0].value:" in result.stdout
    assert "not in its quotes" in result.stdout
    readings[0] |= {"value_inferred": True, "value_note": "A test."}
    before = facts.read_text(encoding="utf-8").rsplit("\n[[conflict]]", 1)[0]
    facts.write_text(before, encoding="utf-8")
    append(facts, head, readings)
    assert invoke("verify", "--strict", "--facts", str(facts)).code == 0


READING_SHAPES = [
    ({"value": 1_700_000_000}, "value_usd"),
    ({"value": 2_000_000_000, "approximate": True}, "value_usd"),
    ({"value": 80, "bound": "more_than"}, "share_pct"),
    ({"value": 8}, "count"),
    ({"value": 7.5}, "count"),
    ({"text": "agreed"}, "status"),
    ({"text": "agred"}, "status"),
    ({"value": 3}, "status"),
    ({"text": "3"}, "value_usd"),
    ({"text": "agreed", "approximate": True}, "status"),
    ({"text": "agreed", "bound": "less_than"}, "status"),
    ({"text": "agreed", "approximate": False}, "status"),
    ({"value": 1, "text": "agreed"}, "status"),
    ({}, "value_usd"),
    ({"text": "2025-11-03"}, "date"),
]


@pytest.mark.parametrize(("reading", "field"), READING_SHAPES)
def test_the_schema_and_the_loader_agree_on_readings(reading: dict[str, Any], field: str) -> None:
    data = {
        "source": [{"id": "a", "lead": "Текст.", "sources": [{"doc": "a", "quote": "Текст."}]}],
        "conflict": [
            {
                "id": "c",
                "field": field,
                "records": ["a"],
                "summary": "Проверка.",
                "certainty": "possible",
                "readings": [{**reading, "sources": [{"doc": "a", "quote": "Текст."}]}],
            }
        ],
    }
    schema_says = jsonschema.Draft202012Validator(fact_file_schema()).is_valid(data)
    try:
        validate(tomli.loads(toml_file(data)), "", "facts.toml")
        loader_says = True
    except FactFileError:
        loader_says = False
    assert schema_says == loader_says, (reading, field, schema_says)


def toml_file(data: dict[str, list[dict[str, Any]]]) -> str:
    return "".join(
        f"[[{kind}]]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in record.items())
        for kind, records in data.items()
        for record in records
    )
