"""Issue 14's "Why" section, one test a complaint: what a journalist types, and what the articles
say it must find (and must not), read from the seeds and facts.toml rather than pinned."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from .conftest import REAL_SEEDS, Invoke

Row = dict[str, Any]

ARTICLE = {path.stem: path.read_text(encoding="utf-8") for path in sorted(REAL_SEEDS.glob("*.txt"))}
"""Every article's text by source id, as the passages' offsets count it."""

PRESIDENTS = {"tokayev", "sadyr-japarov"}


# ----------------------------------------------------------------------------- helpers


def fold(text: str) -> str:
    """Text compared as a reader would: any case, ё as е, whitespace collapsed."""
    return " ".join(text.casefold().replace("ё", "е").split())


def articles_matching(pattern: str) -> set[str]:
    """The articles whose text has a form the pattern (a regex over folded text) describes."""
    return {doc for doc, text in ARTICLE.items() if re.search(pattern, fold(text))}


def quotes_in(value: Any) -> Iterator[tuple[str, str]]:
    """Every (doc, quote) anywhere in a JSON row: its sources, its roles' sources, ..."""
    if isinstance(value, dict):
        if isinstance(value.get("doc"), str) and isinstance(value.get("quote"), str):
            yield value["doc"], value["quote"]
        for item in value.values():
            yield from quotes_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from quotes_in(item)


def texts_of(hit: Row) -> list[tuple[str, str]]:
    """The article words a hit lands on: a passage's sentence, a record's quotes."""
    if hit["type"] == "passage":
        return [(hit["source"], hit["text"])]
    return list(quotes_in(hit))


def articles_reached(hits: Iterable[Row], pattern: str) -> set[str]:
    """The articles whose words matching the pattern some hit shows."""
    return {doc for hit in hits for doc, text in texts_of(hit) if re.search(pattern, fold(text))}


def ids(rows: Iterable[Row]) -> list[str]:
    return [row["id"] for row in rows]


def typed_via(row: Row) -> set[str]:
    """The query words a row was found through a synonym for (folded)."""
    return {fold(via["typed"]) for via in row["match"]["via"]}


def assert_found_through(row: Row, typed: str) -> None:
    """A row that nowhere writes the word typed was found through the table, and says so."""
    record = json.dumps(
        {key: value for key, value in row.items() if key != "match"}, ensure_ascii=False
    )
    written = re.search(rf"(?<!\w){re.escape(fold(typed))}(?!\w)", fold(record))
    assert written or fold(typed) in typed_via(row), (row["id"], row["match"])


def check_match(row: Row) -> None:
    """The documented `match` object: why a row was found."""
    match = row["match"]
    assert isinstance(match["score"], float), match
    assert match["fields"] and all(isinstance(field, str) for field in match["fields"]), match
    assert all(isinstance(word, str) for word in match["words"]), match
    for via in match["via"]:
        assert isinstance(via["typed"], str) and isinstance(via["alias"], str), match


def check_passage(row: Row) -> None:
    """A passage is one sentence of an article, verbatim at its offsets."""
    assert row["type"] == "passage" and row["id"] == f"{row['source']}:{row['n']}", row
    assert row["n"] >= 1 and 0 <= row["start"] < row["end"], row
    assert ARTICLE[row["source"]][row["start"] : row["end"]] == row["text"], row


def check_hits(hits: list[Row]) -> None:
    """Records first, then passages no returned record quotes whole; every hit says why."""
    passages = [hit["type"] == "passage" for hit in hits]
    assert passages == sorted(passages), ids(hits)
    quoted = [
        (doc, fold(q)) for hit in hits if hit["type"] != "passage" for doc, q in texts_of(hit)
    ]
    for hit in hits:
        assert isinstance(hit["score"], float), hit
        check_match(hit)
        if hit["type"] == "passage":
            check_passage(hit)
            sentence = fold(hit["text"])
            assert not any(d == hit["source"] and sentence in q for d, q in quoted), hit["id"]


