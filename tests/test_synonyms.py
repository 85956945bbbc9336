"""The synonym table: it loads, every group says why, a query reads it (longest spelling
first), and an office's wording that another office shares is offered for neither."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli

from kzkg_cli.core import names
from kzkg_cli.core.synonyms import TABLE, table_groups
from kzkg_cli.search.synonyms import Synonyms


def test_every_group_of_the_shipped_table_has_two_ways_and_a_note() -> None:
    with open(TABLE, "rb") as handle:
        groups = tomli.load(handle)["group"]
    assert groups
    for group in groups:
        assert len(group["words"]) >= 2, group
        assert group.get("note", "").strip(), group
    assert table_groups() == [group["words"] for group in groups]


@pytest.mark.parametrize(
    "text", ['group = "x"', "[[group]]\nwords = 'ВМС'", "[[group]]\nwords = ['ВМС', 3]"]
)
def test_a_table_that_is_not_groups_of_words_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "synonyms.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="synonyms.toml"):
        table_groups(str(path))


def spelt(table: Synonyms, query: str) -> tuple[int, list[str]]:
    words = tuple(names.keys(query))
    size, entries = table.spelt_at(words, 0)
    return size, [entry.text for entry in entries]


def test_the_longest_spelling_wins_in_any_case_form() -> None:
    table = Synonyms([["ВМС", "Высший межгосударственный совет"], ["совет", "council"]])
    size, found = spelt(table, "Высшего межгосударственного совета")
    assert size == 3 and found == ["ВМС", "Высший межгосударственный совет"]
    assert spelt(table, "советом") == (1, ["совет", "council"])
    assert spelt(table, "Бишкек") == (0, [])


def test_an_office_wording_two_offices_share_is_offered_for_neither() -> None:
    table = Synonyms(
        [],
        [
            ["Министр энергетики РК", "Министр энергетики"],
            ["Министр энергетики КР", "Министр энергетики"],
        ],
    )
    assert spelt(table, "министр энергетики РК") == (3, ["Министр энергетики РК"])
    size, found = spelt(table, "министра энергетики")
    assert size == 2 and found == ["Министр энергетики РК", "Министр энергетики КР"]
