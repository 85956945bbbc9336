"""Offices and tenure, descriptions, statements, events with extent and parts, references
resolved, and verify's support check: on a small fact base of our own (so each rule is shown
on a case built for it), then on the shipped one, as a new user would ask."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kzkg_cli.core.text import squash

from .conftest import DATA, REAL_SEEDS, Invoke

OWN = DATA / "offices"
"""A fact base of our own: one article (seeds/100_test.txt) and the records curated from it."""
ARTICLE = (OWN / "seeds" / "100_test.txt").read_text(encoding="utf-8")


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """A fact file of our own, with its one article in seeds/ beside it."""
    shutil.copytree(OWN, tmp_path, dirs_exist_ok=True)
    return tmp_path / "facts.toml"


def changed(facts: Path, old: str, new: str) -> Path:
    text = facts.read_text(encoding="utf-8")
    assert old in text
    facts.write_text(text.replace(old, new, 1), encoding="utf-8")
    return facts


def ids(result: object) -> list[str]:
    return [row["id"] for row in result.json()]  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------- support check


def test_a_base_whose_values_are_all_quoted_passes_strict(invoke: Invoke, base: Path) -> None:
    """Amounts ("1,7 млрд"), percentages, numeral words ("восемь"), dates in words and a
    role dated by its article's date line are all found."""
    result = invoke("verify", "--strict", "--facts", str(base))
    assert result.code == 0, result.stdout
    assert "every value found in its quotes" in result.stdout


@pytest.mark.parametrize(
    ("old", "new", "field", "value"),
    [
        ('place = "Бишкек"', 'place = "Астана"', "place", "'Астана'"),
        ("value_usd = 1700000000", "value_usd = 1800000000", "value_usd", "1,800,000,000"),
        ("growth_pct = 21", "growth_pct = 12", "growth_pct", "12%"),
        ("count = 8", "count = 7", "count", "7"),
        (
            'participants = ["petrov"]',
            'participants = ["sidorov"]',
            "participants",
            "the person 'sidorov'",
        ),
        (
            '"Переговоры в ходе визита."',
            '"Переговоры в ходе визита, 3 раунда."',
            "summary",
            "the number 3",
        ),
        ('date = "2025-03-02"\npart_of', 'date = "2025-03-03"\npart_of', "date", "'2025-03-03'"),
    ],
)
def test_a_value_missing_from_its_quotes_is_reported_field_by_field(
    invoke: Invoke, base: Path, old: str, new: str, field: str, value: str
) -> None:
    changed(base, old, new)
    text = base.read_text(encoding="utf-8")
    result = invoke("verify", "--facts", str(base))
    assert result.code == 0  # a warning without --strict
    [warning] = [line for line in result.stdout.splitlines() if "not in its quotes" in line]
    location, _, rest = warning.removeprefix("warning: ").partition(": ")
    line = int(location.rsplit(":", 1)[1])
    assert f" {field}: {value} not in its quotes" in f" {rest}"
    assert text.splitlines()[line - 1].startswith(field.split("[")[0]) or field == "participants"
    strict = invoke("verify", "--strict", "--facts", str(base))
    assert strict.code == 3 and "not in its quotes" in strict.stdout


def test_a_day_and_a_year_from_different_sentences_are_an_inference(
    invoke: Invoke, base: Path
) -> None:
    changed(
        base,
        'date = "2025-03-02"\npart_of = "visit"\nsummary = "Переговоры в ходе визита."',
        'date = "2025-03-02"\npart_of = "visit"\nsummary = "Переговоры в ходе визита."\n'
        "# the year stands only in the other quote",
    )
    changed(
        base,
        'quote = "2 марта 2025 года визит продолжился переговорами." }]\n\n[[statement]]',
        'quote = "визит продолжился переговорами" }, '
        '{ doc = "100_test", quote = "1 марта 2025 года" }]\n\n[[statement]]',
    )
    result = invoke("verify", "--facts", str(base))
    assert "event 'talks' date: '2025-03-02' not in its quotes" in result.stdout


