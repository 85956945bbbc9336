"""The English layer: curated English beside the Russian, shown with --lang en / KZKG_LANG."""

from __future__ import annotations

import re
import shutil
import tomllib
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kzkg_cli.cli.settings import resolve_lang
from kzkg_cli.core.errors import UsageError
from kzkg_cli.core.fields import TableSpec, record_spec, table_spec
from kzkg_cli.core.lang import pick
from kzkg_cli.core.model import KIND_BY_NAME, EnglishText, Role
from kzkg_cli.index.store import Store
from kzkg_cli.present import views
from kzkg_cli.present.columns import View, as_text
from kzkg_cli.search import query

from .conftest import MINI_FACTS, REAL_FACTS, REAL_SEEDS, Invoke, grown_copy

CYRILLIC = re.compile(r"[\u0400-\u04ff]")

# Every view that shows record text, with the rows it is shown for.
VIEWS: dict[str, tuple[Callable[[Store, str], View], Callable[[Store], query.Answer]]] = {
    "who": (views.people, lambda s: query.who(s)),
    "when": (views.events, lambda s: query.when(s)),
    "trade": (views.trade, lambda s: query.trade(s)),
    "borders": (views.borders, lambda s: query.borders(s)),
    "agreements": (views.agreements, lambda s: query.agreements(s)),
    "sources": (
        lambda s, lang: views.sources(lang),
        lambda s: query.Answer([*query.source_rows(s)]),
    ),
    "export": (
        lambda s, lang: views.records(lang),
        lambda s: query.Answer([*query.export_rows(s)]),
    ),
}


@pytest.fixture
def store(real_store: Store) -> Store:
    return real_store


def english_pairs(table: TableSpec) -> dict[str, str]:
    return table.english_pairs()


# ----------------------------------------------------------------------------- the data


def test_every_russian_text_of_the_shipped_file_has_its_english() -> None:
    data = tomllib.loads(REAL_FACTS.read_text(encoding="utf-8"))
    checked: set[str] = set()
    for kind, records in data.items():
        if kind == "schema_version":
            continue
        for record in records:
            parts: list[tuple[TableSpec, dict[str, Any]]] = [(record_spec(kind), record)]
            parts += [(table_spec(Role), role) for role in record.get("roles", [])]
            for table, part in parts:
                for russian, english in english_pairs(table).items():
                    if part.get(russian):
                        checked.add(record["id"])
                        if not CYRILLIC.search(str(part[russian])):
                            continue  # a Latin text (the outlet BAQ.KZ) needs no English
                        assert part.get(english), (record["id"], english)
                        text = part[english]
                        text = "\n".join(text) if isinstance(text, list) else text
                        assert not CYRILLIC.search(text), (record["id"], english)
    every_id = {r["id"] for kind, rs in data.items() if kind != "schema_version" for r in rs}
    assert checked == every_id  # every record has some text, so every record was looked at


def test_every_english_field_pairs_with_the_russian_it_translates() -> None:
    for cls in (*KIND_BY_NAME.values(), Role):
        hints = typing.get_type_hints(cls, include_extras=True)
        marked = {
            name
            for name, hint in hints.items()
            if any(isinstance(m, EnglishText) for m in getattr(hint, "__metadata__", ()))
        }
        latin = {"name_latin"} & set(hints)
        table = table_spec(cls)
        assert set(english_pairs(table).values()) == marked | latin, cls.__name__
        assert {f.name for f in table.fields if f.spec.english} == marked, cls.__name__
        names = [field.name for field in table.in_row_order()]
        for russian, english in english_pairs(table).items():
            assert names.index(english) > names.index(russian)  # JSON shows the pair together


def test_quotes_stay_verbatim_russian(invoke: Invoke) -> None:
    for record in invoke("export", "--json").json():
        for ref in record["sources"]:
            assert CYRILLIC.search(ref["quote"]) or ref["quote"].startswith("date "), ref


# ----------------------------------------------------------------------------- choosing


def test_the_language_comes_from_the_option_then_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert resolve_lang(None) == "ru"
    monkeypatch.setenv("KZKG_LANG", " EN ")
    assert resolve_lang(None) == "en"
    assert resolve_lang("ru") == "ru"
    monkeypatch.setenv("KZKG_LANG", "")
    assert resolve_lang(None) == "ru"
    monkeypatch.setenv("KZKG_LANG", "de")
    with pytest.raises(UsageError, match="KZKG_LANG must be ru or en, not 'de'"):
        resolve_lang(None)
    assert resolve_lang("en") == "en"  # the option wins over a bad environment


