"""The query commands through the CLI: stdout, stderr and exit code; JSON field by field."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzkg_cli.present import formats as render

from .conftest import Invoke, grown_copy


@pytest.fixture
def tty(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make kzkg believe stdout is a terminal."""
    monkeypatch.setattr(render, "is_terminal", lambda stream: True)


# ----------------------------------------------------------------------------- who


def test_who_json_has_the_documented_fields(invoke: Invoke) -> None:
    result = invoke("who", "Бектенов", "--json")
    assert result.code == 0 and result.stderr == ""
    [person] = result.json()
    assert person["id"] == "bektenov" and person["type"] == "person"
    assert person["name"] == "Олжас Бектенов"
    assert person["name_latin"] == "Olzhas Bektenov"
    assert person["country"] == "KZ" and person["kind"] == "official"
    assert "Премьер-министр Казахстана" in {r["title"] for r in person["roles"]}
    assert all(r["sources"] for r in person["roles"])
    assert {o["id"] for r in person["roles"] for o in r["office"]} == {"prime-minister-kz"}
    [office] = person["offices"]
    assert office["id"] == "prime-minister-kz" and office["kind"] == "head_of_government"
    assert office["attested_first"] <= office["attested_last"]
    assert {"doc": "002_ad68650c150bda19", "quote": "подчеркнул Олжас Бектенов"} in (
        person["sources"]
    )
    assert person["match"] == {"score": 100.0, "alias": "Олжас Бектенов", "kind": "exact"}


def test_who_fuzzy_hit_carries_its_match(invoke: Invoke) -> None:
    [person] = invoke("who", "Бектинав", "--json").json()
    assert person["id"] == "bektenov"
    assert person["match"]["kind"] == "fuzzy" and person["match"]["score"] < 100


def test_who_shared_surname_returns_both(invoke: Invoke) -> None:
    rows = invoke("who", "Жапаров", "--json").json()
    assert {r["name"] for r in rows} >= {"Садыр Жапаров", "Акылбек Жапаров"}


def test_who_without_a_name_lists_everyone(invoke: Invoke) -> None:
    everyone = invoke("export", "--json", "--type", "person").json()
    rows = invoke("who", "--json").json()
    assert [r["id"] for r in rows] == [p["id"] for p in everyone]
    assert all("match" not in r for r in rows)


def test_who_by_role_finds_both_energy_ministers(invoke: Invoke) -> None:
    rows = invoke("who", "--role", "министр энергетики", "--json").json()
    assert {(r["name"], r["country"]) for r in rows} >= {
        ("Таалайбек Ибраев", "KG"),
        ("Ерлан Аккенженов", "KZ"),
    }
    for row in rows:  # only the roles that match are kept
        assert row["roles"] and all("инистр энергетики" in r["title"] for r in row["roles"])


def test_who_by_country(invoke: Invoke) -> None:
    rows = invoke("who", "--role", "министр энергетики", "--country", "kz", "--json").json()
    assert "Ерлан Аккенженов" in [r["name"] for r in rows]
    assert {r["country"] for r in rows} == {"KZ"}


def test_who_at_a_date_shows_roles_attested_then(invoke: Invoke) -> None:
    at = ("--at", "2025-11-13", "--attested", "--json")
    [person] = invoke("who", "Бектенов", *at).json()
    assert person["roles"] and {r["date"] for r in person["roles"]} == {"2025-11-13"}
    chairs = invoke("who", "--role", "председатель кабинета", "--at", "2024-06", "--json").json()
    assert [r["name"] for r in chairs] == ["Акылбек Жапаров"]


def test_who_no_match_is_exit_1_with_empty_json(invoke: Invoke) -> None:
    result = invoke("who", "Путин", "--json")
    assert result.code == 1
    assert result.stdout.strip() == "[]"
    assert result.stderr == "kzkg: no results for 'Путин'\n"


def test_who_near_miss_suggests_a_name(invoke: Invoke) -> None:
    result = invoke("who", "Бектурганов")
    assert result.code == 1 and result.stdout == ""
    assert "kzkg: did you mean: Олжас Бектенов?" in result.stderr


def test_who_piped_is_tsv_one_line_a_person(invoke: Invoke) -> None:
    result = invoke("who", "Tokayev")
    [line] = result.stdout.splitlines()
    fields = line.split("\t")
    assert fields[:4] == ["Касым-Жомарт Токаев", "Kassym-Jomart Tokayev", "KZ", "official"]
    assert "Президент Республики Казахстан" in fields[4]
    assert "BAQ.KZ 2025-08-22" in fields[5]
    assert "\x1b" not in result.stdout and "┃" not in result.stdout


