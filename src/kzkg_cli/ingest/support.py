"""The support check: every value a record states is found in that record's own quotes.

A number, a year or a date, a place, a title's words and each person a record names must be
in one of the record's quotes, in any case form or number format ("1,7 млрд" for 1.7e9,
"$1,4 млрд", "21%", "восьми" for 8, "22 августа 2025 года" for 2025-08-22, "Бишкеке" for
Бишкек), unless the record marks the field ``<field>_inferred`` with a note saying from what.
Which fields are checked, and how, the model says (core.model.Quoted; the index stores them,
core.fields.quoted_fields, so this module never loads the model). A full date must have
its day and its year in one quote: a year taken from another sentence is an inference. A
conflict's reading is looked for as the field the conflict is about is ("около 2 млрд
долларов" supports 2000000000 for value_usd, "восьми" 8 for count).

One exception, for roles: a role's date is the day its article attests it, so the date line
of that article ("date 2025-08-22") supports it, when the article states its date.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from kzkg_cli.core import names
from kzkg_cli.core.rows import Row, office_wordings

if TYPE_CHECKING:  # the model is not loaded to verify a cached index
    from kzkg_cli.core.fields import QuotedFields

_MONTHS = (
    "январ", "феврал", "март", "апрел", "ма", "июн",
    "июл", "август", "сентябр", "октябр", "ноябр", "декабр",
)  # fmt: skip
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_NUMBER = re.compile(r"(?<![\d,.])\d+(?:[.,]\d+)?(?![\d])")
_AMOUNT = re.compile(r"(\d+(?:[.,]\d+)?)\s*(трлн|млрд|млн|тыс|триллион|миллиард|миллион|тысяч)")
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")
_SCALE = {"тыс": 1e3, "млн": 1e6, "млрд": 1e9, "трлн": 1e12}
_SCALE |= {"тысяч": 1e3, "миллион": 1e6, "миллиард": 1e9, "триллион": 1e12}  # spelt out
_FIGURES = ("amount", "percent", "count")
"""The ways a figure is looked for; a conflict's reading is looked for as its field is."""

# Numeral words, as stems and the numbers they stand for (cardinal and ordinal forms); a word
# is a numeral when it is one of these stems and at most four letters of ending.
_NUMERALS = {
    "один": 1, "одн": 1, "перв": 1, "два": 2, "две": 2, "двух": 2, "втор": 2,
    "три": 3, "трех": 3, "трет": 3, "четыр": 4, "четверт": 4, "пят": 5, "шест": 6,
    "сем": 7, "седьм": 7, "восем": 8, "восьм": 8, "девят": 9, "десят": 10,
    "одиннадцат": 11, "двенадцат": 12, "тринадцат": 13, "двадцат": 20,
}  # fmt: skip
_ENDING_ROOM = 4
_NUMERAL_STARTS = frozenset(stem[:2] for stem in _NUMERALS)


@functools.lru_cache(maxsize=65536)  # a large fact base repeats its words
def _numeral(token: str) -> int | None:
    """The number a word stands for ("восьми": 8, "тринадцатое": 13), or None."""
    if token[:2] not in _NUMERAL_STARTS:
        return None
    for size in range(min(len(token), 10), 2, -1):
        number = _NUMERALS.get(token[:size])
        if number is not None and len(token) - size <= _ENDING_ROOM:
            return number
    return None


class Gap(NamedTuple):
    """A value not found in its record's quotes: where in the record, and what."""

    field: str
    """As the fact file names it: ``place``, ``roles[1].date``."""
    message: str


class Context:
    """What the check needs from other records, gathered as rows stream past (sources come
    first, then people, then the rest: the index's order; the offices are learnt before the
    stream, for the people's titles)."""

    def __init__(self, quoted: QuotedFields | None = None) -> None:
        self.figures = {
            name: how
            for own, _ in (quoted or {}).values()
            for name, how in own.items()
            if how in _FIGURES
        }
        """How each field that holds a figure is looked for (value_usd: amount), for a
        conflict's readings about it (quoted: every kind's quoted fields, see core.fields)."""
        self.article_dates: dict[str, str] = {}
        """Each article's date, where the article states it."""
        self.people: dict[str, list[str]] = {}
        """Each person's names: the name and every alias."""
        self.aliases: dict[str, list[str]] = {}
        """Each office's wordings, Russian and English."""

    def learn(self, row: Row) -> None:
        kind = row["type"]
        if kind == "source" and row.get("date") and not row.get("date_inferred"):
            self.article_dates[row["id"]] = row["date"]
        elif kind == "person":
            self.people[row["id"]] = [row["name"], *row.get("aliases", ())]
        elif kind == "office":
            self.aliases[row["id"]] = office_wordings(row)