def search(invoke: Invoke, *args: str) -> list[Row]:
    """`kzkg search ARGS --json`: hits, which must exist and be well formed."""
    result = invoke("search", *args, "--json")
    assert result.code == 0, (args, result.stderr, result.stdout)
    hits: list[Row] = result.json()
    check_hits(hits)
    return hits


def rows(invoke: Invoke, command: str, *args: str) -> list[Row]:
    """`kzkg COMMAND ARGS --json`: rows found by a text query, each saying why."""
    result = invoke(command, *args, "--json")
    assert result.code == 0, (command, args, result.stderr, result.stdout)
    found: list[Row] = result.json()
    for row in found:
        check_match(row)
    return found


def plain_rows(invoke: Invoke, *args: str) -> list[Row]:
    """`kzkg ARGS --json` with no text query (no `match` expected); none is fine."""
    result = invoke(*args, "--json")
    assert result.code in (0, 1), (args, result.stderr)
    found: list[Row] = result.json()
    return found


def participants(row: Row) -> set[str]:
    return {person["id"] for person in row["participants"]}


def by_id(found: list[Row], record_id: str) -> Row:
    matching = [row for row in found if row["id"] == record_id]
    assert matching, (record_id, ids(found))
    return matching[0]


# ----------------------------------------------------------------------------- words printed
# "search водоснабжение ... no results. Search reads titles and summaries only, never quotes or
# the article text." Every article that prints the words must be reached, by a record quoting
# it or by its own sentence; every passage returned must hold every word of the query.

PRINTED = [
    # query, the printed form every article with it must show, stems every passage must hold,
    # records that must be among the hits
    ("водоснабжение", r"водоснабжени", ["водоснабж"], {"igc-13", "water-energy-cooperation"}),
    ("водоснабжении", r"водоснабжени", ["водоснабж"], {"igc-13", "water-energy-cooperation"}),
    ("горный туризм", r"горный туризм", ["горн", "турис"], {"mountain-tourism"}),
    (
        "стратегическое партнерство",
        r"стратегическое партнерств",
        ["стратег", "партнер"],
        {
            "bektenov-friendly-neighbour-2025",
            "kasymaliev-new-level-2025",
            "japarov-closest-neighbour-2025",
        },
    ),
    (
        "братская",
        r"братск",
        ["брат"],
        {
            "tokayev-brotherly-states-2025",
            "tokayev-brotherly-peoples-2025",
            "japarov-closest-neighbour-2025",
            "bektenov-friendly-neighbour-2025",
        },
    ),
    (
        "модернизация",
        r"модернизац",
        ["модерниз"],
        {"presidents-talks-2025", "checkpoints-modernisation"},
    ),
]


@pytest.mark.parametrize(("query", "printed", "stems", "records"), PRINTED)
def test_search_reaches_every_article_that_prints_the_words(
    invoke: Invoke, query: str, printed: str, stems: list[str], records: set[str]
) -> None:
    hits = search(invoke, query)
    saying = articles_matching(printed)
    assert saying, printed  # the articles do print it
    assert saying <= articles_reached(hits, printed), ids(hits)
    assert records <= set(ids(hits)), ids(hits)
    for hit in hits:
        if hit["type"] == "passage":
            assert all(stem in fold(hit["text"]) for stem in stems), hit


# ----------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("query", "records"),
    [
        ("195", {"export-potential-195"}),
        ("260 млн", {"export-potential-195"}),
        ("1,4", {"turnover-2025-8m", "kz-investment-20y"}),
        ("$1,4 млрд", {"turnover-2025-8m", "kz-investment-20y"}),
        ("1.4 billion", {"turnover-2025-8m", "kz-investment-20y"}),
        ("21%", {"turnover-2025-8m"}),
    ],
)
def test_numbers_as_typed_find_the_figures(invoke: Invoke, query: str, records: set[str]) -> None:
    """Issue: `search 195`, `search 1,4`, `search "260 млн"`: no results."""
    hits = search(invoke, query)
    assert records <= set(ids(hits)), ids(hits)