@pytest.mark.parametrize(
    ("args", "env", "names"),
    [
        (["who", "Tokayev", "--lang", "de"], {}, "'--lang'"),
        (["who", "Tokayev"], {"KZKG_LANG": "english"}, "KZKG_LANG"),
        (["trade", "--chart"], {"KZKG_LANG": "fr"}, "KZKG_LANG"),
        (["who", "Tokayev", "--json"], {"KZKG_LANG": "x"}, "KZKG_LANG"),
    ],
)
def test_a_bad_language_is_a_one_line_usage_error(
    invoke: Invoke, args: list[str], env: dict[str, str], names: str
) -> None:
    result = invoke(*args, env=env)
    assert result.code == 2, result.stdout
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and names in result.stderr, result.stderr
    assert result.stderr.startswith("kzkg: error: ")


def test_option_environment_and_global_option_give_the_same_english(invoke: Invoke) -> None:
    by_option = invoke("when", "--year", "2025", "--lang", "en", "--format", "tsv")
    by_env = invoke("when", "--year", "2025", "--format", "tsv", env={"KZKG_LANG": "en"})
    by_global = invoke("--lang", "EN", "when", "--year", "2025", "--format", "tsv")
    russian = invoke("when", "--year", "2025", "--format", "tsv")
    assert by_option.code == 0
    assert by_option.stdout == by_env.stdout == by_global.stdout
    assert russian.stdout == invoke("when", "--year", "2025", "--lang", "ru", "-f", "tsv").stdout
    assert russian.stdout != by_option.stdout
    overridden = invoke(
        "when", "--year", "2025", "--lang", "ru", "-f", "tsv", env={"KZKG_LANG": "en"}
    )
    assert overridden.stdout == russian.stdout


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_data_formats_carry_both_languages_whatever_the_language(invoke: Invoke, fmt: str) -> None:
    russian = invoke("export", "--format", fmt)
    english = invoke("export", "--format", fmt, "--lang", "en")
    assert russian.stdout == english.stdout
    if fmt == "json":
        for row in russian.json():
            for russian_key, english_field in english_pairs(record_spec(row["type"])).items():
                if row.get(russian_key) and CYRILLIC.search(str(row[russian_key])):
                    assert row[english_field], (row["id"], english_field)


# ----------------------------------------------------------------------------- showing


@pytest.mark.parametrize("command", VIEWS)
def test_english_views_show_no_cyrillic_outside_the_cyrillic_column(
    store: Store, command: str
) -> None:
    make_view, ask = VIEWS[command]
    rows = ask(store).rows
    assert rows
    for column in make_view(store, "en").columns:
        if column.header == "cyrillic":
            continue
        for row in rows:
            assert not CYRILLIC.search(as_text(column.cell(row))), (
                command,
                column.header,
                row["id"],
            )


@pytest.mark.parametrize("command", ["who", "borders"])
def test_english_puts_the_latin_name_first_and_keeps_the_cyrillic(
    store: Store, command: str
) -> None:
    make_view, ask = VIEWS[command]
    for row in ask(store).rows:
        english = [column.cell(row) for column in make_view(store, "en").columns[:2]]
        russian = [column.cell(row) for column in make_view(store, "ru").columns[:2]]
        assert english == [row["name_latin"], row["name"]] == russian[::-1]


def test_roles_and_participants_are_english_in_english(store: Store) -> None:
    """In English, the offices column shows each office's English name and each
    description's English title; the participants column, the Latin names."""
    people = {row["id"]: row for row in query.who(store).rows}
    column = next(c for c in views.people(store, "en").columns if c.header.startswith("offices"))
    for row in query.who(store).rows:
        cell = as_text(column.cell(row))
        assert all(office["label_en"] in cell for office in row["offices"]), row["id"]
        descriptions = [role for role in row["roles"] if not role["office"]]
        assert all(role["title_en"] in cell for role in descriptions), row["id"]
    for row in query.when(store).rows:
        participants = views.events(store, "en").columns[3].cell(row)
        names = [people[p["id"]]["name_latin"] for p in row["participants"]]
        assert participants == names


def test_an_untranslated_record_shows_its_russian_in_english_mode(invoke: Invoke) -> None:
    rows = invoke("when", "--facts", str(MINI_FACTS), "--json").json()
    english = invoke("when", "--facts", str(MINI_FACTS), "--lang", "en", "-f", "tsv").stdout
    assert rows and all(row["title_en"] is None and row["title"] in english for row in rows)
    assert pick({"title": "Встреча", "title_en": ""}, "title", "en") == "Встреча"


