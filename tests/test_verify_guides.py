"""verify guides a curator: each message names the file, the line of the very value it is about,
and what to change (issue 15). Each test breaks one thing in a copy of the shipped fact file and
seeds, derived from the copied data, and runs the real `kzkg verify` on it."""

from __future__ import annotations

import tomllib
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kzkg_cli.ingest.positions import scan

from .conftest import REAL_FACTS

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
