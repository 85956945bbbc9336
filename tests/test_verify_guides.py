"""verify guides a curator: each message names the file, the line of the very value it is about,
and what to change (issue 15). Each test breaks one thing in a copy of the shipped fact file and
seeds, derived from the copied data, and runs the real `kzkg verify` on it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kzkg_cli.ingest.positions import scan

from .conftest import REAL_FACTS, Invoke, working_copy

# ----------------------------------------------------------------------------- the scanner

_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)


def _basic(value: str, draw: Any) -> str:
    out = []
    for char in value:
        if char in '"\\' or ord(char) < 0x20 or char == "\x7f" or draw(st.booleans()):
            out.append(f"\\u{ord(char):04x}" if ord(char) < 0x10000 else f"\\U{ord(char):08x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _multi_basic(value: str, draw: Any) -> str:
    out = []
    for char in value:
        if char in '"\\' or (ord(char) < 0x20 and char != "\n") or char == "\x7f":
            out.append(f"\\u{ord(char):04x}")
        else:
            if not char.isspace() and draw(st.booleans()) and draw(st.booleans()):
                out.append("\\\n   ")  # a line-ending backslash: folded away with the spaces
            out.append(char)
    first = "\n" if value.startswith("\n") or draw(st.booleans()) else ""
    return '"""' + first + "".join(out) + '"""'


@st.composite
def _string(draw: Any) -> tuple[str, str]:
    """A string value and one way TOML writes it."""
    value = draw(_TEXT | st.sampled_from(['a "quoted" «word» —', "it's", "строка\nдве"]))
    styles = ["basic", "multi"]
    plain = not any(ord(c) < 0x20 and c != "\t" or c == "\x7f" for c in value)
    if plain and "'" not in value:
        styles.append("literal")
    controls = any(ord(c) < 0x20 and c not in "\t\n" or c == "\x7f" for c in value)
    if "'''" not in value and not value.endswith("'") and not controls:
        styles.append("multi_literal")
    style = draw(st.sampled_from(styles))
    if style == "literal":
        return value, f"'{value}'"
    if style == "multi_literal":
        return value, "'''\n" + value + "'''"
    if style == "multi":
        return value, _multi_basic(value, draw)
    return value, _basic(value, draw)


_SCALAR = st.one_of(
    _string(),
    st.integers(-(10**12), 10**12).map(lambda n: (n, str(n))),
    st.booleans().map(lambda b: (b, "true" if b else "false")),
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(lambda f: (f, repr(f))),
)


@st.composite
def _value(draw: Any, depth: int = 0) -> tuple[Any, str]:
    if depth >= 2 or draw(st.integers(0, 3)):
        scalar: tuple[Any, str] = draw(_SCALAR)
        return scalar
    if draw(st.booleans()):
        items = draw(st.lists(_value(depth + 1), max_size=3))
        gap = draw(st.sampled_from([" ", "\n  ", "\n  # a comment\n  "]))
        body = ",".join(gap + text for _, text in items)
        trailing = "," if items and draw(st.booleans()) else ""
        return [v for v, _ in items], "[" + body + trailing + "\n]"
    keys = draw(st.lists(st.from_regex(r"[a-z_]{1,6}", fullmatch=True), max_size=3, unique=True))
    pairs = [(key, draw(_value(depth + 1))) for key in keys]
    text = ", ".join(f"{key} = {text}" for key, (_, text) in pairs)
    return {key: value for key, (value, _) in pairs}, "{ " + text + " }"


@st.composite
def _document(draw: Any) -> tuple[dict[str, Any], str, dict[tuple[str, int, str], int]]:
    """A document, its text, and the line of each record's header ("") and top-level keys."""
    lines = ["# a fact file", "schema_version = 1", ""]
    data: dict[str, Any] = {"schema_version": 1}
    where: dict[tuple[str, int, str], int] = {}
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["source", "person", "trade"]))
        records = data.setdefault(kind, [])
        where[(kind, len(records), "")] = len(lines) + 1
        lines.append(f"[[{kind}]]  # a record")
        key = st.from_regex(r"[a-z_]{1,8}", fullmatch=True)
        keys = draw(st.lists(key, max_size=4, unique=True))
        record: dict[str, Any] = {}
        for key in keys:
            value, text = draw(_value())
            where[(kind, len(records), key)] = len(lines) + 1
            written = f'"{key}"' if draw(st.booleans()) else key
            lines.extend(f"{written} = {text}".split("\n"))
            record[key] = value
        records.append(record)
        lines.append("")
    return data, "\n".join(lines) + "\n", where


