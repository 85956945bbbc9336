"""The fact base: it loads, every quote is verbatim, every article is cited, values hold.

The data tests run twice: on the shipped file, and on a copy grown by a generated article with
records of every kind, so a correct new article can never break them (no count is pinned).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from kzkg_cli.core.fields import english_fields, quoted_fields
from kzkg_cli.core.rows import Row, citations
from kzkg_cli.core.text import squash
from kzkg_cli.ingest.validate import load_rows
from kzkg_cli.ingest.verify import verify

from .conftest import REAL_FACTS, REAL_SEEDS, ROOT, grown_copy

SHARED_SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module", params=["shipped", "grown"])
def facts_path(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped fact file, and a copy with one more (generated) article and its records."""
    if request.param == "shipped":
        return REAL_FACTS
    return grown_copy(tmp_path_factory.mktemp("grown"))


@pytest.fixture(scope="module")
def rows(facts_path: Path) -> list[Row]:
    return load_rows(facts_path)


def of(rows: list[Row], kind: str) -> list[Row]:
    return [row for row in rows if row["type"] == kind]


def articles(facts_path: Path) -> dict[str, str]:
    return {
        p.stem: squash(p.read_text(encoding="utf-8")) for p in facts_path.parent.glob("seeds/*.txt")
    }


def test_the_file_verifies_clean(rows: list[Row], facts_path: Path) -> None:
    model = english_fields(), quoted_fields()
    report = verify(rows, facts_path.parent / "seeds", facts_path, model)
    assert report.problems == [] and report.warnings == [] and report.unsupported == []
    assert report.seeds == len(articles(facts_path)) and report.records == len(rows)


def test_every_quote_is_in_its_article(rows: list[Row], facts_path: Path) -> None:
    texts = articles(facts_path)
    missing = [
        (row["id"], c.quote)
        for row in rows
        for c in citations(row)
        if squash(c.quote) not in texts[c.doc]
    ]
    assert missing == []


def test_every_article_has_a_source_record_and_is_cited(rows: list[Row], facts_path: Path) -> None:
    stems = set(articles(facts_path))
    assert {row["id"] for row in of(rows, "source")} == stems
    cited = {c.doc for row in rows if row["type"] != "source" for c in citations(row)}
    assert cited == stems


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds not beside the checkout")
def test_the_shared_articles_are_in_seeds_unchanged() -> None:
    shared = {p.name: p.read_bytes() for p in SHARED_SEEDS.glob("*.txt")}
    ours = {p.name: p.read_bytes() for p in REAL_SEEDS.glob("*.txt")}
    assert shared and {name: ours.get(name) for name in shared} == shared


def test_every_kind_of_record_is_present(rows: list[Row]) -> None:
    kinds = Counter(row["type"] for row in rows)
    kinds_wanted = ("source", "person", "office", "event", "statement", "trade", "border")
    for kind in (*kinds_wanted, "agreement", "conflict"):
        assert kinds[kind] > 0, kind


def test_people_have_latin_names_and_dated_roles(rows: list[Row]) -> None:
    """An office a role names is attested on a date, or the role says why it is undated; a
    description (no office) is never dated: it is not an office held."""
    for person in of(rows, "person"):
        assert re.fullmatch(r"[A-Za-z .'-]+", person["name_latin"]), person["name_latin"]
        for role in person["roles"]:
            assert role["sources"], (person["id"], role["title"])
            if role["office"]:
                assert role["date"] or role["date_note"], (person["id"], role["title"])
            else:
                assert not role["date"], (person["id"], role["title"])


def test_ids_are_unique_across_kinds(rows: list[Row]) -> None:
    ids = Counter(row["id"] for row in rows)
    assert [record_id for record_id, count in ids.items() if count > 1] == []


def test_every_conflict_keeps_each_reading_with_its_quotes(rows: list[Row]) -> None:
    known = {row["id"] for row in rows}
    for conflict in of(rows, "conflict"):
        assert len(conflict["readings"]) >= 2, conflict["id"]
        assert all(reading["sources"] for reading in conflict["readings"]), conflict["id"]
        assert set(conflict["records"]) <= known, conflict["id"]