def test_who_on_a_terminal_draws_a_table(invoke: Invoke, tty: None) -> None:
    result = invoke("who", "Tokayev")
    assert result.code == 0
    assert "┃ name" in result.stdout and "Касым-Жомарт Токаев" in result.stdout
    assert "BAQ.KZ" in result.stdout


def test_empty_name_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("who", "   ")
    assert result.code == 2 and result.stdout == ""
    assert result.stderr.startswith("kzkg: error: the name")


# ----------------------------------------------------------------------------- when


def test_when_person_lists_the_events_they_took_part_in(invoke: Invoke) -> None:
    rows = invoke("when", "Токаев", "--json").json()
    assert rows and all("tokayev" in {p["id"] for p in r["participants"]} for r in rows)
    dates = [r["date_start"] for r in rows]
    assert dates == sorted(dates)
    assert "bektenov-bishkek-2024" not in {r["id"] for r in rows}  # mentioned, not there


def test_when_matches_inflected_words(invoke: Invoke) -> None:
    [row] = invoke("when", "филиал университета", "--json").json()
    assert row["id"] == "enu-osh-branch-2025"
    assert row["date"] == "2025-08-22" and row["date_precision"] == "day"


def test_when_khan_tengri_finds_the_council(invoke: Invoke) -> None:
    rows = invoke("when", "Хан-Тенгри", "--json").json()
    assert [r["id"] for r in rows] == ["igc-13"]
    routes = invoke("search", "Хан-Тенгри", "--json").json()
    flagged = [r for r in routes if r["type"] == "initiative" and r["conflicts"]]
    assert flagged and flagged[0]["status"] == "discussed"  # what both articles support


def test_when_year_and_range(invoke: Invoke) -> None:
    in_2024 = invoke("when", "--year", "2024", "--json").json()
    assert in_2024 and all(r["date"].startswith("2024") for r in in_2024)
    window = invoke("when", "--from", "2025-08-22", "--to", "2025-08-22", "--json").json()
    assert window and all(r["date_start"] <= "2025-08-22" <= r["date_end"] for r in window)
    assert "2025-08-22" in {r["date"] for r in window}


def test_when_conflicting_window_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("when", "--from", "2025-09", "--to", "2025-01")
    assert result.code == 2 and "exclude each other" in result.stderr


def test_when_bad_date_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("when", "--from", "2025-02-30")
    assert result.code == 2 and "not a real date" in result.stderr


def test_when_without_events_points_to_search(invoke: Invoke) -> None:
    result = invoke("when", "пропускной способности")
    assert result.code == 1
    assert "'kzkg search' finds" in result.stderr


# ----------------------------------------------------------------------------- trade


def test_trade_year_2025_and_target_horizon(invoke: Invoke) -> None:
    ids_2025 = {r["id"] for r in invoke("trade", "--year", "2025", "--json").json()}
    assert {"turnover-2025-8m", "agri-trade-2025-8m", "agri-export-share-2025-8m"} <= ids_2025
    assert "turnover-target-2030" not in ids_2025
    targets = {r["id"]: r for r in invoke("trade", "--year", "2030", "--json").json()}
    assert targets["turnover-target-2030"]["value_usd"] == 3_000_000_000


def test_trade_conflicting_figures_are_flagged(invoke: Invoke, tmp_path: Path) -> None:
    """On a grown copy, whose generated conflicts are about trade figures."""
    facts = str(grown_copy(tmp_path))
    rows = invoke("trade", "--facts", facts, "--json").json()
    conflicts = {r["id"]: r for r in invoke("export", "-t", "conflict", "--facts", facts).json()}
    disputed = [r for r in rows if r["conflicts"]]
    assert disputed
    for row in disputed:
        for conflict_id in row["conflicts"]:
            assert row["id"] in {record["id"] for record in conflicts[conflict_id]["records"]}


def test_an_undated_figure_says_its_period_is_inferred(invoke: Invoke) -> None:
    rows = {r["id"]: r for r in invoke("trade", "--indicator", "turnover", "--json").json()}
    about = rows["turnover-about-2bn"]
    assert about["approximate"] is True and about["value_usd"] == 2_000_000_000
    assert about["period_inferred"] is True and about["period_note"]