@given(_document())
def test_the_scanner_reads_what_tomllib_reads_and_places_every_value(
    case: tuple[dict[str, Any], str, dict[tuple[str, int, str], int]],
) -> None:
    data, text, where = case
    assert tomllib.loads(text) == data, text  # the generator writes valid TOML
    found = scan(text)
    assert found.document == data, text
    for (kind, index, path), line in where.items():
        assert found.records[(kind, index)][path].line == line, (text, kind, index, path)


def test_the_scanner_places_every_quote_of_the_shipped_file() -> None:
    text = REAL_FACTS.read_text(encoding="utf-8")
    lines = text.splitlines()
    found = scan(text)
    assert found.document == tomllib.loads(text)
    quotes = 0
    for spots in found.records.values():
        for path, spot in spots.items():
            if path.endswith(".quote"):
                quotes += 1
                assert spot.value.replace('"', '\\"') in lines[spot.line - 1], (path, spot)
    assert quotes > 0


# ----------------------------------------------------------------------------- verify's messages


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    """A copy of the shipped fact file, with a copy of the seeds beside it."""
    return working_copy(tmp_path)


def _data(facts: Path) -> dict[str, Any]:
    return tomllib.loads(facts.read_text(encoding="utf-8"))


def _edit_line(facts: Path, number: int, old: str, new: str) -> None:
    """Replace old by new on line number (1-based) of the fact file, once."""
    lines = facts.read_text(encoding="utf-8").split("\n")
    assert old in lines[number - 1], (number, old)
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    facts.write_text("\n".join(lines), encoding="utf-8")


def _line_of(facts: Path, text: str, after: int = 0) -> int:
    """The number of the first line after line `after` that holds text."""
    lines = facts.read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, 1) if n > after and text in line)


def _quotes_as_written(facts: Path) -> list[tuple[int, str, str]]:
    """(line, doc, quote as written) of each `{ doc = ..., quote = "..." }` of the file."""
    found = []
    pattern = re.compile(r'doc = "([^"]+)", quote = "((?:[^"\\]|\\.)*)"')
    for number, line in enumerate(facts.read_text(encoding="utf-8").split("\n"), 1):
        found += [(number, m.group(1), m.group(2)) for m in pattern.finditer(line)]
    return found


def _problem_at(output: str, facts: Path, number: int) -> list[str]:
    """The message on line number of the fact file and the indented lines under it."""
    lines = output.splitlines()
    head = f"{facts}:{number}: "
    start = next(
        i for i, line in enumerate(lines) if line.removeprefix("warning: ").startswith(head)
    )
    block = [lines[start]]
    block += [line for line in lines[start + 1 :] if line.startswith("    ")][:2]
    return block


def test_a_retyped_dash_shows_the_passage_and_names_the_dash(invoke: Invoke, facts: Path) -> None:
    number, doc, quote = next(
        q for q in _quotes_as_written(facts) if "–" in q[2] and "\\" not in q[2]
    )
    _edit_line(facts, number, f'quote = "{quote}"', f'quote = "{quote.replace("–", "-", 1)}"')
    result = invoke("verify", "--facts", str(facts))
    assert result.code == 3, result.stdout
    head, article, retyped = _problem_at(result.stdout, facts, number)
    assert f"quote not found verbatim in {doc}.txt" in head and "a dash" in head, head
    assert "copy the quote from the article" in head
    assert article.strip().startswith("article: ") and "[–]" in article
    assert retyped.strip().startswith("quote: ") and "[-]" in retyped
    as_json = invoke("verify", "--json", "--facts", str(facts)).json()
    [problem] = [p for p in as_json["problems"] if f"{facts}:{number}: " in p]
    assert "[–]" in problem and "\n" not in problem  # one string a problem
    assert as_json["facts"] == str(facts)


