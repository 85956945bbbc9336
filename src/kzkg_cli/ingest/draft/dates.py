"""Dates an article states ("22 августа 2025 года", "2025-08-22", "в 2024 году", "13 ноября")
and those it implies ("в прошлом году", "8 месяцев текущего года"), resolved against the
article's date where they need it; a resolved one is marked inferred, with a note."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import NamedTuple

from kzkg_cli.core.dates import month_of
from kzkg_cli.ingest.draft.article import parses
from kzkg_cli.ingest.draft.candidate import Span

_MONTH = r"(?:январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-я]{0,3}"
_DAY_MONTH = re.compile(
    rf"(?<!\d)(\d{{1,2}})\s+({_MONTH})(?:\s+(\d{{4}})(?:\s+г(?:ода|\.)?)?)?(?![а-я])"
)
_ISO = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
_YEAR = re.compile(
    r"(?:\b(в|к|до|на|за|с|по)\s+)?(?<!\d)((?:19|20)\d{2})(?:\s*(?:году|года|год|гг?\.?))(?![а-я])"
)
_RELATIVE = {
    "past": re.compile(
        r"\b(?:(?:в|за)\s+прошл(?:ом|ый)\s+год[уа]?|прошлого\s+года|минувшего\s+года|"
        r"в\s+минувшем\s+году)\b",
        re.I,
    ),
    "this": re.compile(r"\b(?:в\s+(?:этом|текущем)\s+году|текущего\s+года|этого\s+года)\b", re.I),
    "next": re.compile(
        r"\b(?:в\s+(?:следующем|будущем)\s+году|(?:следующего|будущего)\s+года)\b", re.I
    ),
}
_SHIFT = {"past": -1, "this": 0, "next": 1}
_YEAR_WORD = {"прошлого": "past", "минувшего": "past", "текущего": "this", "этого": "this",
              "следующего": "next", "будущего": "next"}  # fmt: skip
_DAY_MONTH_RELATIVE = re.compile(
    rf"(?<!\d)(\d{{1,2}})\s+({_MONTH})\s+({'|'.join(_YEAR_WORD)})\s+года\b", re.I
)
_DAYS = {"накануне": -1, "вчера": -1, "сегодня": 0, "позавчера": -2}
_DAY_WORD = re.compile(r"\b(накануне|вчера|позавчера|сегодня)\b(?P<next>\s*,?\s*[\w-]*)", re.I)
_FUTURE = re.compile(
    r"\b(?:будет|будут|состоится|состоятся|пройд[её]т|предстоящ\w*|планиру\w*)", re.I
)
_MONTHS_OF = re.compile(
    r"\bза\s+(?:первые\s+)?(\d{1,2}|[а-я]+)\s+месяц(?:а|ев)\s+(?:(текущего|этого)\s+года|((?:19|20)\d{2})\s+года)",
    re.I,
)
_NUMBER_WORDS = {"два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8,
                 "девять": 9, "десять": 10, "одиннадцать": 11}  # fmt: skip
_LAST_YEARS = re.compile(r"\bза\s+последние\s+(\d{1,3})\s+лет\b", re.I)


class Found(NamedTuple):
    """A date in a text: where it stands, its ISO value, and how it was read."""

    span: Span
    value: str
    inferred: bool
    note: str
    role: str
    """"date" (a day, month or year something happened), "horizon" (by when: "к 2030 году",
    "до 2030 года") or "period" (what a figure covers: "за 8 месяцев")."""


def dates_in(text: str, offset: int, article_date: str | None, given: bool) -> list[Found]:
    """Every date a sentence states or implies (offset: where the sentence starts)."""
    found: list[Found] = []
    taken: list[Span] = []

    def add(item: Found) -> None:
        if not any(item.span.overlaps(s) for s in taken):
            found.append(item)
            taken.append(item.span)

    for item in _implied(text, offset, article_date, given):  # "за 8 месяцев 2025 года" first
        add(item)
    for item in _stated(text, offset, article_date, given):
        add(item)
    return sorted(found, key=lambda f: f.span)


def _stated(text: str, offset: int, article_date: str | None, given: bool) -> list[Found]:
    found = []
    for match in _ISO.finditer(text):
        span = Span(offset + match.start(), offset + match.end())
        found.append(Found(span, match.group(), False, "", "date"))
    for match in _DAY_MONTH.finditer(text):
        month = month_of(match.group(2))
        if month is None:
            continue
        day = int(match.group(1))
        span = Span(offset + match.start(), offset + match.end())
        if match.group(3):
            found.append(Found(span, f"{match.group(3)}-{month:02d}-{day:02d}", False, "", "date"))
        elif article_date:
            year = int(article_date[:4])
            note = (
                f"'{match.group()}' is stated; the year is that of the article's date "
                f"({article_date}{', given on the command line' if given else ''})."
            )
            if f"{year}-{month:02d}-{day:02d}" > article_date and _told_as_past(text):
                year -= 1  # "подписан 22 августа" in a February article: last August
                note = (
                    f"'{match.group()}' is stated with no year; the sentence tells of it as "
                    f"past, and in the year of the article's date ({article_date}) it would "
                    f"come after the article, so it is read as the year before."
                )
            found.append(Found(span, f"{year}-{month:02d}-{day:02d}", True, note, "date"))
        else:
            found.append(
                Found(
                    span,
                    "",
                    True,
                    f"'{match.group()}': no year, and the article has no date",
                    "date",
                )
            )
    for match in _YEAR.finditer(text):
        span = Span(offset + match.start(2), offset + match.end())
        role = "horizon" if (match.group(1) or "").lower() in ("к", "до") else "date"
        found.append(Found(span, match.group(2), False, "", role))
    return found


def _implied(text: str, offset: int, article_date: str | None, given: bool) -> list[Found]:
    found = []
    source = "the article's date" + (" (given on the command line)" if given else " line")
    for match in _DAY_MONTH_RELATIVE.finditer(text):  # "22 августа прошлого года"
        month = month_of(match.group(2))
        span = Span(offset + match.start(), offset + match.end())
        if month is None:
            continue
        if article_date is None:
            found.append(
                Found(span, "", True, f"'{match.group()}': the article has no date", "date")
            )
            continue
        shifted = int(article_date[:4]) + _SHIFT[_YEAR_WORD[match.group(3).lower()]]
        note = f"'{match.group()}', the year counted from {source} ({article_date})."
        value = f"{shifted}-{month:02d}-{int(match.group(1)):02d}"
        found.append(Found(span, value, True, note, "date"))
    for match in _DAY_WORD.finditer(text):  # "Накануне ... встретил": the day before
        word = match.group(1).lower()
        if article_date is None or (word == "накануне" and _governs(match.group("next"))):
            continue  # "накануне визита" is the eve of the visit, not of the article
        then = date.fromisoformat(article_date) + timedelta(days=_DAYS[word])
        span = Span(offset + match.start(1), offset + match.end(1))
        note = f"'{match.group(1)}', counted from {source} ({article_date})."
        found.append(Found(span, then.isoformat(), True, note, "date"))
    for match in _MONTHS_OF.finditer(text):
        count = _count(match.group(1))
        year = match.group(3) or (article_date[:4] if article_date else None)
        span = Span(offset + match.start(), offset + match.end())
        if count is None or not 1 <= count <= 12 or year is None:
            continue
        note = f"'{match.group()}' read as January to month {count} of {year}"
        note += "; the text names no months"
        if not match.group(3):
            note += f", and the year is {source} ({article_date})"
        found.append(Found(span, f"{year}-01/{year}-{count:02d}", True, note + ".", "period"))
    for match in _LAST_YEARS.finditer(text):
        if article_date is None:
            continue
        year = int(article_date[:4])
        span = Span(offset + match.start(), offset + match.end())
        note = f"'{match.group()}', counted back from {source} ({article_date})."
        found.append(Found(span, f"{year - int(match.group(1))}/{year}", True, note, "period"))
    for kind, pattern in _RELATIVE.items():
        for match in pattern.finditer(text):
            span = Span(offset + match.start(), offset + match.end())
            if article_date is None:
                found.append(
                    Found(span, "", True, f"'{match.group()}': the article has no date", "date")
                )
                continue
            year = int(article_date[:4]) + _SHIFT[kind]
            note = f"'{match.group()}', counted from {source} ({article_date})."
            found.append(Found(span, str(year), True, note, "date"))
    return found


def _governs(following: str) -> bool:
    """Whether the word after "накануне" is the noun it governs ("накануне визита")."""
    word = following.strip()
    if not word or word.startswith(",") or word[:1].isupper():
        return False
    return any(p.tag.case == "gent" and p.tag.POS == "NOUN" for p in parses(word.lower())[:2])


def _told_as_past(text: str) -> bool:
    """Whether a sentence tells of what it dates as done (a verb or participle in the past)
    and names nothing to come."""
    if _FUTURE.search(text):
        return False
    for word in re.findall(r"[а-яё]+", text.lower()):
        best = parses(word)[0]
        if best.tag.POS in ("VERB", "PRTS", "PRTF") and best.tag.tense == "past":
            return True
    return False


def _count(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    for stem, number in _NUMBER_WORDS.items():
        if text.lower().startswith(stem[:4]):
            return number
    return None
