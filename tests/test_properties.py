"""Property-based tests: whatever is typed or written, kzkg answers or says why; never crashes."""

from __future__ import annotations

import io
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzkg_cli.core import names
from kzkg_cli.core.errors import ExitCode, FactFileError, KzkgError
from kzkg_cli.core.rows import person_aliases
from kzkg_cli.index.store import Store
from kzkg_cli.ingest.read import parse_toml
from kzkg_cli.ingest.validate import validate
from kzkg_cli.present import formats as render
from kzkg_cli.present import views
from kzkg_cli.search import query
from kzkg_cli.search.match import match_people

from .conftest import MINI_FACTS, run_kzkg

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def store(real_store: Store) -> Store:
    return real_store


# ---------------------------------------------------------------------------- normalisation

TEXT = st.text(
    st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Z", "Cc")), max_size=60
)
NAMEISH = st.text(
    st.sampled_from("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіABCDEFGHIJKLMNOPQRSTUVWXYZxyzq -."),
    max_size=30,
)


@given(TEXT)
def test_folding_is_idempotent(text: str) -> None:
    assert names.fold(names.fold(text)) == names.fold(text)


@given(st.one_of(TEXT, NAMEISH))
def test_the_canonical_form_is_idempotent(text: str) -> None:
    once = names.canonical(text)
    assert names.canonical(once) == once


@given(NAMEISH)
def test_case_and_yo_do_not_change_keys(text: str) -> None:
    assert names.name_keys(text.upper()) == names.name_keys(text.lower())
    assert names.name_keys(text.replace("е", "ё")) == names.name_keys(text)


# ---------------------------------------------------------------------------- every person


def case_forms(surname: str) -> list[str]:
    """The Russian case forms of a surname, as a reader meets them in the articles."""
    if surname.endswith(("ова", "ева", "ина")):  # feminine: Балаева
        stem = surname[:-1]
        return [stem + "ой", stem + "у"]
    if surname.endswith(("ов", "ев", "ин", "ын")):  # Токаев
        return [surname + ending for ending in ("а", "у", "ым", "е")]
    if surname.endswith("й"):  # Абай
        return [surname[:-1] + ending for ending in ("я", "ю", "ем")]
    if surname[-1] in "бвгджзклмнпрстфхцчшщ":  # Тургунбек
        return [surname + ending for ending in ("а", "у", "ом", "е")]
    return []


def people(store: Store) -> list[tuple[str, list[str]]]:
    return [(row["id"], person_aliases(row)) for row in store.rows("person")]


def test_every_person_is_found_by_every_alias_in_every_case(store: Store) -> None:
    misses = []
    for person_id, aliases in people(store):
        for alias in aliases:
            for typed in {alias, alias.upper(), alias.lower(), alias.title()}:
                if person_id not in {hit.row["id"] for hit in match_people(store, typed)}:
                    misses.append((person_id, typed))
    assert misses == []


def test_every_person_is_found_by_every_case_form_of_their_surname(store: Store) -> None:
    misses, tried = [], 0
    for person_id, aliases in people(store):
        surname = aliases[0].split()[-1]
        for form in case_forms(surname):
            tried += 1
            if person_id not in {hit.row["id"] for hit in match_people(store, form)}:
                misses.append((person_id, form))
    assert tried > 40 and misses == []


# ---------------------------------------------------------------------------- random queries


@SETTINGS
@given(TEXT)
def test_random_queries_answer_or_refuse(store: Store, text: str) -> None:
    asks: list[tuple[Any, Any]] = [
        (query.who, views.people),
        (query.when, views.events),
        (query.search, views.search),
        (query.borders, views.borders),
        (query.agreements, views.agreements),
    ]
    for ask, view in asks:
        try:
            answer = ask(store, text)
        except KzkgError:
            continue
        for fmt in render.FORMATS:
            out = io.StringIO()
            render.write(answer.rows, view(store), fmt, out)
            assert "\x1b" not in out.getvalue()


# ---------------------------------------------------------------------------- command lines

WORDS = [
    "who", "when", "trade", "borders", "agreements", "search", "show", "export", "sources",
    "verify", "--json", "--format", "table", "tsv", "csv", "jsonl", "json", "--year", "2024",
    "--from", "--to", "--at", "2025-02-30", "--role", "--country", "KZ", "kg", "--indicator",
    "--status", "--type", "person", "--stdin", "-h", "--help", "--version", "--facts", "-f",
    "-y", "Бектенов", "Tokayev", "Хан-Тенгри", "bektenov", "--", "-", "[bold]", "\x1b[2J",
]  # fmt: skip


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(st.sampled_from(WORDS), TEXT), max_size=6))
def test_random_command_lines_never_crash_and_both_paths_agree(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    result = run_kzkg(capsys, tuple(argv), input="Бектенов\n")
    assert result.code in {int(c) for c in ExitCode}
    assert "Traceback" not in result.stderr
    if result.code == ExitCode.USAGE:
        assert result.stderr.startswith("kzkg: error: ") or "Usage:" in result.stdout
    if argv:  # `kzkg` alone prints the overview, which is not the app's
        assert run_kzkg(capsys, tuple(argv), input="Бектенов\n", fast=False) == result


# ---------------------------------------------------------------------------- fact files

MINI = MINI_FACTS.read_text(encoding="utf-8")


def mutate(text: str, seed: int, how: str) -> str:
    rng = random.Random(seed)
    lines = text.splitlines(keepends=True)
    at = rng.randrange(len(lines))
    if how == "drop line":
        del lines[at]
    elif how == "repeat line":
        lines.insert(at, lines[at])
    elif how == "swap lines":
        other = rng.randrange(len(lines))
        lines[at], lines[other] = lines[other], lines[at]
    elif how == "truncate":
        return text[: rng.randrange(len(text))]
    elif how == "garble":
        start = rng.randrange(len(text))
        noise = "".join(rng.choice('[]{}="\\\n#.,-0123456789abcdefжщ') for _ in range(5))
        return text[:start] + noise + text[start + rng.randrange(6) :]
    return "".join(lines)


@SETTINGS
@given(
    st.integers(0, 2**32),
    st.sampled_from(["drop line", "repeat line", "swap lines", "truncate", "garble"]),
)
def test_mutated_fact_files_load_or_say_why(seed: int, how: str) -> None:
    text = mutate(MINI, seed, how)
    try:
        rows = validate(parse_toml(text, "facts.toml"), text, "facts.toml")
    except FactFileError as exc:
        assert exc.problems and all(p.file == "facts.toml" for p in exc.problems)
        assert "\n" not in exc.message
    else:
        assert rows and all(row["id"] for row in rows)


# ---------------------------------------------------------------------------- streamed output

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
ROWS = st.lists(st.dictionaries(TEXT, JSON_VALUES, max_size=4), max_size=4)


class AsciiOut(io.StringIO):
    """A stream whose encoding cannot write Cyrillic (PYTHONIOENCODING=ascii)."""

    encoding = "ascii"


@SETTINGS
@given(ROWS, st.booleans())
def test_streamed_json_is_the_bytes_json_dumps_gives(
    rows: list[dict[str, Any]], ascii: bool
) -> None:
    import json

    for write, expected in (
        (render.write_json, json.dumps(rows, indent=2, ensure_ascii=ascii) + "\n"),
        (render.write_jsonl, "".join(json.dumps(r, ensure_ascii=ascii) + "\n" for r in rows)),
    ):
        out = AsciiOut() if ascii else io.StringIO()
        assert write(rows, out) == len(rows)
        assert out.getvalue() == expected