def test_an_inferred_value_needs_a_note_saying_from_what(invoke: Invoke, base: Path) -> None:
    changed(base, 'place = "Бишкек"', 'place = "Астана"\nplace_inferred = true')
    result = invoke("verify", "--strict", "--facts", str(base))
    assert result.code == 3
    assert "place_inferred: marked inferred with no place_note" in result.stdout
    changed(base, "place_inferred = true", 'place_inferred = true\nplace_note = "From a photo."')
    assert invoke("verify", "--strict", "--facts", str(base)).code == 0


def test_a_role_title_outside_its_offices_wordings_is_flagged(invoke: Invoke, base: Path) -> None:
    changed(base, '"Премьер-министр Казахстана", "Премьер-министр", ', "")
    result = invoke("verify", "--facts", str(base))
    assert "person 'petrov' roles[0].title: title 'Премьер-министр Казахстана' is not among" in (
        result.stdout
    )


def test_a_conflict_must_say_how_sure_it_is(invoke: Invoke, base: Path) -> None:
    text = base.read_text(encoding="utf-8") + (
        '\n[[conflict]]\nid = "c"\nfield = "value_usd"\nrecords = ["turnover"]\n'
        'summary = "Два прочтения."\nsummary_en = "Two readings."\nreadings = [\n'
        '  { value = "1", sources = [{ doc = "100_test", quote = "1,7 млрд" }] },\n]\n'
    )
    base.write_text(text, encoding="utf-8")
    result = invoke("verify", "--facts", str(base))
    assert result.code == 3 and "certainty: missing required field" in result.stdout


# ----------------------------------------------------------------------------- offices, tenure


def test_in_office_between_the_first_and_last_attestation(invoke: Invoke, base: Path) -> None:
    facts = str(base)
    assert ids(invoke("who", "--at", "2025-06-15", "--facts", facts, "--json")) == ["petrov"]
    strict = invoke("who", "--at", "2025-06-15", "--attested", "--facts", facts, "--json")
    assert strict.code == 1 and strict.json() == []
    on_the_day = invoke("who", "--at", "2025-03-01", "--attested", "--facts", facts, "--json")
    assert ids(on_the_day) == ["petrov", "sidorov"]
    assert invoke("who", "--at", "2026", "--facts", facts, "--json").code == 1


def test_a_described_person_is_never_in_office(invoke: Invoke, base: Path) -> None:
    facts = str(base)
    for day in ("2025-03-01", "2025"):
        assert "omarov" not in ids(invoke("who", "--at", day, "--facts", facts, "--json"))
    [omarov] = invoke("who", "Омаров", "--facts", facts, "--json").json()
    assert omarov["kind"] == "figure" and omarov["offices"] == []
    writer = invoke("who", "--role", "писатель", "--facts", facts, "--json")
    assert ids(writer) == ["omarov"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("премьер-министр", ["petrov"]),
        ("глава правительства", ["petrov"]),
        ("Head of Government", ["petrov"]),
        ("prime minister", ["petrov"]),
        ("заместитель премьер-министра", ["sidorov"]),
        ("deputy", ["sidorov"]),
    ],
)
def test_role_words_name_offices_and_a_deputy_only_when_asked(
    invoke: Invoke, base: Path, role: str, expected: list[str]
) -> None:
    assert ids(invoke("who", "--role", role, "--facts", str(base), "--json")) == expected


def test_who_json_shows_each_office_with_its_attestations(invoke: Invoke, base: Path) -> None:
    [petrov] = invoke("who", "Петров", "--facts", str(base), "--json").json()
    [office] = petrov["offices"]
    assert office["id"] == "pm-kz" and office["kind"] == "head_of_government"
    assert (office["attested_first"], office["attested_last"]) == ("2025-03-01", "2025-12-10")
    assert [a["date"] for a in office["attestations"]] == ["2025-03-01", "2025-12-10"]
    assert petrov["roles"][0]["office"] == [
        {
            "id": "pm-kz",
            "label": "Премьер-министр Республики Казахстан",
            "label_en": "Prime Minister of the Republic of Kazakhstan",
            "kind": "head_of_government",
            "country": "KZ",
        }
    ]


