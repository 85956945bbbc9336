"""Every view as a person sees it in a real terminal, 80 and 120 columns wide.

Two kinds of test, both through the installed `kzkg` in a pseudo-terminal (tests/terminal.py):

- On the shipped fact base, whatever it holds: no line is wider than the terminal, and no word
  is split while it fits its column. Every word on the screen must be a word of the same
  answer's TSV (the same cells, one line each), or a piece of a word longer than the column
  it stands in (only such a word may be cut). A new article changes what is shown, never
  whether these hold.
- Golden files: on a frozen fact file (tests/data/golden, a few records of two articles), the
  screen is compared with tests/golden/NAME-COLUMNS.txt byte for byte, colour codes removed.
  After a deliberate change of layout, rewrite them with
  `UPDATE_GOLDEN=1 python -m pytest tests/test_tables.py` and read the diff.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from kzkg_cli.core.rows import Row
from kzkg_cli.present.columns import Column, View
from kzkg_cli.present.formats import Format, write
from kzkg_cli.present.layout import WORD_FLOOR, Need, share, wrap
from kzkg_cli.present.table import print_table
from kzkg_cli.present.views import text
from tests.conftest import DATA, ROOT, Invoke
from tests.terminal import in_terminal

WIDTHS = (80, 120)
VIEWS = {
    "who": ["who"],
    "who-en": ["who", "--lang", "en"],
    "who-role": ["who", "--role", "министр"],
    "said": ["said"],
    "when": ["when"],
    "trade": ["trade"],
    "trade-en": ["trade", "--lang", "en"],
    "borders": ["borders"],
    "agreements": ["agreements"],
    "agreements-en": ["agreements", "--lang", "en"],
    "search": ["search", "водоснабжение"],
    "search-why": ["search", "Хан-Тенгри", "--why"],
    "sources": ["sources"],
}
"""Views answered by a table (or records, where no readable table fits)."""
SHOWN = {
    "show-person": "tokayev",
    "show-event": "igc-13",
    "show-conflict": "turnover-2024-conflict",
    "show-passage": "003:12",
}
"""`show` of one record of each shape; skipped where the shipped base has no such id."""
GOLDEN = Path(__file__).parent / "golden"
GOLDEN_FACTS = DATA / "golden" / "facts.toml"

BOX_LINE = re.compile(r"^[\s┏┓┗┛┡┩└┘┌┐├┤━─┳┻╇┴┬┼╋╈]+$")
CELL_EDGE = re.compile(r"[│┃]")
LIST_WORDS = {"•", "и", "ещё", "and", "more", "—", "~", "…"}
"""Words a table adds itself: a list's bullet, "и ещё N" / "and N more"."""


def words_of(text: str) -> set[str]:
    """The words of text as the check compares them: split at spaces and tabs, TSV escapes
    taken off; each as written and without list punctuation."""
    words = [word for word in re.split(r"[\s\t]+", text.replace("\\", " ")) if word]
    return {*words, *(_bare(word) for word in words)}


def _bare(word: str) -> str:
    return word.strip(",;•")


def split_words(screen: str, vocabulary: set[str], columns: int) -> list[str]:
    """Each word on screen that is neither a word of the answer nor a piece of one too long
    for where it stands, with the line it is on; and each line wider than the terminal."""
    found: list[str] = []
    lines = screen.splitlines()
    boxed = [n for n, line in enumerate(lines) if BOX_LINE.match(line) and line.strip()]
    start = boxed[0] if boxed else 1  # a table's title is above its box; records' is line 1
    found += [f"line wider than {columns}: {line!r}" for line in lines if cell_len(line) > columns]
    for line in lines[start:]:
        if not line.strip() or BOX_LINE.match(line) or "┃" in line:
            continue  # a border, or a table's header row (the view's own words)
        if CELL_EDGE.search(line):
            cells = [_room(part[1:-1], cell_len(part) - 2) for part in CELL_EDGE.split(line)[1:-1]]
        else:
            if not line.startswith(" ") and ": " in line:
                line = line.split(": ", 1)[1]  # the header of a `header: value` record
            cells = [_room(line, columns)]
        for content, width in cells:
            found += [
                f"{word!r} ({width} wide) in {line!r}"
                for word in content.split()
                if not _whole_or_cut(word, vocabulary, width)
            ]
    return found


