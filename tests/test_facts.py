"""The shipped fact base: it loads, every quote is verbatim, every article is cited."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from kzkg_cli.loader import iter_source_refs, load_facts
from kzkg_cli.model import Conflict, FactBase, Person, Source, Trade
from kzkg_cli.verify import squash, verify_quotes

from .conftest import REAL_FACTS, REAL_SEEDS, ROOT

SHARED_SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def facts() -> FactBase:
    return load_facts(REAL_FACTS)


def test_shipped_file_verifies_clean(facts: FactBase) -> None:
    report = verify_quotes(facts, REAL_SEEDS, REAL_FACTS.read_text(encoding="utf-8"))
    assert report.problems == ()
    assert report.seeds == 5
    assert report.records > 60


def test_every_quote_is_in_its_article(facts: FactBase) -> None:
    texts = {p.stem: squash(p.read_text(encoding="utf-8")) for p in REAL_SEEDS.glob("*.txt")}
    missing = [
        (record.id, ref.quote)
        for record in facts.records
        for ref in iter_source_refs(record)
        if squash(ref.quote) not in texts[ref.doc]
    ]
    assert missing == []


def test_every_article_has_a_source_record_and_is_cited(facts: FactBase) -> None:
    stems = {p.stem for p in REAL_SEEDS.glob("*.txt")}
    assert {r.id for r in facts.of(Source)} == stems
    cited = {ref.doc for r in facts.records if not isinstance(r, Source) for ref in r.sources}
    assert cited == stems


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds not beside the checkout")
def test_seeds_are_unchanged_copies_of_the_shared_articles() -> None:
    shared = {p.name: p.read_bytes() for p in SHARED_SEEDS.glob("*.txt")}
    ours = {p.name: p.read_bytes() for p in REAL_SEEDS.glob("*.txt")}
    assert ours == shared


def test_every_kind_the_issue_names_is_present(facts: FactBase) -> None:
    kinds = Counter(r.kind_name for r in facts.records)
    for kind in ("source", "person", "event", "trade", "border", "agreement", "conflict"):
        assert kinds[kind] > 0, kind
    assert kinds["border"] >= 7  # the seven named crossing points of article 004


def test_people_have_latin_names_and_dated_roles(facts: FactBase) -> None:
    for person in facts.of(Person):
        assert isinstance(person, Person)
        assert re.fullmatch(r"[A-Za-z .'-]+", person.name_latin), person.name_latin
        for role in person.roles:
            assert role.date and role.sources, (person.id, role.title)


def test_two_japarovs_are_two_people(facts: FactBase) -> None:
    japarovs = [p for p in facts.of(Person) if isinstance(p, Person) and "Жапаров" in p.name]
    assert sorted(p.name for p in japarovs) == ["Акылбек Жапаров", "Садыр Жапаров"]


def test_amounts_are_dollars_not_billions(facts: FactBase) -> None:
    values = {r.id: r.value_usd for r in facts.of(Trade) if isinstance(r, Trade)}
    assert values["turnover-2024"] == 1_700_000_000
    assert values["turnover-target-2030"] == 3_000_000_000
    assert values["agri-trade-2025-8m"] == 326_000_000


def test_disagreements_are_kept_and_marked(facts: FactBase) -> None:
    conflicts = {c.id: c for c in facts.of(Conflict) if isinstance(c, Conflict)}
    turnover = conflicts["turnover-2024-conflict"]
    assert set(turnover.records) == {"turnover-2024", "turnover-about-2bn"}
    assert {r.value for r in conflicts["igc-13-date"].readings} == {"2025-11-13", "2025-11-03"}
    about = facts.by_id["turnover-about-2bn"]
    assert isinstance(about, Trade) and about.approximate


def test_quotes_are_short_enough_to_read(facts: FactBase) -> None:
    long_quotes = [
        ref.quote for r in facts.records for ref in iter_source_refs(r) if len(ref.quote) > 260
    ]
    assert long_quotes == []


def test_inferred_dates_explain_themselves(facts: FactBase) -> None:
    for record in facts.records:
        if getattr(record, "date_inferred", False):
            assert getattr(record, "date_note", None), record.id


def test_wheel_ships_the_fact_file_and_seeds(tmp_path: Path) -> None:
    wheel_builder = pytest.importorskip("hatchling.builders.wheel")
    import zipfile

    builder = wheel_builder.WheelBuilder(str(ROOT))
    wheel = next(iter(builder.build(directory=str(tmp_path), versions=["standard"])))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "kzkg_cli/data/facts.toml" in names
    for seed in REAL_SEEDS.glob("*.txt"):
        assert f"kzkg_cli/data/seeds/{seed.name}" in names