def test_who_by_office_id_and_a_mistyped_one(invoke: Invoke, base: Path) -> None:
    facts = str(base)
    assert ids(invoke("who", "--office", "deputy-pm-kz", "--facts", facts, "--json")) == ["sidorov"]
    wrong = invoke("who", "--office", "pm-kzz", "--facts", facts)
    assert wrong.code == 2 and "did you mean 'pm-kz'" in wrong.stderr
    assert wrong.stdout == "" and wrong.stderr.count("\n") == 1
    alone = invoke("who", "--attested", "--facts", facts)
    assert alone.code == 2 and "--at" in alone.stderr


def test_an_office_lists_its_holders_by_name(invoke: Invoke, base: Path) -> None:
    [office] = invoke("show", "pm-kz", "--facts", str(base), "--json").json()
    assert [h["name"] for h in office["holders"]] == ["Иван Петров"]
    table = invoke("show", "pm-kz", "--facts", str(base), "--format", "tsv").stdout
    assert "holders\tИван Петров" in table


# ----------------------------------------------------------------------------- events, said


def test_a_day_filter_finds_an_event_that_spans_the_day(invoke: Invoke, base: Path) -> None:
    facts = str(base)
    day = invoke("when", "--from", "2025-03-02", "--to", "2025-03-02", "--facts", facts, "--json")
    assert ids(day) == ["visit", "talks"]
    first = invoke("when", "--from", "2025-03-01", "--to", "2025-03-01", "--facts", facts, "--json")
    assert ids(first) == ["visit"]


def test_an_event_lists_its_parts_and_documents(invoke: Invoke, base: Path) -> None:
    facts = str(base)
    [visit] = invoke("show", "visit", "--facts", facts, "--json").json()
    assert [(p["id"], p["title"]) for p in visit["parts"]] == [("talks", "Переговоры")]
    assert visit["participants"] == [{"id": "petrov", "name": "Иван Петров",
                                      "name_latin": "Ivan Petrov", "kind": "official"}]  # fmt: skip
    [talks] = invoke("show", "talks", "--facts", facts, "--json").json()
    assert talks["part_of"]["id"] == "visit" and talks["documents"][0]["id"] == "protocol"
    adopted = invoke("agreements", "--event", "visit", "--facts", facts, "--json")
    assert ids(adopted) == ["protocol"]  # signed at a part of the visit
    unknown = invoke("agreements", "--event", "visitt", "--facts", facts)
    assert unknown.code == 2 and "did you mean 'visit'" in unknown.stderr


def test_tables_show_names_not_ids(invoke: Invoke, base: Path) -> None:
    shown = invoke("show", "visit", "--facts", str(base), "--format", "tsv").stdout
    assert "participants\tИван Петров" in shown and "petrov" not in shown
    events = invoke("when", "--facts", str(base), "--format", "tsv").stdout
    assert "Иван Петров" in events and "petrov" not in events


def test_said_lists_the_words_verbatim_with_their_article(invoke: Invoke, base: Path) -> None:
    facts = str(base)
    [said] = invoke("said", "Петрова", "--facts", facts, "--json").json()
    assert said["speakers"][0]["name"] == "Иван Петров"
    words = said["sources"][0]["quote"]
    assert squash(words) in squash(ARTICLE)
    table = invoke("said", "Петров", "--facts", facts, "--format", "tsv").stdout
    assert f"«{words}»" in table and "~2025-03-01" in table
    for about in ("водной сфере", "water"):  # its words, or a topic
        assert ids(invoke("said", "--about", about, "--facts", facts, "--json")) == ["petrov-water"]
    assert invoke("said", "--about", "нефть", "--facts", facts, "--json").code == 1
    assert invoke("said", "Сидоров", "--facts", facts, "--json").code == 1
    assert invoke("said", "--year", "2024", "--facts", facts, "--json").code == 1


# ----------------------------------------------------------------------------- shipped data


def test_both_presidents_on_the_day_of_the_council(invoke: Invoke) -> None:
    rows = invoke("who", "--role", "президент", "--at", "2025-08-22", "--json").json()
    assert {"tokayev", "sadyr-japarov"} <= {r["id"] for r in rows}
    assert {o["kind"] for r in rows for o in r["offices"]} == {"head_of_state"}