def test_quotes_are_short_enough_to_read(rows: list[Row]) -> None:
    """A quote proves one fact, so it is short; a statement's first quote is the words said,
    which stand whole however long."""
    long = [
        c.quote
        for row in rows
        for number, c in enumerate(citations(row))
        if len(c.quote) > 260
        and not (row["type"] == "statement" and number == 0)
        and not _lists_names(c.quote)
    ]
    assert long == []


def _lists_names(quote: str) -> bool:
    """A sentence that is a list of people, each with a post (a council's speakers): cutting
    it would leave some of them unquoted."""
    return quote.count(",") >= 5 and "выступили" in quote


def test_inferred_values_explain_themselves(rows: list[Row]) -> None:
    for row in rows:
        for key, value in row.items():
            if key.endswith("_inferred") and value:
                assert row.get(key.replace("_inferred", "_note")), (row["id"], key)


# ----------------------------------------------------------------------------- the shipped file


@pytest.fixture(scope="module")
def shipped() -> dict[str, Row]:
    return {row["id"]: row for row in load_rows(REAL_FACTS)}


def test_two_japarovs_are_two_people(shipped: dict[str, Row]) -> None:
    japarovs = {row["name"] for row in shipped.values() if "Жапаров" in row.get("name", "")}
    assert {"Акылбек Жапаров", "Садыр Жапаров"} <= japarovs


def test_amounts_are_dollars_not_billions(shipped: dict[str, Row]) -> None:
    assert shipped["turnover-2024"]["value_usd"] == 1_700_000_000
    assert shipped["turnover-target-2030"]["value_usd"] == 3_000_000_000
    assert shipped["agri-trade-2025-8m"]["value_usd"] == 326_000_000


def test_disagreements_are_kept_and_marked(shipped: dict[str, Row]) -> None:
    """Both readings of the Khan Tengri routes stay, and the conflict says that article 003
    claims more (an agreement) than 002 (a discussion)."""
    khan = shipped["khan-tengri-status"]
    assert {reading["text"] for reading in khan["readings"]} == {"agreed", "discussed"}
    assert khan["certainty"] == "possible" and khan["claims_more"] == "003_93f33625ec9ee3be"
    assert shipped["turnover-about-2bn"]["approximate"] is True


def test_page_furniture_is_not_a_reading(shipped: dict[str, Row]) -> None:
    """'3 ноября, 07:55' in article 003's "read also" block dates nothing of the article."""
    readings = [r["value"] for row in shipped.values() for r in row.get("readings", [])]
    assert "2025-11-03" not in readings


def test_every_conflict_says_how_sure_it_is(rows: list[Row]) -> None:
    for conflict in of(rows, "conflict"):
        assert conflict["certainty"] in ("certain", "likely", "possible")
        if conflict["certainty"] != "certain":
            assert conflict["certainty_note"] or conflict["note"], conflict["id"]


def test_the_seven_crossing_points_of_article_004_are_there(shipped: dict[str, Row]) -> None:
    checkpoints = [row for row in shipped.values() if row.get("kind") == "checkpoint"]
    assert all(c["type"] == "border" for c in checkpoints)
    cited = {c.doc[:3] for row in checkpoints for c in citations(row)}
    assert "004" in cited and len([r for r in checkpoints if r["id"].startswith("cp-")]) >= 7


def test_wheel_ships_the_fact_file_and_seeds(tmp_path: Path) -> None:
    wheel_builder = pytest.importorskip("hatchling.builders.wheel")
    import zipfile

    builder = wheel_builder.WheelBuilder(str(ROOT))
    wheel = next(iter(builder.build(directory=str(tmp_path), versions=["standard"])))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "kzkg_cli/data/facts.toml" in names
    for seed in REAL_SEEDS.glob("*.txt"):
        assert f"kzkg_cli/data/seeds/{seed.name}" in names