def test_1_7_billion_finds_the_trade_figure_first_not_only_the_conflict(invoke: Invoke) -> None:
    hits = search(invoke, "1,7 млрд")
    found = ids(hits)
    assert {"turnover-2024", "turnover-2024-conflict"} <= set(found), found
    figures = [hit["id"] for hit in hits if hit["type"] == "trade"]
    assert figures[0] == "turnover-2024", figures  # the figure itself, before mere mentions
    assert articles_matching(r"1,7 млрд") <= articles_reached(hits, r"1,7 млрд"), found


# ----------------------------------------------------------------------------- abbreviations


def test_when_vms_finds_the_council_session_itself(invoke: Invoke) -> None:
    """Issue: `when ВМС` misses the council session itself (only two titles say ВМС)."""
    found = rows(invoke, "when", "ВМС")
    assert {"sic-7", "sic-7-briefing", "sic-7-signing"} <= set(ids(found)), ids(found)
    assert_found_through(by_id(found, "sic-7"), "ВМС")
    assert "igc-13" not in ids(found)  # the intergovernmental council is another body


def test_agreements_vms_finds_the_session_decisions(invoke: Invoke) -> None:
    found = rows(invoke, "agreements", "ВМС")
    assert "sic-7-decisions" in ids(found), ids(found)
    assert_found_through(by_id(found, "sic-7-decisions"), "ВМС")
    assert "igc-13-protocol" not in ids(found)


@pytest.mark.parametrize("typed", ["Межправсовет", "МПС"])
def test_when_intergovernmental_council_finds_the_13th_session(invoke: Invoke, typed: str) -> None:
    found = rows(invoke, "when", typed)
    assert "igc-13" in ids(found), ids(found)
    assert_found_through(by_id(found, "igc-13"), typed)
    assert not {"sic-7", "sic-7-briefing", "sic-7-signing"} & set(ids(found)), ids(found)


def test_when_summit_in_english_finds_the_supreme_council(invoke: Invoke) -> None:
    found = rows(invoke, "when", "summit", "--lang", "en")
    assert "sic-7" in ids(found), ids(found)
    assert_found_through(by_id(found, "sic-7"), "summit")
    assert "igc-13" not in ids(found)  # the premiers' council is no summit


def test_state_visit_never_passes_off_a_working_visit(invoke: Invoke) -> None:
    """The articles report no state visit: what `when "state visit"` returns, if anything, is a
    president's visit, never Bektenov's working visit or an event that names a head of state."""
    result = invoke("when", "state visit", "--lang", "en", "--json")
    assert result.code in (0, 1), result.stderr
    found: list[Row] = result.json()
    assert not [i for i in ids(found) if i.startswith("bektenov-")], ids(found)
    for row in found:
        check_match(row)
        assert participants(row) & PRESIDENTS, row["id"]


def test_official_visit_in_english_finds_the_presidents_visits(invoke: Invoke) -> None:
    found = rows(invoke, "when", "official visit", "--lang", "en")
    assert {"tokayev-official-visit-2025", "japarov-astana-visit"} <= set(ids(found)), ids(found)
    assert "bektenov-bishkek-2024" not in ids(found)  # a working visit
    hits = search(invoke, "official visit")
    printed = r"официальн\w* визит"
    assert articles_matching(printed) <= articles_reached(hits, printed), ids(hits)


@pytest.mark.parametrize(
    ("query", "record", "typed"),
    [
        ("экспорт в КР", "export-potential-195", "КР"),  # the text says "в Кыргызстан"
        ("правительство РК", "bektenov-greetings-2024", "РК"),  # "Правительства Казахстана"
        ("Кабмин", "akylbek-japarov", "Кабмин"),  # "председателем Кабинета министров"
        ("филиал ЕНУ", "nurbek-orozov-enu-branch-2025", "ЕНУ"),  # "Евразийского национального"
    ],
)
def test_abbreviations_find_what_is_written_in_full(
    invoke: Invoke, query: str, record: str, typed: str
) -> None:
    assert_found_through(by_id(search(invoke, query), record), typed)