def test_english_table_on_a_terminal_shows_the_english(invoke: Invoke) -> None:
    person = invoke("who", "Бектенов", "--json").json()[0]
    table = invoke("who", "Бектенов", "--lang", "en", "--format", "table").stdout
    assert person["name_latin"] in table
    assert person["roles"][0]["title_en"].split()[0] in table


def test_the_chart_explains_conflicts_in_the_chosen_language(
    invoke: Invoke, tmp_path: Path
) -> None:
    """On a grown copy, whose generated conflicts are about dollar figures."""
    facts = str(grown_copy(tmp_path))
    disputed = [r for r in invoke("trade", "--facts", facts, "--json").json() if r["conflicts"]]
    assert disputed
    indicator = disputed[0]["indicator"]
    conflict_ids = {
        c for row in disputed if row["indicator"] == indicator for c in row["conflicts"]
    }
    chart = ("trade", "--chart", "--indicator", indicator, "--facts", facts)
    charts = (invoke(*chart, "--lang", "en"), invoke(*chart))
    english, russian = (" ".join(chart.stdout.split()) for chart in charts)
    for conflict_id in conflict_ids:
        conflict = invoke("show", conflict_id, "--facts", facts, "--json").json()[0]
        assert conflict["summary_en"] in english and conflict["summary"] not in english
        assert conflict["summary"] in russian


# ----------------------------------------------------------------------------- finding


def test_english_titles_find_their_records(invoke: Invoke) -> None:
    for row in invoke("export", "--json").json():
        title = row.get("title_en")
        if title:
            found = invoke("search", title, "--json").json()
            assert row["id"] in [hit["id"] for hit in found[:3]], (title, found[:3])


def test_english_place_names_find_their_events(invoke: Invoke) -> None:
    events = invoke("when", "--json").json()
    for place in {row["place_en"] for row in events if row["place_en"]}:
        found = {row["id"] for row in invoke("when", place, "--json").json()}
        assert {row["id"] for row in events if row["place_en"] == place} <= found, place


# ----------------------------------------------------------------------------- verify


def test_verify_says_the_english_is_complete(invoke: Invoke) -> None:
    result = invoke("verify", "--strict")
    assert result.code == 0, result.stdout
    assert "English text complete" in result.stdout


def test_verify_warns_of_each_record_missing_english(invoke: Invoke) -> None:
    data = tomllib.loads(MINI_FACTS.read_text(encoding="utf-8"))
    expected = {
        (record["id"], english)
        for kind, records in data.items()
        if kind != "schema_version"
        for record in records
        for russian, english in english_pairs(record_spec(kind)).items()
        if record.get(russian)
        and not record.get(english)
        and CYRILLIC.search(str(record[russian]))  # a Latin text needs no English
    }
    result = invoke("verify", "--facts", str(MINI_FACTS), "--json")
    assert result.code == 0
    warnings = result.json()["warnings"]
    found = {
        (m.group(1), field)
        for w in warnings
        if (m := re.search(r"'([^']+)': no English text for (.*)$", w))
        for field in m.group(2).split(", ")
    }
    assert found == expected
    strict = invoke("verify", "--facts", str(MINI_FACTS), "--strict")
    assert strict.code == 3
    assert strict.stdout.count("no English text") == len(warnings)
    assert "not in its quotes" not in strict.stdout  # the file's values are all quoted


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'title_en = "Trade turnover in 2024"\n',
            "",
            "trade 'turnover-2024': no English text for title_en",
        ),
        (
            'title_en = "Head of our State", ',
            "",
            "person 'tokayev': no English text for roles[3].title_en",
        ),
        (
            'place_en = "Manas airport"',
            'place_en = "аэропорт Манас"',
            "event 'tokayev-arrival-manas-2025': Cyrillic letters in place_en",
        ),
    ],
)
def test_verify_names_the_record_line_and_field(
    invoke: Invoke, tmp_path: Path, old: str, new: str, message: str
) -> None:
    shutil.copytree(REAL_SEEDS, tmp_path / "seeds")
    text = REAL_FACTS.read_text(encoding="utf-8")
    assert text.count(old) == 1
    changed = text.replace(old, new)
    facts = tmp_path / "facts.toml"
    facts.write_text(changed, encoding="utf-8")
    result = invoke("verify", "--facts", str(facts))
    assert result.code == 0
    [warning] = [line for line in result.stdout.splitlines() if line.startswith("warning:")]
    record_id = message.split("'")[1]
    line = changed.splitlines().index(f'id = "{record_id}"') + 1
    assert warning == f"warning: {facts}:{line}: {message}"
    assert result.stdout.endswith("; 1 record lacks English text\n")
    assert invoke("verify", "--facts", str(facts), "--strict").code == 3