def _room(content: str, width: int) -> tuple[str, int]:
    """A cell's text, and the width its words had: less a list item's bullet or indent."""
    text = content.lstrip(" ")
    indent = len(content) - len(text)
    if text.startswith("• "):
        indent += 2
    return text, width - (indent if indent < width else 0)


def _whole_or_cut(word: str, vocabulary: set[str], width: int) -> bool:
    """Whether word is a word of the answer, a word the table adds, or a piece of a word
    longer than width in a column of readable width (only such a word may be cut: a column
    too narrow for its words must get more room, or the rows become records)."""
    bare = _bare(word)
    if not bare or bare in vocabulary or bare in LIST_WORDS or bare.isdigit():
        return True
    piece = bare.rstrip("-") or bare
    if width < WORD_FLOOR:
        return False
    return any(piece in whole and cell_len(whole) > width for whole in vocabulary)


def table_args(args: list[str], facts: Path | None = None) -> list[str]:
    return [*(["--facts", str(facts)] if facts else []), *args]


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("name", [*VIEWS, *SHOWN])
def test_no_word_is_split_and_no_line_overflows(invoke: Invoke, name: str, columns: int) -> None:
    args = VIEWS.get(name) or ["show", SHOWN[name]]
    tsv = invoke(*args, "--format", "tsv")
    if name in SHOWN and tsv.code != 0:
        pytest.skip(f"the shipped fact base has no {SHOWN[name]}")
    assert tsv.code == 0, tsv.stderr
    screen = in_terminal(args, columns)
    assert screen.code == 0, screen.stderr
    assert screen.stderr == ""
    assert "\t" not in screen.text
    assert split_words(screen.text, words_of(tsv.stdout), columns) == []


@pytest.mark.parametrize("columns", WIDTHS)
def test_the_chart_wraps_its_footnotes_at_words(invoke: Invoke, columns: int) -> None:
    """The chart's bars and its footnotes (each conflict's summary) fit the terminal, and a
    footnote breaks only between words."""
    conflicts = invoke("export", "--type", "conflict", "--format", "json").json()
    vocabulary = words_of(invoke("trade", "--format", "tsv").stdout)
    for conflict in conflicts:
        vocabulary |= words_of(" ".join(str(v) for v in conflict.values() if isinstance(v, str)))
    screen = in_terminal(["trade", "--chart"], columns)
    assert screen.code == 0, screen.stderr
    notes = screen.text.split("\n! ", 1)
    assert all(cell_len(line) <= columns for line in screen.text.splitlines())
    if len(notes) == 2:
        footnotes = "! " + notes[1]
        assert split_words(footnotes, vocabulary | {"!"}, columns) == []


def test_a_narrow_terminal_gets_records_wrapped_at_words(invoke: Invoke) -> None:
    """Where no readable table fits, each row is `header: value` lines, the value wrapped at
    words to the terminal's width and indented under its first line."""
    tsv = invoke("trade", "--format", "tsv")
    screen = in_terminal(["trade"], 40)
    assert screen.code == 0, screen.stderr
    assert "┃" not in screen.text and "│" not in screen.text
    assert re.search(r"^figure: ", screen.text, re.MULTILINE)
    assert split_words(screen.text, words_of(tsv.stdout), 40) == []


def test_a_column_empty_in_every_row_is_left_out() -> None:
    """A table leaves out a column with nothing in any row; TSV keeps it (an empty field),
    since scripts count fields."""
    rows: list[Row] = [{"a": "один", "b": ""}, {"a": "два", "b": ""}]
    view = View("T", [Column("alpha", text("a")), Column("beta", text("b"))])
    table, tsv = io.StringIO(), io.StringIO()
    print_table(rows, view, table)
    write(rows, view, Format.tsv, tsv)
    assert "alpha" in table.getvalue() and "beta" not in table.getvalue()
    assert tsv.getvalue().splitlines() == ["один\t", "два\t"]