@pytest.mark.parametrize(
    ("before", "after", "culprit"),
    [
        ("«", '\\"', "a quote mark"),
        ("е", "ё", "ё/е"),
        (" ", "", "a space"),
        ("а", "о", "a retyped word"),
    ],
)
def test_each_usual_culprit_is_named(
    invoke: Invoke, facts: Path, before: str, after: str, culprit: str
) -> None:
    quotes = [q for q in _quotes_as_written(facts) if before in q[2] and "\\" not in q[2]]
    if not quotes:
        pytest.skip(f"no quote holds {before!r}")
    number, _, quote = quotes[-1]
    at = quote.rindex(before)
    retyped = quote[:at] + after + quote[at + len(before) :]
    _edit_line(facts, number, f'quote = "{quote}"', f'quote = "{retyped}"')
    result = invoke("verify", "--facts", str(facts))
    head = _problem_at(result.stdout, facts, number)[0]
    assert culprit in head, result.stdout


def test_a_quote_with_the_words_of_an_earlier_line_is_placed_at_itself(
    invoke: Invoke, facts: Path
) -> None:
    """The words a quote starts with may stand earlier in the file (a lead, another record):
    the line is the quote's own."""
    text_lines = facts.read_text(encoding="utf-8").split("\n")
    number, _, quote = next(
        (n, d, q)
        for n, d, q in _quotes_as_written(facts)
        if "\\" not in q and any(q[:40] in line for line in text_lines[: n - 1])
    )
    _edit_line(facts, number, f'quote = "{quote}"', f'quote = "{quote} (misquoted)"')
    result = invoke("verify", "--facts", str(facts))
    assert result.code == 3
    head = _problem_at(result.stdout, facts, number)[0]
    assert (
        "quote not found verbatim" in head
        and "(misquoted)" in facts.read_text(encoding="utf-8").split("\n")[number - 1]
    )


def test_a_quote_holding_an_escaped_quote_mark_gets_its_line(invoke: Invoke, facts: Path) -> None:
    number, _, quote = next(q for q in _quotes_as_written(facts) if '\\"' in q[2])
    at = quote.index('\\"') + 2
    broken = quote[:at] + "Ж" + quote[at:]
    _edit_line(facts, number, f'quote = "{quote}"', f'quote = "{broken}"')
    result = invoke("verify", "--facts", str(facts))
    head = _problem_at(result.stdout, facts, number)[0]
    assert "quote not found verbatim" in head and "a retyped word" in head, result.stdout


@pytest.mark.parametrize(
    ("codec", "named"),
    [("cp1251", "cp1251"), ("koi8-r", "KOI8-R"), ("utf-16", "UTF-16"), ("cp866", "cp866")],
)
def test_an_article_not_in_utf8_is_one_message_naming_its_encoding(
    invoke: Invoke, facts: Path, codec: str, named: str
) -> None:
    article = sorted((facts.parent / "seeds").glob("*.txt"))[-1]
    article.write_bytes(article.read_text(encoding="utf-8").encode(codec, "replace"))
    result = invoke("verify", "--facts", str(facts))
    assert result.code == 3
    assert result.stdout.splitlines() == [
        f"{article}: not UTF-8 text (byte {_first_bad_byte(article)}); it looks like "
        + result.stdout.split("it looks like ", 1)[1].splitlines()[0]
    ]
    assert named in result.stdout and "save it as UTF-8" in result.stdout
    assert result.stderr == f"kzkg: error: {facts}: 1 problem(s) found\n"