def test_rk_and_kr_are_never_confused(invoke: Invoke) -> None:
    kazakh = ids(search(invoke, "министр энергетики РК"))
    assert "akkenzhenov" in kazakh and "ibraev" not in kazakh, kazakh
    kyrgyz = ids(search(invoke, "министр энергетики Кыргызстана"))
    assert "ibraev" in kyrgyz and "akkenzhenov" not in kyrgyz, kyrgyz


@pytest.mark.parametrize("query", ["КПП", "checkpoint"])
def test_borders_checkpoint_words_find_every_crossing_point(invoke: Invoke, query: str) -> None:
    crossings = {r["id"] for r in plain_rows(invoke, "borders") if r["kind"] == "checkpoint"}
    found = set(ids(rows(invoke, "borders", query)))
    assert crossings and crossings | {"checkpoints-modernisation"} <= found, found


# ----------------------------------------------------------------------------- English filters


@pytest.mark.parametrize("lang", [(), ("--lang", "en")])
@pytest.mark.parametrize(
    ("role", "wanted", "unwanted"),
    [
        ("prime minister", {"bektenov", "kasymaliev", "akylbek-japarov"}, {"zhumangarin"}),
        ("president", PRESIDENTS, {"kasymaliev", "akylbek-japarov"}),  # not their administration
        ("energy", {"ibraev", "akkenzhenov"}, set()),
    ],
)
def test_who_role_in_english(
    invoke: Invoke, lang: tuple[str, ...], role: str, wanted: set[str], unwanted: set[str]
) -> None:
    """Issue: `who --role "prime minister" --lang en`, `--role president`, `--role energy`
    find nothing though the English titles are there."""
    result = invoke("who", "--role", role, *lang, "--json")
    assert result.code == 0, result.stderr
    found = set(ids(result.json()))
    assert wanted <= found and not unwanted & found, found


# ----------------------------------------------------------------------------- typing


@pytest.mark.parametrize(
    ("command", "words", "expected"),
    [
        ("search", ["Хан", "Тенгри"], {"khan-tengri-routes"}),
        ("agreements", ["дорожная", "карта"], {"roadmap-3bn-2030", "agro-roadmap"}),
        ("who", ["Акылбеком", "Жапаровым"], {"akylbek-japarov"}),
    ],
)
def test_several_words_are_one_query(
    invoke: Invoke, command: str, words: list[str], expected: set[str]
) -> None:
    """Issue: `kzkg search Хан Тенгри` ... are usage errors instead of one query."""
    apart = invoke(command, *words, "--json")
    together = invoke(command, " ".join(words), "--json")
    assert apart.code == 0, apart.stderr
    assert ids(apart.json()) == ids(together.json())
    assert expected <= set(ids(apart.json())), apart.stdout
    if command == "who":
        assert ids(apart.json()) == ["akylbek-japarov"]  # not Sadyr Japarov


# ----------------------------------------------------------------------------- dates as queries


def event_years(invoke: Invoke) -> list[str]:
    """Every year some dated event touches."""
    events = plain_rows(invoke, "when")
    dated = [e for e in events if e.get("date_start") and e.get("date_end")]
    spans = [(int(e["date_start"][:4]), int(e["date_end"][:4])) for e in dated]
    return [str(year) for year in sorted({y for a, b in spans for y in range(a, b + 1)})]


def window(invoke: Invoke, start: str, end: str) -> set[str]:
    return set(ids(plain_rows(invoke, "when", "--from", start, "--to", end)))


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [("2025-08-22", "2025-08-22", "2025-08-22"), ("ноябрь 2025", "2025-11", "2025-11")],
)
def test_when_reads_a_date_as_a_date(invoke: Invoke, query: str, start: str, end: str) -> None:
    """Issue: `when 2025-08-22`, `when "22 августа"`, `when ноябрь` find nothing."""
    result = invoke("when", query, "--json")
    assert result.code == 0, result.stderr
    expected = window(invoke, start, end)
    assert expected and set(ids(result.json())) == expected