def test_japarov_in_office_on_the_22nd(invoke: Invoke) -> None:
    rows = invoke("who", "Жапаров", "--at", "2025-08-22", "--json").json()
    assert "sadyr-japarov" in {r["id"] for r in rows}


def test_no_writer_or_composer_holds_office(invoke: Invoke) -> None:
    rows = invoke("who", "--at", "2025-11-13", "--json").json()
    assert rows and {r["kind"] for r in rows} == {"official"}
    assert not {"aitmatov", "auezov", "tlendiev"} & {r["id"] for r in rows}


def test_heads_of_government_and_no_deputy(invoke: Invoke) -> None:
    rows = invoke("who", "--role", "глава правительства", "--json").json()
    assert {"bektenov", "kasymaliev", "akylbek-japarov"} <= {r["id"] for r in rows}
    kinds = {o["kind"] for r in rows for o in r["offices"]}
    assert kinds == {"head_of_government"}
    english = invoke("who", "--role", "prime minister", "--lang", "en", "--json").json()
    assert "bektenov" in {r["id"] for r in english}
    assert not {"torobaev", "zhumangarin"} & {r["id"] for r in english}


def test_said_tokayev_is_verbatim_from_its_article(invoke: Invoke) -> None:
    rows = invoke("said", "Токаев", "--json").json()
    assert rows
    starts = [row["date_start"] for row in rows if row.get("date_start")]
    assert starts == sorted(starts)
    for row in rows:
        assert "tokayev" in {s["id"] for s in row["speakers"]}
        first = row["sources"][0]
        article = (REAL_SEEDS / f"{first['doc']}.txt").read_text(encoding="utf-8")
        assert squash(first["quote"]) in squash(article)


def test_the_official_visit_on_its_second_day(invoke: Invoke) -> None:
    rows = invoke("when", "--from", "2025-08-22", "--to", "2025-08-22", "--json").json()
    visits = [r for r in rows if r["kind"] == "visit"]
    assert visits and all(r["date"].startswith("2025-08-21/") for r in visits)
    assert any(r["parts"] for r in visits)


def test_references_are_objects_in_export(invoke: Invoke) -> None:
    for row in invoke("export", "--json").json():
        for key in ("participants", "mentions", "speakers", "parts", "documents", "holders"):
            for ref in row.get(key, []):
                assert set(ref) >= {"id"} and isinstance(ref, dict)
        for ref in row.get("targets", []):
            assert {"id", "value_usd", "horizon"} <= set(ref)
        for role in row.get("roles", []):
            assert all(isinstance(office, dict) for office in role["office"])


def test_no_answer_says_the_whole_question(invoke: Invoke, base: Path) -> None:
    result = invoke("who", "--at", "2025-06-15", "--attested", "--facts", str(base))
    assert result.code == 1 and result.stdout == ""
    assert result.stderr == "kzkg: no results for --at 2025-06-15 --attested\n"


def test_a_list_in_one_tsv_cell_is_joined_with_semicolons(invoke: Invoke) -> None:
    """Торобаев holds two offices at once: a deputy's and a minister's."""
    [line] = invoke("who", "Торобаев", "--format", "tsv").stdout.splitlines()
    [person] = invoke("who", "Торобаев", "--json").json()
    offices = line.split("\t")[4]
    assert len(person["offices"]) == 2 and offices.count("; ") == 1
    assert all(office["label"] in offices for office in person["offices"])


def test_the_chart_says_how_sure_each_conflict_is(invoke: Invoke) -> None:
    chart = invoke("trade", "--chart").stdout
    flagged = [line for line in chart.splitlines() if line.startswith("! ") and ":" in line]
    assert flagged  # the 2024 turnover against "около 2 млрд", with no period
    for line in flagged:
        head = line.split(":", 1)[0].removeprefix("! ")
        conflict_id, _, sure = head.partition(" ")
        [conflict] = invoke("show", conflict_id, "--json").json()
        expected = "" if conflict["certainty"] == "certain" else f"({conflict['certainty']})"
        assert sure == expected, line