def test_trade_numbers_are_numbers(invoke: Invoke) -> None:
    rows = {r["id"]: r for r in invoke("trade", "--json").json()}
    eight = rows["turnover-2025-8m"]
    assert eight["growth_pct"] == 21 and eight["value_usd"] == 1_400_000_000
    assert (eight["period_start"], eight["period_end"]) == ("2025-01-01", "2025-08-31")
    assert rows["agro-share-turnover"]["share_pct"] == 25
    assert rows["export-potential-195"]["count"] == 195


def test_trade_unknown_indicator_lists_the_known_ones(invoke: Invoke) -> None:
    result = invoke("trade", "--indicator", "gdp")
    assert result.code == 2 and "expected one of: turnover" in result.stderr


@pytest.mark.parametrize("year", ["abc", "-5", "99999"])
def test_trade_bad_year_is_a_usage_error(invoke: Invoke, year: str) -> None:
    result = invoke("trade", "--year", year)
    assert result.code == 2 and result.stdout == ""


def test_trade_table_marks_the_conflict(invoke: Invoke, tty: None, tmp_path: Path) -> None:
    facts = str(grown_copy(tmp_path))
    disputed = [r for r in invoke("trade", "--facts", facts, "--json").json() if r["conflicts"]]
    text = invoke("trade", "--facts", facts, "--indicator", disputed[0]["indicator"]).stdout
    assert "CONFLICT" in text and disputed[0]["conflicts"][0] in text


# ----------------------------------------------------------------------------- borders, agreements


@pytest.mark.parametrize("typed", ["Қарасу", "Карасу", "Karasu", "Qarasu"])
def test_borders_finds_a_crossing_point_in_any_script(invoke: Invoke, typed: str) -> None:
    [row] = invoke("borders", typed, "--json").json()
    assert row["id"] == "cp-karasu" and row["status"] == "planned"


def test_borders_lists_all_crossings_and_programmes(invoke: Invoke) -> None:
    rows = invoke("borders", "--json").json()
    assert [r["id"] for r in rows] == [r["id"] for r in invoke("export", "-t", "border").json()]
    assert {"checkpoint", "programme"} <= {r["kind"] for r in rows}
    modernisation = next(r for r in rows if r["id"] == "checkpoints-modernisation")
    assert modernisation["count"] == 8


def test_agreements_by_status_and_year(invoke: Invoke) -> None:
    signed = invoke("agreements", "--status", "signed", "--json").json()
    assert signed and {r["status"] for r in signed} == {"signed"}
    in_2030 = {r["id"] for r in invoke("agreements", "--year", "2030", "--json").json()}
    assert "transit-concept-2030" in in_2030


def test_agreements_query_with_endings(invoke: Invoke) -> None:
    rows = invoke("agreements", "дорожной карты", "--json").json()
    assert {"roadmap-3bn-2030", "agro-roadmap"} <= {r["id"] for r in rows}


def test_agreements_bad_status_is_a_usage_error(invoke: Invoke) -> None:
    assert invoke("agreements", "--status", "lost").code == 2


# ----------------------------------------------------------------------------- search, show


def test_search_ranks_title_hits_first_across_kinds(invoke: Invoke) -> None:
    rows = invoke("search", "Хан-Тенгри", "--json").json()
    kinds = {r["type"] for r in rows}
    assert {"initiative", "event"} <= kinds
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True)


def test_show_prints_every_quote(invoke: Invoke) -> None:
    [row] = invoke("show", "igc-13", "--json").json()
    assert row["id"] == "igc-13" and row["sources"]
    piped = invoke("show", "igc-13").stdout
    for source in row["sources"]:
        assert source["quote"] in piped


def test_show_unknown_id_suggests_one(invoke: Invoke) -> None:
    result = invoke("show", "igc13")
    assert result.code == 1 and result.stdout == ""
    assert "did you mean: igc-13?" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["who", "Бектенов"],
        ["when", "Токаев"],
        ["trade"],
        ["borders"],
        ["agreements"],
        ["search", "Бишкек"],
        ["show", "tokayev"],
        ["sources"],
    ],
)
def test_every_command_answers_in_every_format(invoke: Invoke, args: list[str]) -> None:
    import csv
    import io
    import json

    for fmt in ("json", "jsonl", "csv", "tsv", "table"):
        result = invoke(*args, "--format", fmt)
        assert result.code == 0, (args, fmt, result.stderr)
        assert result.stdout.strip(), (args, fmt)
        if fmt == "json":
            assert all({"id", "type", "sources"} <= set(r) for r in json.loads(result.stdout))
        elif fmt == "jsonl":
            assert all(json.loads(line)["id"] for line in result.stdout.splitlines())
        elif fmt == "csv":
            assert "id" in next(csv.reader(io.StringIO(result.stdout)))