def _first_bad_byte(path: Path) -> int:
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    raise AssertionError("valid UTF-8")


@pytest.mark.parametrize("name", ["{}.TXT", "{}.md", "{}.txt.txt"])
def test_a_misnamed_article_is_one_message_naming_the_file_found(
    invoke: Invoke, facts: Path, name: str
) -> None:
    article = sorted((facts.parent / "seeds").glob("*.txt"))[-1]
    stem = article.stem
    article.rename(article.with_name(name.format(stem)))
    data = _data(facts)
    cited = [
        ref
        for kind, records in data.items()
        if isinstance(records, list)
        for record in records
        for part in (record, *record.get("roles", ()), *record.get("readings", ()))
        for ref in part.get("sources", ())
        if ref["doc"] == stem
    ]
    own = next(r for r in data["source"] if r["id"] == stem)
    quotes = len(cited) + sum(1 for key in ("lead", "headline") if own.get(key))
    result = invoke("verify", "--facts", str(facts))
    assert result.code == 3
    [message] = [line for line in result.stdout.splitlines() if "not found" in line]
    assert f"article {stem}.txt not found in {facts.parent / 'seeds'}" in message
    assert f"({quotes} quotes cite it, the first here)" in message
    assert f"found {name.format(stem)}; articles are UTF-8 files named <source id>.txt" in message
    number = int(message.split(":")[1])
    assert stem in facts.read_text(encoding="utf-8").split("\n")[number - 1]


def test_the_summary_names_the_fact_file(invoke: Invoke, facts: Path) -> None:
    result = invoke("verify", "--facts", str(facts))
    assert result.code == 0 and result.stdout.startswith(f"ok: {facts}: "), result.stdout
    assert invoke("verify", "--json", "--facts", str(facts)).json()["facts"] == str(facts)
    _edit_line(facts, _line_of(facts, "lead = "), "lead = ", "lead_x = ")
    broken = invoke("verify", "--json", "--facts", str(facts))
    assert broken.json()["facts"] == str(facts) and broken.json()["ok"] is False
    assert broken.stderr.startswith(f"kzkg: error: {facts}: ")


def test_a_misspelt_indicator_is_a_warning_with_did_you_mean(invoke: Invoke, facts: Path) -> None:
    indicators = [record["indicator"] for record in _data(facts)["trade"]]
    common = max(set(indicators), key=indicators.count)
    assert indicators.count(common) > 1
    typo = common[:2] + common[3] + common[2] + common[4:]
    number = _line_of(facts, f'indicator = "{common}"')
    _edit_line(facts, number, f'"{common}"', f'"{typo}"')
    result = invoke("verify", "--facts", str(facts))
    assert result.code == 0
    wanted = f"indicator '{typo}' appears nowhere else; did you mean '{common}'?"
    assert f"warning: {facts}:{number}: " in result.stdout and wanted in result.stdout
    assert invoke("verify", "--strict", "--facts", str(facts)).code == 3


def test_a_misspelt_fixed_choice_is_refused_with_did_you_mean(invoke: Invoke, facts: Path) -> None:
    kind = _data(facts)["event"][0]["kind"]
    typo = kind[:2] + kind[3] + kind[2] + kind[4:]
    number = _line_of(facts, f'kind = "{kind}"', after=_line_of(facts, "[[event]]"))
    _edit_line(facts, number, f'"{kind}"', f'"{typo}"')
    result = invoke("verify", "--facts", str(facts))
    assert result.code == 3
    assert result.stdout.startswith(f"{facts}:{number}: ")
    assert f"got '{typo}' (did you mean '{kind}'?)" in result.stdout