class Evidence:
    """What a record's quotes state: their words, numbers, amounts, percentages and dates,
    each worked out only when a check asks for it (a record's checks need few of them)."""

    def __init__(self, quotes: list[str]) -> None:
        self.quotes = [names.fold(quote) for quote in quotes]
        self.joined = "\n".join(self.quotes)

    @functools.cached_property
    def tokens(self) -> frozenset[str]:
        return frozenset(names.tokens(self.joined))

    @functools.cached_property
    def keys(self) -> frozenset[str]:
        return frozenset().union(*_keys(self.joined))

    @functools.cached_property
    def numbers(self) -> set[float]:
        found = {_float(n) for n in _NUMBER.findall(self.joined)}
        found.update(n for n in map(_numeral, self.tokens) if n is not None)
        return found

    @functools.cached_property
    def amounts(self) -> set[float]:
        return {_float(n) * _SCALE[unit] for n, unit in _AMOUNT.findall(self.joined)}

    @functools.cached_property
    def percents(self) -> set[float]:
        return {_float(n) for n in _PERCENT.findall(self.joined)}

    def has_words(self, text: str) -> bool:
        """Whether every word of text is in the quotes, in some case form (a word the quotes
        have as it is needs no stemming)."""
        words = [t for t in names.tokens(text) if t not in names.STOPWORDS]
        if all(word in self.tokens for word in words):
            return True
        return all(stems & self.keys for stems in _keys(text))

    def has_name(self, text: str) -> bool:
        """Whether every word of a name is in the quotes, in some case form."""
        if all(word in self.tokens for word in names.tokens(text)):
            return True
        return all(stems & self.keys for stems in names.name_keys(text))

    @functools.cached_property
    def years(self) -> list[set[str]]:
        """The years each quote names."""
        return [set(_YEAR.findall(quote)) for quote in self.quotes]

    def has_date(self, text: str) -> bool:
        """Whether one quote states the partial ISO date: its year, and then the ISO text
        itself or, in words, its month and day ("22 августа 2025 года")."""
        year, *rest = text.split("-")
        for quote, years in zip(self.quotes, self.years, strict=True):
            if year not in years:
                continue
            if not rest or text in quote:
                return True
            day = int(rest[1]) if len(rest) > 1 else None
            if _in_words(int(rest[0]), day).search(quote):
                return True
        return False


def _keys(text: str) -> list[frozenset[str]]:
    """names.keys, with a reflexive participle's -ся/-сь dropped first, so that
    "выдающийся" meets "выдающегося"."""
    found = []
    for token in names.tokens(text):
        if token in names.STOPWORDS:
            continue
        if len(token) > 6 and token.endswith(("ся", "сь")):
            token = token[:-2]
        found.append(names.stems(token))
    return found


def _float(text: str) -> float:
    return float(text.replace(",", "."))


@functools.lru_cache(maxsize=512)  # at most 12 months × 32 (a day, or none)
def _in_words(month: int, day: int | None) -> re.Pattern[str]:
    """A month in words, in any case form ("августа"), with its day before it if given
    ("22 августа")."""
    words = ("ма[йяюе]" if month == 5 else _MONTHS[month - 1] + "[а-я]{0,3}") + "(?![а-я])"
    before = rf"(?<!\d)0?{day}\s+" if day is not None else "(?<![а-я])"
    return re.compile(before + words)


# ----------------------------------------------------------------------------- the check


