"""The loader: the mini file loads; each bad file fails with a precise, located message."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzkg_cli.core.errors import ExitCode, FactFileError
from kzkg_cli.ingest import read
from kzkg_cli.ingest.validate import load_rows

from .conftest import DATA, MINI_FACTS

BAD = DATA / "bad"


def test_mini_file_loads_into_rows_with_every_field() -> None:
    rows = load_rows(MINI_FACTS)
    assert [r["id"] for r in rows] == ["mini", "petrov", "aliev", "meeting", "turnover"]
    by_id = {row["id"]: row for row in rows}
    assert by_id["petrov"]["type"] == "person" and by_id["petrov"]["aliases"] == ["Петров"]
    assert by_id["meeting"]["participants"] == ["petrov", "aliev"]
    assert by_id["meeting"]["status"] == "held"  # a default, filled in
    assert by_id["turnover"]["value_usd"] == 10_000_000
    assert list(by_id["turnover"])[:2] == ["id", "type"]
    assert list(by_id["turnover"])[-2:] == ["note", "sources"]


# One bad file per loader error: (file, expected line, text the message must contain).
BAD_CASES = [
    ("unknown_field.toml", 15, "person[0] 'petrov' nickname: unknown field"),
    ("wrong_type.toml", 44, "trade[0] 'turnover' value_usd: expected a number, got a string"),
    ("missing_field.toml", 28, "event[0] 'meeting' title: missing required field"),
    (
        "duplicate_id.toml",
        21,
        "person[1] 'petrov' id: duplicate id, first used by person[0] at line 11",
    ),
    ("unknown_ref.toml", 34, "participants: unknown id 'alijev' (did you mean 'aliev'?)"),
    ("wrong_ref_kind.toml", 34, "'turnover' is a trade, expected person"),
    ("bad_date.toml", 32, "date: '2024-02-30' is not a real date"),
    ("bad_date_shape.toml", 43, "period: expected an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD"),
    ("bad_literal.toml", 30, "kind: expected one of 'visit', 'talks'"),
    ("unknown_doc.toml", 17, "doc 'x' is not the id of any [[source]] record"),
    ("unknown_kind.toml", 38, "unknown top-level key 'trades' (did you mean 'trade'?)"),
    ("not_an_array.toml", 38, "expected an array of tables [[trade]], got a table"),
    ("invalid_toml.toml", 24, "invalid TOML: Illegal character"),
    ("empty.toml", None, "no records; expected tables such as [[source]]"),
    ("deep_nesting.toml", None, "nested too deeply to parse"),
    (
        "many_duplicate_ids.toml",
        49,
        "person[2] 'petrov' id: duplicate id, first used by person[0] at line 12 "
        "(and 299 more; run 'kzkg verify')",
    ),
]


@pytest.mark.parametrize(("name", "line", "message"), BAD_CASES)
def test_each_bad_file_fails_with_its_message(name: str, line: int | None, message: str) -> None:
    with pytest.raises(FactFileError) as caught:
        load_rows(BAD / name)
    first = caught.value.problems[0]
    assert message.split(" (and ")[0] in str(first), str(first)
    assert message in caught.value.message
    assert first.line == line
    assert str(first).startswith(str(BAD / name))
    assert caught.value.code == ExitCode.FACT_FILE


def test_every_bad_fixture_has_a_case() -> None:
    assert {p.name for p in BAD.glob("*.toml")} == {case[0] for case in BAD_CASES}


def test_invalid_record_does_not_cascade_into_reference_errors(tmp_path: Path) -> None:
    text = MINI_FACTS.read_text(encoding="utf-8").replace('country = "KG"', 'country = "RU"')
    bad = tmp_path / "facts.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(FactFileError) as caught:
        load_rows(bad)
    assert len(caught.value.problems) == 1
    assert "country: expected one of 'KZ', 'KG', got 'RU'" in str(caught.value.problems[0])


def test_all_problems_are_collected_not_just_the_first(tmp_path: Path) -> None:
    text = MINI_FACTS.read_text(encoding="utf-8")
    text = text.replace("value_usd = 10000000", 'value_usd = "x"').replace(
        'kind = "talks"', "kind = 1"
    )
    bad = tmp_path / "facts.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(FactFileError) as caught:
        load_rows(bad)
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 2, messages


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: None, "fact file not found"),
        (lambda p: p.mkdir(), "is a directory, not a fact file"),
        (lambda p: p.write_bytes(b'a = "\xff"\n'), "not UTF-8 text (byte 5"),
        (lambda p: p.write_text(""), "fact file is empty"),
    ],
)
def test_unreadable_files_get_one_clear_problem(
    tmp_path: Path, setup: object, message: str
) -> None:
    path = tmp_path / "facts.toml"
    setup(path)  # type: ignore[operator]
    with pytest.raises(FactFileError) as caught:
        load_rows(path)
    assert message in caught.value.message


def test_toml_dates_are_accepted_as_iso_strings(tmp_path: Path) -> None:
    text = MINI_FACTS.read_text(encoding="utf-8").replace(
        'date = "2024-03-05"\nplace', "date = 2024-03-05\nplace"
    )
    path = tmp_path / "facts.toml"
    path.write_text(text, encoding="utf-8")
    [meeting] = [row for row in load_rows(path) if row["id"] == "meeting"]
    assert meeting["date"] == "2024-03-05"


def test_a_file_without_read_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What an unreadable file gives (simulated: as root, every file is readable)."""
    path = tmp_path / "facts.toml"
    path.write_text(MINI_FACTS.read_text(encoding="utf-8"), encoding="utf-8")

    def refuse(name: str, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", name)

    monkeypatch.setattr(read, "open", refuse, raising=False)  # shadows the builtin there
    with pytest.raises(FactFileError) as caught:
        load_rows(path)
    assert caught.value.message == f"{path}: permission denied"