@pytest.mark.parametrize(("query", "day"), [("22 августа", "08-22"), ("ноябрь", "11")])
def test_when_reads_a_day_or_month_without_year_in_every_year(
    invoke: Invoke, query: str, day: str
) -> None:
    result = invoke("when", query, "--json")
    assert result.code == 0, result.stderr
    expected: set[str] = set()
    for year in event_years(invoke):
        expected |= window(invoke, f"{year}-{day}", f"{year}-{day}")
    assert expected and set(ids(result.json())) == expected


def test_show_with_a_name_points_at_who_and_the_id(invoke: Invoke) -> None:
    """Issue: `show Бектенов` says "no results" without pointing at `who` or `bektenov`."""
    result = invoke("show", "Бектенов")
    assert result.code == 1 and result.stdout == ""
    assert "kzkg who" in result.stderr and "bektenov" in result.stderr, result.stderr


def test_show_a_passage_with_its_neighbours(invoke: Invoke) -> None:
    source = sorted(ARTICLE)[0]
    [row] = invoke("show", f"{source}:3", "--json").json()
    check_passage(row)
    assert (row["source"], row["n"]) == (source, 3)
    before, after = row["before"], row["after"]
    assert before and after
    for neighbour in [*before, *after]:
        check_passage(neighbour)
        assert neighbour["source"] == source
    numbers = [n["n"] for n in before] + [3] + [n["n"] for n in after]
    assert numbers == list(range(numbers[0], numbers[-1] + 1)), numbers
    assert before[-1]["end"] <= row["start"] and row["end"] <= after[0]["start"]
    short = invoke("show", f"{source.split('_')[0]}:3")  # "000:3"
    assert short.code == 0 and row["text"] in short.stdout, short.stdout


# ----------------------------------------------------------------------------- English stemming


@pytest.mark.parametrize(
    ("command", "query", "expected"),
    [
        ("agreements", "roadmaps", {"roadmap-3bn-2030", "agro-roadmap"}),
        ("when", "councils", {"sic-7", "igc-13"}),
        ("when", "meetings", {"sic-7", "igc-13"}),
    ],
)
def test_english_plurals_find_the_singular(
    invoke: Invoke, command: str, query: str, expected: set[str]
) -> None:
    """Issue: English words have no stemming ("roadmaps" misses "roadmap")."""
    found = rows(invoke, command, query, "--lang", "en")
    assert expected <= set(ids(found)), ids(found)


# ----------------------------------------------------------------------------- two names


def test_when_two_people_lists_what_both_took_part_in_and_why(invoke: Invoke) -> None:
    """Issue: `when "Токаев Жапаров"` returns an event where Tokayev is only mentioned and shows
    no reason why it matched. Both must have taken part, and each row says it matched both."""
    found = rows(invoke, "when", "Токаев Жапаров")
    tokayev = set(ids(rows(invoke, "when", "Токаев")))
    japarov = set(ids(rows(invoke, "when", "Жапаров")))
    assert tokayev & japarov and set(ids(found)) == tokayev & japarov, ids(found)
    for row in found:
        assert "tokayev" in participants(row), row["id"]
        assert participants(row) & {"sadyr-japarov", "akylbek-japarov"}, row["id"]
        words = {fold(word) for word in row["match"]["words"]}
        assert {"токаев", "жапаров"} <= words, row["match"]


def test_said_about_carries_why_it_matched(invoke: Invoke) -> None:
    found = rows(invoke, "said", "--about", "стратегическое партнерство")
    wanted = {
        "bektenov-friendly-neighbour-2025",
        "kasymaliev-new-level-2025",
        "japarov-closest-neighbour-2025",
    }
    assert wanted <= set(ids(found)), ids(found)
