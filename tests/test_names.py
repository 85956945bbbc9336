"""Name and word matching: every way the issue says people type names finds the right person."""

from __future__ import annotations

import pytest

from kzkg_cli.core import names
from kzkg_cli.index.store import Store
from kzkg_cli.search.match import match_people, match_words, suggest_person


@pytest.fixture
def index(real_store: Store) -> Store:
    return real_store


def found_ids(index: Store, query: str) -> set[str]:
    return {hit.row["id"] for hit in match_people(index, query)}


def word_ids(index: Store, query: str) -> set[str]:
    return {row["id"] for row in index.at(match_words(index, query)).values()}


# (what a user types, the ids of the people it must find, in any order)
NAME_CASES = [
    # Russian in any grammatical case
    ("Токаев", {"tokayev"}),
    ("Токаева", {"tokayev"}),
    ("Токаеву", {"tokayev"}),
    ("Токаевым", {"tokayev"}),
    ("Бектенова", {"bektenov"}),
    ("Бектеновым", {"bektenov"}),
    ("Балаевой", {"balaeva"}),
    ("Нургисы Тлендиева", {"tlendiev"}),
    ("Адылбеком", {"kasymaliev"}),
    # Latin in the common spellings
    ("Tokayev", {"tokayev"}),
    ("Tokaev", {"tokayev"}),
    ("Kassym-Jomart Tokayev", {"tokayev"}),
    ("Kasym-Zhomart Tokaev", {"tokayev"}),
    ("Sadyr Japarov", {"sadyr-japarov"}),
    ("Sadyr Zhaparov", {"sadyr-japarov"}),
    ("Sadyr Dzhaparov", {"sadyr-japarov"}),
    ("Kasymaliev", {"kasymaliev"}),
    ("Kasymaliyev", {"kasymaliev"}),
    ("Bektenov", {"bektenov"}),
    ("Olzhas Bektenov", {"bektenov"}),
    ("Yerlan Akkenzhenov", {"akkenzhenov"}),
    ("Erlan Akkenjenov", {"akkenzhenov"}),
    # first name alone, surname alone, full name, name and patronymic, initials
    ("Олжас", {"bektenov"}),
    ("Олжас Бектенов", {"bektenov"}),
    ("Касым-Жомарт Кемелевич", {"tokayev"}),
    ("Л.Н. Гумилев", {"gumilev"}),
    ("Абай", {"abai"}),
    # typos
    ("Бектеновв", {"bektenov"}),
    ("Бектнов", {"bektenov"}),
    ("Бектинав", {"bektenov"}),
    ("Tokayevv", {"tokayev"}),
    ("Айтматв", {"aitmatov"}),
    # ambiguity shown, not hidden
    ("Жапаров", {"sadyr-japarov", "akylbek-japarov"}),
    ("Japarov", {"sadyr-japarov", "akylbek-japarov"}),
    ("Жапаровым", {"sadyr-japarov", "akylbek-japarov"}),
    ("Бакыт", {"torobaev", "sydykov"}),
    ("Садыр Жапаров", {"sadyr-japarov"}),
    ("Акылбек Жапаров", {"akylbek-japarov"}),
    ("Akylbek Japarov", {"akylbek-japarov"}),
]


KNOWN = set().union(*(expected for _, expected in NAME_CASES))
"""The people these cases are about: among them a case finds exactly its own. A person a new
article adds (another Бакыт, say) may be found too, rightly, and does not break the cases."""


@pytest.mark.parametrize(("typed", "expected"), NAME_CASES)
def test_names_as_people_type_them(index: Store, typed: str, expected: set[str]) -> None:
    assert found_ids(index, typed) & KNOWN == expected


@pytest.mark.parametrize("typed", ["Путин", "Назарбаев", "xyz", "Москва", "Касымов", "Нуржанов"])
def test_implausible_names_find_nobody(index: Store, typed: str) -> None:
    assert found_ids(index, typed) & KNOWN == set()


def test_exact_hits_score_100_and_name_the_alias(index: Store) -> None:
    [hit] = match_people(index, "Касым-Жомарт Кемелевич")
    match = hit.match
    assert hit.row["id"] == "tokayev"
    assert (match.kind, match.score, match.alias) == ("exact", 100.0, "Касым-Жомарт Кемелевич")


def test_latin_queries_report_the_latin_alias(index: Store) -> None:
    [hit] = match_people(index, "Olzhas Bektenov")
    assert hit.match.alias == "Olzhas Bektenov"


def test_fuzzy_hits_score_below_100(index: Store) -> None:
    [hit] = match_people(index, "Бектинав")
    assert hit.row["id"] == "bektenov"
    assert hit.match.kind == "fuzzy" and 50 < hit.match.score < 100


def test_did_you_mean_only_when_close(index: Store) -> None:
    assert suggest_person(index, "Бектурганов") == "Олжас Бектенов"
    assert suggest_person(index, "Путин") is None


@pytest.mark.parametrize(
    ("spellings", "skeleton"),
    [
        (["Қарасу", "Карасу", "Karasu", "Qarasu"], "karasu"),
        (["Жапаров", "Japarov", "Zhaparov", "Dzhaparov"], "japarov"),
        (["Токаев", "Tokayev", "Tokaev"], "tokaev"),
        (["Хан", "Khan", "Han"], "han"),
        (["Сыпатай", "Sypatai", "Sypatay"], "sipatai"),
    ],
)
def test_spelling_variants_share_one_skeleton(spellings: list[str], skeleton: str) -> None:
    for spelling in spellings:
        assert names.canonical(spelling) == skeleton, spelling


@pytest.mark.parametrize(
    ("query", "record_id"),
    [
        ("филиал университета", "enu-osh-branch-2025"),
        ("филиала университета", "enu-osh-branch-2025"),
        ("Хан-Тенгри", "khan-tengri-routes"),
        ("Khan Tengri", "khan-tengri-routes"),
        ("дорожной карты", "roadmap-3bn-2030"),
        ("Договором о союзнических отношениях", "alliance-treaty-2024"),
        ("Карасу", "cp-karasu"),
        ("Айша-Биби", "cp-aisha-bibi"),
    ],
)
def test_free_text_tolerates_word_endings(index: Store, query: str, record_id: str) -> None:
    assert record_id in word_ids(index, query)


def test_free_text_needs_every_word(index: Store) -> None:
    assert "enu-osh-branch-2025" not in word_ids(index, "филиал банка")


def test_stop_words_alone_have_no_keys() -> None:
    assert names.keys("и в на") == []