def test_a_source_date_against_its_article_date_line(invoke: Invoke, facts: Path) -> None:
    source = next(s for s in _data(facts)["source"] if s.get("date") and not s.get("date_inferred"))
    header = (facts.parent / "seeds" / f"{source['id']}.txt").read_text(encoding="utf-8")
    day = re.match(r"\s*date (\d{4}-\d{2}-\d{2})", header)
    assert day is not None and day.group(1) == source["date"]
    wrong = f"{day.group(1)[:8]}{int(day.group(1)[8:]) - 1:02d}"
    number = _line_of(
        facts, f'date = "{source["date"]}"', _line_of(facts, f'id = "{source["id"]}"')
    )
    _edit_line(facts, number, source["date"], wrong)
    result = invoke("verify", "--facts", str(facts))
    message = _problem_at(result.stdout, facts, number)[0]
    assert f"date '{wrong}' contradicts the article's date line 'date {source['date']}'" in message
    assert f"write date = '{source['date']}'" in message


def test_a_role_dated_after_its_article_is_reported(invoke: Invoke, facts: Path) -> None:
    known = {s["id"]: s["date"] for s in _data(facts)["source"] if s.get("date")}
    person, role = next(
        (p, r)
        for p in _data(facts)["person"]
        for r in p["roles"]
        if r.get("date") and all(ref["doc"] in known for ref in r["sources"])
    )
    later = str(int(max(known[ref["doc"]] for ref in role["sources"])[:4]) + 1)
    start = _line_of(facts, f'id = "{person["id"]}"')
    number = _line_of(facts, f'date = "{role["date"]}"', start)
    _edit_line(facts, number, f'date = "{role["date"]}"', f'date = "{later}"')
    result = invoke("verify", "--facts", str(facts))
    lines = [line for line in result.stdout.splitlines() if "is later than" in line]
    assert len(lines) == 1 and lines[0].startswith(f"warning: {facts}:{number}: person"), lines
    assert f"date '{later}' is later than" in lines[0]


def test_a_cyrillic_outlet_needs_its_english(invoke: Invoke, facts: Path) -> None:
    source = next(s for s in _data(facts)["source"] if s.get("outlet") and not s.get("outlet_en"))
    number = _line_of(facts, f'outlet = "{source["outlet"]}"')
    _edit_line(facts, number, source["outlet"], "Казинформ")
    assert invoke("verify", "--facts", str(facts)).code == 0
    strict = invoke("verify", "--strict", "--facts", str(facts))
    assert strict.code == 3 and "no English text for outlet_en" in strict.stdout


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ('" {}"', "write it in ASCII digits with no spaces"),
        ('"{}"', "write it in ASCII digits with no spaces"),  # full-width digits
    ],
)
def test_a_date_with_a_space_or_other_digits_is_refused(
    invoke: Invoke, facts: Path, written: str, message: str
) -> None:
    sources = _data(facts)["source"]
    index, source = next((n, s) for n, s in enumerate(sources) if s.get("date"))
    record = _line_of(facts, f'id = "{source["id"]}"')
    number = _line_of(facts, f'date = "{source["date"]}"', record)
    wide = source["date"].translate({ord(d): chr(0xFF10 + int(d)) for d in "0123456789"})
    value = written.format(source["date"] if written.startswith('" ') else wide)
    _edit_line(facts, number, f'"{source["date"]}"', value)
    result = invoke("verify", "--facts", str(facts))
    assert result.code == 3
    assert result.stdout.splitlines() == [
        f"{facts}:{number}: source[{index}] {source['id']!r} date: {message}, as an ISO 8601 "
        "date: "
        "YYYY, YYYY-MM or YYYY-MM-DD"
    ]


def test_a_nan_amount_is_refused(invoke: Invoke, facts: Path) -> None:
    trade = next(t for t in _data(facts)["trade"] if t.get("value_usd"))
    number = _line_of(facts, f"value_usd = {trade['value_usd']}")
    _edit_line(facts, number, f"value_usd = {trade['value_usd']}", "value_usd = nan")
    result = invoke("verify", "--facts", str(facts))
    assert result.code == 3
    assert (
        f"{facts}:{number}: " in result.stdout
        and "expected a finite number, got nan" in result.stdout
    )