def gaps(
    row: Row, context: Context, own: dict[str, str], parts: dict[str, dict[str, str]]
) -> Iterator[Gap]:
    """Every value of a row its own quotes do not support, field by field, and every field
    marked inferred with no note saying from what (own: the row's quoted fields and how each
    is looked for; parts: those of its parts, such as roles, which have quotes of their own)."""
    quotes = [ref["quote"] for ref in row.get("sources", ())]
    yield from _check(own, row, "", Evidence(quotes), context, None)
    for key, fields in parts.items():
        if "figure" in fields.values():  # a conflict's readings: as the field it is about
            how = context.figures.get(str(row.get("field")), "numbers")
            fields = {name: how if what == "figure" else what for name, what in fields.items()}
        for number, item in enumerate(row.get(key) or ()):
            if not isinstance(item, dict) or "sources" not in item:
                continue
            evidence = Evidence([ref["quote"] for ref in item["sources"]])
            docs = [ref["doc"] for ref in item["sources"]]
            yield from _check(fields, item, f"{key}[{number}].", evidence, context, docs)


def _check(
    fields: dict[str, str],
    values: dict[str, Any],
    prefix: str,
    evidence: Evidence,
    context: Context,
    attesting: list[str] | None,
) -> Iterator[Gap]:
    for name, flag in values.items():
        if name.endswith("_inferred") and flag:
            base = name.removesuffix("_inferred")
            if not values.get(f"{base}_note"):
                yield Gap(prefix + name, f"marked inferred with no {base}_note saying from what")
    for name, what in fields.items():
        value = values.get(name)
        if value in (None, "", [], ()) or values.get(f"{name}_inferred"):
            continue
        if (  # a role: the date line of the article attesting it
            name == "date"
            and attesting is not None
            and any(context.article_dates.get(doc) == value for doc in attesting)
        ):
            continue
        missing = _missing(what, value, evidence, context)
        if missing:
            yield Gap(prefix + name, f"{missing} not in its quotes")


def _missing(what: str, value: Any, evidence: Evidence, context: Context) -> str | None:
    """The part of a value the evidence lacks, as a message names it; None if all is there."""
    if what == "amount":
        known = evidence.amounts | evidence.numbers
        return None if _in(float(value), known) else _num(value)
    if what == "percent":  # a fall is "снизился на 4%": the sign is in the words
        found = _in(abs(float(value)), evidence.percents)
        return None if found else f"{value:g}%"
    if what == "count":
        return None if _in(float(value), evidence.numbers) else str(value)
    if what in ("date", "period"):
        ends = str(value).split("/")
        lacking = [end for end in ends if not evidence.has_date(end)]
        return repr(lacking[0]) if lacking else None
    if what in ("place", "wording"):
        return None if evidence.has_words(str(value)) else repr(value)
    if what == "people":
        return _missing_people(value, evidence, context)
    if what == "numbers" and isinstance(value, int | float):  # a reading of no known field
        return None if _in(float(value), evidence.numbers) else _num(value)
    if what == "numbers":
        lacking = [n for n in _NUMBER.findall(str(value)) if not _in(_float(n), evidence.numbers)]
        return f"the number {lacking[0]}" if lacking else None
    raise ValueError(f"unknown support kind {what!r}")


def _missing_people(value: Any, evidence: Evidence, context: Context) -> str | None:
    if isinstance(value, str):  # a person's own name
        return None if evidence.has_name(value) else repr(value)
    for person in value:
        forms = context.people.get(person)
        if forms is not None and not any(evidence.has_name(form) for form in forms):
            return f"the person {person!r}"
    return None


def _in(value: float, known: set[float]) -> bool:
    """Whether a number is among those found (to within float rounding: 1,7 × 1e9)."""
    return any(abs(value - k) <= 1e-9 * max(1.0, abs(value)) for k in known)


def _num(value: Any) -> str:
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:g}"


def title_outside_offices(row: Row, context: Context) -> Iterator[Gap]:
    """Each role whose title none of its offices' wordings match (verify warns: the office
    should list the wording, or the role names the wrong office)."""
    for number, role in enumerate(row.get("roles") or ()):
        title_keys = frozenset().union(*_keys(role["title"]))
        for office in role.get("office") or ():
            wordings = context.aliases.get(office, [])
            if not any(_covers(wording, title_keys) for wording in wordings):
                message = f"title {role['title']!r} is not among the wordings of office {office!r}"
                yield Gap(f"roles[{number}].title", message)


def _covers(wording: str, title_keys: frozenset[str]) -> bool:
    """Whether every word of an office's wording is in the title (a joint title holds the
    wordings of both its offices)."""
    keys = _keys(wording)
    return bool(keys) and all(stems & title_keys for stems in keys)