def test_a_long_list_shows_its_first_items_and_how_many_more(invoke: Invoke) -> None:
    """An event with many participants shows the first few and "и ещё N" in a table ("and N
    more" in English); `show` lists them all."""
    events = invoke("when", "--json").json()
    crowded = [event for event in events if len(event.get("participants") or []) > 6]
    if not crowded:
        pytest.skip("no event in the shipped base has more than six participants")
    event = crowded[0]
    rest = len(event["participants"]) - 5
    screen = in_terminal(["when"], 400)  # wide enough that no cell wraps
    assert f"и ещё {rest}" in screen.text
    english = in_terminal(["when", "--lang", "en"], 400)
    assert f"and {rest} more" in english.text
    shown = invoke("show", event["id"], "--format", "tsv").stdout
    assert all(p["name"] in shown for p in event["participants"])


# ----------------------------------------------------------------------------- golden files


GOLDEN_VIEWS = {
    "who": ["who"],
    "who-en": ["who", "--lang", "en"],
    "said": ["said"],
    "when": ["when"],
    "trade": ["trade"],
    "trade-en": ["trade", "--lang", "en"],
    "chart": ["trade", "--chart"],
    "borders": ["borders"],
    "agreements": ["agreements"],
    "search": ["search", "Токаев"],
    "sources": ["sources"],
    "show-person": ["show", "tokayev"],
    "show-passage": ["show", "000:3"],
}


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("name", GOLDEN_VIEWS)
def test_golden(name: str, columns: int) -> None:
    relative = GOLDEN_FACTS.relative_to(ROOT)  # the sources title names it: the same anywhere
    screen = in_terminal(table_args(GOLDEN_VIEWS[name], relative), columns, cwd=ROOT)
    assert screen.code == 0, screen.stderr
    text = screen.text
    path = GOLDEN / f"{name}-{columns}.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def test_golden_facts_verify(invoke: Invoke) -> None:
    """The frozen fact file is a correct one: every quote verbatim in its article."""
    result = invoke("verify", "--strict", "--facts", str(GOLDEN_FACTS), "--json")
    assert result.code == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert (report[0] if isinstance(report, list) else report)["ok"] is True


def test_words_break_only_when_longer_than_the_line() -> None:
    """layout.wrap keeps every word that fits whole, cuts a longer one at its own hyphen,
    slash or underscore first, and adds a hyphen only where a part is still too long."""
    assert wrap("Касым-Жомарта Токаева", 14) == ["Касым-Жомарта", "Токаева"]
    assert wrap("Касым-Жомарта", 8) == ["Касым-", "Жомарта"]
    assert wrap("~2025-08-21/2025-08-22", 12) == ["~2025-08-21/", "2025-08-22"]
    assert wrap("joint_statement", 10) == ["joint_", "statement"]
    assert wrap("межправительственные", 8) == ["межправ-", "ительст-", "венные"]
    assert all(len(line) <= 8 for line in wrap("межправительственные соглашения", 8))


def test_widths_share_the_room_by_what_each_column_wants() -> None:
    """Columns that all fit get what they want; else each its least, the rest shared in
    proportion to what each still wants; None where the least do not fit."""
    assert share([Need(3, 5), Need(4, 10)], 20) == [5, 10]
    widths = share([Need(3, 5), Need(4, 24)], 16)
    assert widths is not None and sum(widths) == 16
    assert widths[0] >= 3 and widths[1] >= 4 and widths[1] > widths[0]
    assert share([Need(10, 20), Need(10, 20)], 19) is None


def test_the_check_finds_a_split_word() -> None:
    """The check itself: a word cut though it fits its column is found (the table as 0.4.0
    drew it at 80 columns), a word longer than its column may be cut."""
    words = {"сотрудничества", "Комплексный", "план"}
    old = "│ Комплексн │\n│ ый план   │\n│ сотруднич │\n│ ества     │"
    assert len(split_words("┏━━━━━━━━━━━┓\n" + old, words, 80)) == 4
    fitting = "│ Комплексный    │\n│ план           │\n│ сотрудничества │"
    assert split_words("┏━━━━━━━━━━━━━━━━┓\n" + fitting, words, 80) == []
    cut = "│ сотрудни-  │\n│ чества     │"
    assert split_words("┏━━━━━━━━━━━━┓\n" + cut, {"сотрудничества"}, 80) == []
